"""Invariants of unrealised profit in inventory (SPEC 18.1, 20), hypothesis.

For random intra-group stock (downstream to a USD subsidiary, upstream from
a partly owned CNY subsidiary), margins and rates over a fiscal-year roll:

- the URP entry of every node balances, so every node TB still sums to zero;
- no line of zero is written (every amount exact DECIMAL);
- the buyer's inventory is credited by round(round(stock x margin / 100, 2)
  x closing rate, 2), the group amount of the stock's URP at the period;
- the management view still ties to the consolidated P&L
  (``vertical_horizontal`` passes), URP sitting in Consolidation adjustments.
"""

from __future__ import annotations

import dataclasses
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_consolidate_helpers import Group, amounts

from closekit.checks import CheckContext
from closekit.checks.management import vertical_horizontal
from closekit.consolidation import node_trial_balance
from closekit.manage import manage_period

PERIODS = ("2026-12", "2027-01")
CENT = Decimal("0.01")

stock = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)
margin = st.integers(min_value=-999_999, max_value=999_999).map(lambda c: Decimal(c) / 10_000)
rate = st.integers(min_value=50_000, max_value=90_000).map(lambda c: Decimal(c) / 10_000)


def _round(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stocks=st.lists(st.tuples(stock, stock), min_size=2, max_size=2),
    margins=st.tuples(margin, margin),
    rates=st.lists(st.tuples(rate, rate), min_size=2, max_size=2),
    pct=st.sampled_from(["60", "75", "100"]),
)
def test_urp_balances_measures_the_stock_and_keeps_the_vertical_tie(
    stocks: list[tuple[Decimal, Decimal]],
    margins: tuple[Decimal, Decimal],
    rates: list[tuple[Decimal, Decimal]],
    pct: str,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        g = Group(Path(tmp)).entity("P").entity("S", "USD", parent="P")
        g.entity("T", parent="P", pct=pct)
        accounts = dataclasses.replace(g.settings.accounts, unrealised_profit="6700")
        g.settings = dataclasses.replace(g.settings, accounts=accounts)
        g.con.executemany(
            "INSERT INTO account (account, name, type, rate, ic_plug, role) "
            "VALUES (?, ?, ?, ?, '', ?)",
            [
                ("1400", "Inventory", "asset", "closing", "inventory"),
                ("6700", "Unrealised profit", "expense", "average", ""),
            ],
        )
        g.con.executemany(
            "INSERT INTO ic_margin VALUES ('2026-12', ?, ?, 'master/ic_margins.csv', ?)",
            [("P", margins[0], 2), ("T", margins[1], 3)],
        )
        held = {"S": Decimal(0), "P": Decimal(0)}
        for period, (s_stock, p_stock), (closing, average) in zip(
            PERIODS, stocks, rates, strict=True
        ):
            g.rate(period, "USD", str(closing), str(average))
            # each period moves the stock to the drawn level; T and P also sell
            for buyer, seller, level, currency in (
                ("S", "P", s_stock, "USD"),
                ("P", "T", p_stock, "CNY"),
            ):
                move = level - held[buyer]
                held[buyer] = level
                g.line(period, buyer, "1400", str(move), partner=seller, currency=currency)
                g.line(period, buyer, "1000", str(-move), currency=currency)
            g.line(period, "T", "1000", "100").line(
                period, "T", "4000", "-100", profit_center="PC1"
            )
        g.post(*PERIODS)
        for period, (s_stock, p_stock), (closing, _average) in zip(
            PERIODS, stocks, rates, strict=True
        ):
            g.consolidate(period)
            tb = amounts(node_trial_balance(g.con, g.settings, period, "P", "ytd"))
            assert sum(tb.values()) == 0
            entries = dict(
                g.con.execute(
                    "SELECT partner, sum(amount_group) FROM consolidation_entry "
                    "WHERE period = ? AND step = 'urp' AND account = '1400' GROUP BY partner",
                    [period],
                ).fetchall()
            )
            downstream = _round(_round(s_stock * margins[0] / 100) * closing)
            upstream = _round(p_stock * margins[1] / 100)
            assert entries.get("P", Decimal(0)) == -downstream
            assert entries.get("T", Decimal(0)) == -upstream
            ((total,),) = g.con.execute(
                "SELECT coalesce(sum(amount_group), 0) FROM consolidation_entry "
                "WHERE period = ? AND step = 'urp'",
                [period],
            ).fetchall()
            assert total == 0
            # exact DECIMAL throughout: a group-currency buyer's CTA is exactly
            # zero, so no line of zero is written (a DOUBLE left 1e-10 there)
            ((zeros,),) = g.con.execute(
                "SELECT count(*) FROM consolidation_entry WHERE step = 'urp' AND amount_group = 0"
            ).fetchall()
            assert zeros == 0
            manage_period(g.settings, g.con, period)
            check = vertical_horizontal(CheckContext(g.settings, g.con, period))
            assert check.status == "pass", check.detail
        g.con.close()

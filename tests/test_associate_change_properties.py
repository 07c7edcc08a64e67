"""Invariants of associates whose holding changes (hypothesis; SPEC 16.2,
IAS 28.22-28.25): for a random associate held by the group or by an 80%
subsidiary, with a random history of purchases, partial sales and an end
of equity accounting (keeping a stake at fair value or not), over a
fiscal-year roll:

- every node's consolidated trial balance sums to zero in every period;
- the ``structure`` check never fails (every event is applied);
- the group's carrying amount of the associate is never negative (IAS
  28.38, a sale's carrying amount and a kept stake's fair value included).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closekit.checks.base import CheckContext
from closekit.checks.structure import structure
from closekit.consolidation import consolidation_nodes, node_trial_balance
from tests.test_consolidate_helpers import Group, amounts

PERIODS = ("2026-11", "2026-12", "2027-01", "2027-02")
RATES = {"2026-11": "7.00", "2026-12": "7.13", "2027-01": "6.95", "2027-02": "7.21"}

history = st.fixed_dictionaries(
    {
        "currency": st.sampled_from(["CNY", "USD"]),
        "holder": st.sampled_from(["P", "H"]),
        # the holding in each period after the first: a percentage, or the
        # end of equity accounting keeping that percentage (0: nothing)
        "steps": st.lists(
            st.one_of(
                st.sampled_from([20, 25, 30, 40, 50]).map(lambda p: ("equity", p)),
                st.sampled_from([0, 10]).map(lambda p: ("none", p)),
            ),
            min_size=3,
            max_size=3,
        ),
        "start": st.sampled_from([20, 30, 40]),
        "profits": st.lists(st.integers(-4_000, 6_000), min_size=4, max_size=4),
        "price": st.integers(50, 300),  # per percent
    }
)


def build(root: Path, h: dict[str, object]) -> Group:
    g = Group(root).entity("P").entity("H", parent="P", pct="80")
    q = str(h["holder"])
    g.entity("A", str(h["currency"]), parent=q, pct=str(h["start"]), method="equity")
    g.account("4700", "revenue", "average").account("4800", "revenue", "average")
    g.account("4810", "revenue", "average", "", "disposal_gain")
    g.accounts(associate_result="4700", disposal_gain="4800")
    for period, rate in RATES.items():
        g.rate(period, "USD", rate, rate)
    g.line(PERIODS[0], "P", "1500", "8000", partner="H").line(PERIODS[0], "P", "1000", "92000")
    g.line(PERIODS[0], "P", "3000", "-100000")
    g.line(PERIODS[0], "H", "1000", "10000").line(PERIODS[0], "H", "3000", "-10000")
    g.line(PERIODS[0], "A", "1000", "20000", module="opening")
    g.line(PERIODS[0], "A", "3000", "-20000", module="opening")
    price = int(h["price"])  # type: ignore[call-overload]
    held = int(h["start"])  # type: ignore[call-overload]
    cost = price * held
    g.line(PERIODS[0], q, "1500", str(cost), partner="A").line(PERIODS[0], q, "1000", str(-cost))
    ended = False
    for period, (method, pct) in zip(PERIODS[1:], h["steps"], strict=True):  # type: ignore[call-overload]
        if ended:
            break
        if method == "none":
            ended = True
            g.ownership("A", period, q if pct else "", str(pct), "none", fair_value="2000")
        else:
            g.ownership("A", period, q, str(pct), "equity")
        if pct > held:  # bought at cost
            paid = price * (pct - held)
            g.line(period, q, "1500", str(paid), partner="A").line(period, q, "1000", str(-paid))
            cost += paid
        elif pct < held:  # sold: the cost of the part sold, and an own gain
            part = (Decimal(cost) * (held - pct) / held).quantize(Decimal("0.01"))
            proceeds = Decimal(price * (held - pct) + 100)
            g.line(period, q, "1000", str(proceeds))
            g.line(period, q, "1500", str(-part), partner="A")
            g.line(period, q, "4810", str(part - proceeds), partner="A")
            cost = cost - part  # type: ignore[assignment]
        held = pct
    for period, profit in zip(PERIODS, h["profits"], strict=True):  # type: ignore[call-overload]
        g.line(period, "A", "1000", str(profit)).line(period, "A", "4000", str(-profit))
    return g.post(*PERIODS)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(history)
def test_random_associate_histories_balance_and_apply(h: dict[str, object]) -> None:
    with TemporaryDirectory() as tmp:
        g = build(Path(tmp), h)
        for period in PERIODS:
            g.consolidate(period)
            for node in consolidation_nodes(g.con, period):
                tb = amounts(node_trial_balance(g.con, g.settings, period, node, "ytd"))
                assert sum(tb.values()) == 0, (period, node)
            result = structure(CheckContext(g.settings, g.con, period))
            assert result.status != "fail", (period, result.detail)
            carrying = g.con.execute(
                "SELECT sum(amount_group) FROM consolidation_entry WHERE period = ? "
                "AND node = 'P' AND account = '1500' AND partner = 'A'",
                [period],
            ).fetchone()
            own = g.con.execute(
                "SELECT coalesce(sum(amount_group), 0) FROM translated_balance "
                "WHERE period = ? AND account = '1500' AND partner = 'A'",
                [period],
            ).fetchone()
            assert carrying is not None and own is not None
            assert Decimal(own[0]) + Decimal(carrying[0] or 0) >= 0, period

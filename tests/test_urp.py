"""Unrealised profit in inventory (SPEC 18.1), over a fiscal-year roll.

P (CNY, the group) holds S (USD) 100% and T (CNY) 60%. Account 1400 is the
inventory role, 6700 ``[accounts] unrealised_profit``. Margins: P 25% from
2026-12; T 20% from 2026-12, 22.5% from 2027-01. USD: 2026-12 closing
7.00, average 6.90; 2027-01 closing 7.20, average 7.10. Fiscal year =
calendar, so 2027-01 rolls 2026 into retained earnings.

Downstream (seller P, buyer S, 100%):

    2026-12  S buys USD 1,000 of P's goods: URP_fc = 25% x 1,000 = 250.00
             inventory S/1400/P  -250 x 7.00            = -1,750.00
             6700 movement        250 x 6.90            =  1,725.00
             3300 CTA             1,750 - 1,725         =     25.00
    2027-01  S issues USD 400: stock 600, URP_fc = 150.00
             inventory            -150 x 7.20           = -1,080.00
             6700 movement       (150 - 250) x 7.10     =   -710.00
             3200 prior year end  250 x 7.00            =  1,750.00
             3300 CTA  1,080 - (-710) - 1,750           =     40.00

Upstream (seller T, 60% owned, buyer P):

    2026-12  P buys 5,000 of T's goods: URP = 20% x 5,000 = 1,000.00
             inventory P/1400/T -1,000.00; 6700 1,000.00
    2027-01  P buys 2,000 more: stock 7,000 x 22.5% = 1,575.00
             inventory -1,575.00; 6700 1,575 - 1,000 = 575.00; 3200 1,000.00

Every entry balances, so the group TB still sums to zero.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

from test_consolidate_helpers import Group, amounts, d

from closekit.consolidation import node_trial_balance


def _group(tmp_path: Path) -> Group:
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P").entity("T", parent="P", pct="60")
    accounts = dataclasses.replace(g.settings.accounts, unrealised_profit="6700")
    g.settings = dataclasses.replace(g.settings, accounts=accounts)
    g.con.executemany(
        "INSERT INTO account (account, name, type, rate, ic_plug, role) VALUES (?, ?, ?, ?, '', ?)",
        [
            ("1400", "Inventory", "asset", "closing", "inventory"),
            ("6700", "Unrealised profit", "expense", "average", ""),
        ],
    )
    g.con.executemany(
        "INSERT INTO ic_margin VALUES (?, ?, ?, 'master/ic_margins.csv', ?)",
        [
            ("2026-12", "P", d("25"), 2),
            ("2026-12", "T", d("20"), 3),
            ("2027-01", "T", d("22.5"), 4),
        ],
    )
    g.rate("2026-12", "USD", "7.00", "6.90").rate("2027-01", "USD", "7.20", "7.10")
    # 2026-12: S buys USD 1,000 from P; P buys 5,000 from T (paid in cash)
    g.line("2026-12", "S", "1400", "1000", partner="P", currency="USD")
    g.line("2026-12", "S", "1000", "-1000", currency="USD")
    g.line("2026-12", "P", "1400", "5000", partner="T").line("2026-12", "P", "1000", "-5000")
    # 2027-01: S issues USD 400 to cost of sales; P buys 2,000 more from T
    g.line("2027-01", "S", "5000", "400", profit_center="PC1", currency="USD")
    g.line("2027-01", "S", "1400", "-400", partner="P", currency="USD")
    g.line("2027-01", "P", "1400", "2000", partner="T").line("2027-01", "P", "1000", "-2000")
    return g.post("2026-12", "2027-01")


def _urp(g: Group, period: str) -> dict[tuple[str, str, str], Decimal]:
    """(entity, partner, account) -> amount of the group's URP entry."""
    rows = g.con.execute(
        "SELECT entity, partner, account, sum(amount_group) FROM consolidation_entry "
        "WHERE period = ? AND node = 'P' AND step = 'urp' GROUP BY ALL",
        [period],
    ).fetchall()
    return {(e, p, a): Decimal(x) for e, p, a, x in rows}


def test_downstream_and_upstream_urp_in_the_first_year(tmp_path: Path) -> None:
    g = _group(tmp_path)
    g.consolidate("2026-12")
    assert _urp(g, "2026-12") == {
        ("S", "P", "1400"): d("-1750.00"),
        ("P", "S", "6700"): d("1725.00"),
        ("P", "S", "3300"): d("25.00"),
        ("P", "T", "1400"): d("-1000.00"),
        ("T", "P", "6700"): d("1000.00"),
    }
    owners = g.con.execute(
        "SELECT DISTINCT partner, owner FROM consolidation_entry WHERE step = 'urp' "
        "AND account = '1400' ORDER BY 1"
    ).fetchall()
    assert owners == [("P", "P"), ("T", "T")]  # each entry belongs to its seller
    tb = amounts(node_trial_balance(g.con, g.settings, "2026-12", "P", "ytd"))
    # stock: USD 1,000 x 7.00 + 5,000 = 12,000, less both URPs
    assert tb["1400"] == d("12000.00") - d("1750.00") - d("1000.00")
    assert tb["6700"] == d("2725.00")
    assert sum(tb.values()) == 0


def test_after_the_roll_the_opening_urp_is_in_retained_earnings(tmp_path: Path) -> None:
    g = _group(tmp_path)
    g.consolidate("2026-12")
    g.consolidate("2027-01")
    assert _urp(g, "2027-01") == {
        ("S", "P", "1400"): d("-1080.00"),
        ("P", "S", "6700"): d("-710.00"),
        ("P", "S", "3200"): d("1750.00"),
        ("P", "S", "3300"): d("40.00"),
        ("P", "T", "1400"): d("-1575.00"),
        ("T", "P", "6700"): d("575.00"),
        ("T", "P", "3200"): d("1000.00"),
    }
    tb = amounts(node_trial_balance(g.con, g.settings, "2027-01", "P", "ytd"))
    assert tb["6700"] == d("-135.00")  # -710 + 575
    assert sum(tb.values()) == 0


def test_without_margins_nothing_is_eliminated(tmp_path: Path) -> None:
    g = _group(tmp_path)
    g.con.execute("DELETE FROM ic_margin")
    g.consolidate("2026-12")
    assert _urp(g, "2026-12") == {}

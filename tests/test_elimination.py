"""Intercompany elimination with plug accounts (SPEC 7.2)."""

from __future__ import annotations

from pathlib import Path

from test_consolidate_helpers import Group, amounts, d

from closekit.consolidation import ICPair, intercompany_pairs, node_drill, node_trial_balance


def _trading_pair(tmp_path: Path, payable: str = "-1000") -> Group:
    """P sells goods for 500 and services for 300 to S (both CNY), and is owed
    1,000 by S; S books its payable as ``payable``.

    P: IC receivable from S 1,000 | IC goods revenue 500 | IC service revenue 300
    S: IC payable to P            | cost of sales 500   | IC service expense 300
    """
    g = Group(tmp_path).entity("P").entity("S", parent="P")
    g.line("2026-01", "P", "1200", "1000", partner="S").line("2026-01", "P", "1000", "-200")
    g.line("2026-01", "P", "4100", "-500", partner="S", profit_center="PC1")
    g.line("2026-01", "P", "4200", "-300", partner="S", profit_center="PC1")
    g.line("2026-01", "S", "2200", payable, partner="P").line(
        "2026-01", "S", "5000", "500", partner="P"
    )
    g.line("2026-01", "S", "6200", "300", partner="P", cost_center="CC1")
    g.line("2026-01", "S", "1000", str(-int(payable) - 800))
    return g.post("2026-01")


def test_matched_pair_eliminates_completely(tmp_path: Path) -> None:
    g = _trading_pair(tmp_path)
    g.consolidate("2026-01")
    tb = amounts(node_trial_balance(g.con, g.settings, "2026-01", "P", "ytd"))
    # Receivable and payable meet on IC difference 1990 (1,000 - 1,000 = 0);
    # service revenue and expense meet on 6990 (-300 + 300 = 0); the goods
    # revenue -500 is eliminated against S's cost of sales 500, and the cash
    # nets (P -200, S +200): nothing is left.
    assert tb == {}
    pairs = intercompany_pairs(g.con, g.settings, "2026-01", "P")
    assert pairs == [
        ICPair("P", "S", "1990", d("1000"), d("-1000"), d("0"), True, True),
        ICPair("P", "S", "5000", d("-500"), d("0"), d("-500"), False, False),
        ICPair("P", "S", "6990", d("-300"), d("300"), d("0"), True, True),
    ]


def test_difference_stays_on_the_plug_with_the_pair(tmp_path: Path) -> None:
    g = _trading_pair(tmp_path, payable="-985")
    g.consolidate("2026-01")
    tb = amounts(node_trial_balance(g.con, g.settings, "2026-01", "P", "ytd"))
    # 1,000 receivable against 985 payable: 15 remains on the IC difference
    # account; S's cash is 185 (985 - 800), P's -200.
    assert tb == {"1000": d("-15"), "1990": d("15")}
    rows = node_drill(g.con, g.settings, "2026-01", "P", "1990")
    assert [(r.source, r.entity, r.partner, r.amount) for r in rows] == [
        ("ic_elimination", "P", "S", d("1000")),
        ("ic_elimination", "S", "P", d("-985")),
    ]


def test_elimination_keeps_profit_and_cost_centers(tmp_path: Path) -> None:
    g = _trading_pair(tmp_path)
    g.consolidate("2026-01")
    rows = node_drill(g.con, g.settings, "2026-01", "P", "6990", cost_center="CC1")
    assert [(r.entity, r.partner, r.cost_center, r.amount) for r in rows] == [
        ("S", "P", "CC1", d("300"))
    ]
    revenue = node_drill(g.con, g.settings, "2026-01", "P", "4200", profit_center="PC1")
    assert sum(r.amount for r in revenue) == 0


def test_pair_with_a_partner_outside_the_node_is_not_eliminated(tmp_path: Path) -> None:
    """At sub-group A (owning B), A's receivable from its sister C stays; at the
    group P, which holds both, it is eliminated (one-sided: C booked nothing)."""
    g = Group(tmp_path).entity("P").entity("A", parent="P").entity("B", parent="A")
    g.entity("C", parent="P")
    g.line("2026-01", "A", "1200", "70", partner="C").line("2026-01", "A", "1000", "-70")
    g.post("2026-01").consolidate("2026-01")
    sub = amounts(node_trial_balance(g.con, g.settings, "2026-01", "A", "ytd"))
    assert sub == {"1000": d("-70"), "1200": d("70")}
    assert intercompany_pairs(g.con, g.settings, "2026-01", "A") == []
    group = amounts(node_trial_balance(g.con, g.settings, "2026-01", "P", "ytd"))
    assert group == {"1000": d("-70"), "1990": d("70")}
    assert intercompany_pairs(g.con, g.settings, "2026-01", "P") == [
        ICPair("A", "C", "1990", d("70"), d("0"), d("70"), True, False)
    ]


def test_foreign_pair_is_eliminated_in_group_currency(tmp_path: Path) -> None:
    """S (USD) owes P 100 USD; P (CNY) books a 700 CNY receivable. At the
    closing rate 7.0 S's payable is -100 x 7.0 = -700.00 in group currency: matched."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P")
    g.rate("2026-01", "USD", "7.0", "6.9")
    g.line("2026-01", "P", "1200", "700", partner="S").line("2026-01", "P", "1000", "-700")
    g.line("2026-01", "S", "2200", "-100", partner="P").line("2026-01", "S", "1000", "100")
    g.post("2026-01").consolidate("2026-01")
    [pair] = intercompany_pairs(g.con, g.settings, "2026-01", "P")
    assert (pair.entity_side, pair.partner_side, pair.difference) == (
        d("700"),
        d("-700.00"),
        d("0"),
    )

"""Investment elimination, goodwill and non-controlling interests (SPEC 7.3)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_consolidate_helpers import Group, amounts, d

from closekit.consolidation import (
    consolidation_nodes,
    key_figures,
    node_drill,
    node_trial_balance,
)


def _seventy_five_percent(tmp_path: Path) -> Group:
    """P owns 75% of S, bought for 35,000. Balances brought forward into Dec 2026:

    P: investment in S 35,000, share capital 100,000, reserves 87,000; profit 21,000.
    S: share capital 40,000, reserves 17,000; profit 8,000.
    """
    g = Group(tmp_path).entity("P").entity("S", parent="P", pct="75")
    opening = [
        ("P", "1500", "35000", "S"),
        ("P", "1000", "152000", ""),
        ("P", "3000", "-100000", ""),
        ("P", "3200", "-87000", ""),
        ("S", "1000", "57000", ""),
        ("S", "3000", "-40000", ""),
        ("S", "3200", "-17000", ""),
    ]
    for entity, account, amount, partner in opening:
        g.line("2026-12", entity, account, amount, partner=partner, module="opening")
    g.line("2026-12", "P", "1000", "21000").line("2026-12", "P", "4000", "-21000")
    g.line("2026-12", "S", "1000", "8000").line("2026-12", "S", "4000", "-8000")
    return g.post("2026-12")


def test_group_profit_nci_and_retained_earnings(tmp_path: Path) -> None:
    g = _seventy_five_percent(tmp_path)
    g.consolidate("2026-12")
    tb = amounts(node_trial_balance(g.con, g.settings, "2026-12", "P", "ytd"))
    assert tb == {
        "1000": d("238000"),  # 173,000 + 65,000
        "1700": d("5000"),  # goodwill: 35,000 - 75% x 40,000
        "3000": d("-100000"),  # S's share capital eliminated
        # reserves brought forward: 87,000 + 75% x 17,000 = 99,750
        "3200": d("-99750"),
        # NCI: 25% x 40,000 + 25% x 17,000 + 25% x 8,000 = 10,000 + 4,250 + 2,000
        "3900": d("-16250"),
        "4000": d("-29000"),  # group profit 21,000 + 8,000
        "8900": d("2000"),  # NCI share of profit: 25% x 8,000
    }
    assert sum(tb.values()) == 0
    figures = key_figures(g.con, g.settings, "2026-12", "P")
    assert (figures.profit, figures.nci, figures.owners) == (d("29000"), d("2000"), d("27000"))
    assert figures.total_assets == d("243000")


def test_retained_earnings_after_the_year_roll(tmp_path: Path) -> None:
    g = _seventy_five_percent(tmp_path).post("2027-01")
    g.consolidate("2026-12")
    g.consolidate("2027-01")
    tb = amounts(node_trial_balance(g.con, g.settings, "2027-01", "P", "ytd"))
    # P 87,000 + 21,000 = 108,000; S 17,000 + 8,000 = 25,000 of which 75% = 18,750
    assert tb["3200"] == d("-126750")
    # NCI unchanged: 10,000 in share capital + 25% x 25,000 = 6,250
    assert tb["3900"] == d("-16250")
    assert "8900" not in tb and "4000" not in tb
    # The month's movement: the year's profit (owners' 27,000, NCI 2,000) left the P&L
    month = amounts(node_trial_balance(g.con, g.settings, "2027-01", "P", "period"))
    assert month == {}


def test_drill_explains_the_nci_balance(tmp_path: Path) -> None:
    g = _seventy_five_percent(tmp_path)
    g.consolidate("2026-12")
    rows = node_drill(g.con, g.settings, "2026-12", "P", "3900")
    assert [(r.source, r.entity, r.amount) for r in rows] == [
        ("investment", "S", d("-10000")),
        ("nci_result", "S", d("-2000")),
        ("nci_reserves", "S", d("-4250")),
    ]
    assert sum(r.amount for r in rows) == d("-16250")
    reserves = node_drill(g.con, g.settings, "2026-12", "P", "3200")
    assert [(r.source, r.entity, r.amount) for r in reserves] == [
        ("translated", "P", d("-87000")),
        ("translated", "S", d("-17000")),
        ("nci_reserves", "S", d("4250")),
    ]


def test_negative_goodwill_stays_with_a_warning(tmp_path: Path) -> None:
    g = Group(tmp_path).entity("P").entity("S", parent="P", pct="100")
    g.line("2026-01", "P", "1500", "900", partner="S").line("2026-01", "P", "3000", "-900")
    g.line("2026-01", "S", "1000", "1000").line("2026-01", "S", "3000", "-1000")
    report = g.post("2026-01").consolidate("2026-01")
    tb = amounts(node_trial_balance(g.con, g.settings, "2026-01", "P", "ytd"))
    assert tb == {"1000": d("1000"), "1700": d("-100"), "3000": d("-900")}
    assert report.warnings == ("node P: negative goodwill -100.00 on S kept on 1700",)


def _chain(tmp_path: Path) -> Group:
    """P owns 80% of A, A owns 100% of B; E is equity-accounted, with F below it.

    A: share capital 10,000 (P paid 8,000), investment in B 5,000.
    B: share capital 5,000, profit 1,000.
    """
    g = Group(tmp_path).entity("P").entity("A", parent="P", pct="80")
    g.entity("B", parent="A").entity("E", parent="P", pct="30", method="equity")
    g.entity("F", parent="E")
    g.line("2026-01", "P", "1500", "8000", partner="A").line("2026-01", "P", "3000", "-8000")
    g.line("2026-01", "A", "1500", "5000", partner="B").line("2026-01", "A", "1000", "5000")
    g.line("2026-01", "A", "3000", "-10000")
    g.line("2026-01", "B", "1000", "6000").line("2026-01", "B", "3000", "-5000")
    g.line("2026-01", "B", "4000", "-1000")
    return g.post("2026-01")


def test_three_level_chain_effective_ownership(tmp_path: Path) -> None:
    g = _chain(tmp_path)
    report = g.consolidate("2026-01")
    assert consolidation_nodes(g.con, "2026-01") == ["P", "A"]
    members = g.con.execute(
        "SELECT node, entity, depth, ownership, effective FROM node_member ORDER BY node, depth"
    ).fetchall()
    assert members == [
        ("A", "A", 0, Decimal(1), Decimal(1)),
        ("A", "B", 1, Decimal(1), Decimal(1)),
        ("P", "P", 0, Decimal(1), Decimal(1)),
        ("P", "A", 1, Decimal("0.8"), Decimal("0.8")),
        ("P", "B", 2, Decimal(1), Decimal("0.8")),  # 0.8 x 1.0
    ]
    group = amounts(node_trial_balance(g.con, g.settings, "2026-01", "P", "ytd"))
    # NCI: 20% of A's share capital 10,000 = 2,000, plus 20% of B's profit 1,000 = 200
    assert group == {
        "1000": d("11000"),
        "3000": d("-8000"),
        "3900": d("-2200"),
        "4000": d("-1000"),
        "8900": d("200"),
    }
    # At sub-group A (owns B outright) there is no NCI.
    assert amounts(node_trial_balance(g.con, g.settings, "2026-01", "A", "ytd")) == {
        "1000": d("11000"),
        "3000": d("-10000"),
        "4000": d("-1000"),
    }
    # E is an associate (equity method, nothing invested here); F is below it
    assert report.warnings == (
        "entity F is excluded from consolidation (method none, or below an entity that is "
        "not consolidated line by line)",
    )


def test_leaf_entity_is_its_own_node(tmp_path: Path) -> None:
    g = _chain(tmp_path)
    g.consolidate("2026-01")
    assert amounts(node_trial_balance(g.con, g.settings, "2026-01", "B", "ytd")) == {
        "1000": d("6000"),
        "3000": d("-5000"),
        "4000": d("-1000"),
    }

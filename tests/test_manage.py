"""The management view, hand-derived on the fixture group (tests/test_manage_fixture.py).

Amounts are group currency, signed debit positive in the data; the business
unit P&L presents revenue and result positive as income.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import pytest

from closekit import status
from closekit.errors import PeriodError
from closekit.manage import manage_period
from closekit.vertical import (
    BusinessUnitLine,
    Figures,
    allocation_report,
    bu_pnl,
    cost_center_report,
    management_warnings,
)
from tests.test_manage_fixture import Group

OCT, NOV = "2026-10", "2026-11"


def line(lines: list[BusinessUnitLine], code_or_kind: str) -> BusinessUnitLine:
    return next(
        x for x in lines if x.code == code_or_kind or (not x.code and x.kind == code_or_kind)
    )


@pytest.fixture
def group(tmp_path: Path) -> Group:
    return Group(tmp_path)


def test_revenue_based_allocation_across_three_profit_centers_last_absorbs_rounding(
    group: Group,
) -> None:
    # October opens the fiscal year in the data (first folder): month = YTD.
    # Revenue of the month: PC1 100.00, PC2 300.00, PC3 600.00 (total 1,000.00).
    group.balance(OCT, "S1", "4000", "-100.00", pc="PC1")
    group.balance(OCT, "S1", "4000", "-300.00", pc="PC2")
    group.balance(OCT, "S2", "4000", "-600.00", pc="PC3")
    group.balance(OCT, "P", "6000", "1000.05", cc="CC-IT")
    for pc in ("PC3", "PC1", "PC2"):  # file order does not matter; code order does
        group.rule("IT", "CC-IT", pc, "revenue")
    group.consolidated(OCT)

    report = manage_period(group.settings, group.con, OCT)

    # 1,000.05 x 0.1 = 100.005 -> 100.01 (half away from zero)
    # 1,000.05 x 0.3 = 300.015 -> 300.02
    # PC3, last in code order, takes 1,000.05 - 100.01 - 300.02 = 600.02 (not 600.03)
    allocations = allocation_report(group.con, group.settings, OCT)
    assert [(a.receiver, a.share, a.amount) for a in allocations] == [
        ("PC1", D("0.1"), D("100.01")),
        ("PC2", D("0.3"), D("300.02")),
        ("PC3", D("0.6"), D("600.02")),
    ]
    assert all(a.sender_cost == D("1000.05") and a.basis == "revenue" for a in allocations)
    assert report.allocated == D("1000.05")
    assert report.unallocated_ytd == D("0.00")
    assert report.warnings == ()

    lines = bu_pnl(group.con, group.settings, OCT)
    assert line(lines, "PC1").month == Figures(D("100.00"), D("0.00"), D("100.01"), D("-0.01"))
    assert line(lines, "PC3").ytd == Figures(D("600.00"), D("0.00"), D("600.02"), D("-0.02"))
    # HW = PC1 + PC2: revenue 400.00, allocations 400.03
    assert line(lines, "HW").month == Figures(D("400.00"), D("0.00"), D("400.03"), D("-0.03"))
    # IT's cost (expense 1,000.05) was all sent (allocations -1,000.05): nothing left.
    assert line(lines, "unallocated").month == Figures(
        D("0.00"), D("1000.05"), D("-1000.05"), D("0.00")
    )
    # The group: revenue 1,000.00 less cost 1,000.05; allocations net to zero.
    assert line(lines, "total").month == Figures(D("1000.00"), D("1000.05"), D("0.00"), D("-0.05"))


def test_two_fixed_cycles_run_in_name_order_each_sending_its_month_cost(group: Group) -> None:
    # YTD October: IT 500.00, finance nothing. YTD November: IT 1,500.00,
    # finance 333.33. Month November: IT 1,000.00, finance 333.33.
    group.balance(OCT, "P", "6000", "500.00", cc="CC-IT")
    group.balance(NOV, "P", "6000", "1500.00", cc="CC-IT")
    group.balance(NOV, "P", "6000", "333.33", cc="CC-FIN")
    group.rule("B-FIN", "CC-FIN", "PC1", "fixed", "0.25")  # listed first, runs second
    group.rule("B-FIN", "CC-FIN", "PC3", "fixed", "0.75")
    group.rule("A-IT", "CC-IT", "PC1", "fixed", "0.6")
    group.rule("A-IT", "CC-IT", "PC2", "fixed", "0.4")
    group.consolidated(OCT)
    group.consolidated(NOV)

    manage_period(group.settings, group.con, NOV)

    # A-IT: 1,000.00 x 0.6 = 600.00, x 0.4 = 400.00.
    # B-FIN: 333.33 x 0.25 = 83.3325 -> 83.33; PC3 last: 333.33 - 83.33 = 250.00.
    allocations = allocation_report(group.con, group.settings, NOV)
    assert [
        (a.cycle, a.sender, a.receiver, a.sender_cost, a.amount, a.ytd_amount) for a in allocations
    ] == [
        ("A-IT", "CC-IT", "PC1", D("1000.00"), D("600.00"), D("900.00")),  # YTD: Oct 300.00
        ("A-IT", "CC-IT", "PC2", D("1000.00"), D("400.00"), D("600.00")),  # YTD: Oct 200.00
        ("B-FIN", "CC-FIN", "PC1", D("333.33"), D("83.33"), D("83.33")),
        ("B-FIN", "CC-FIN", "PC3", D("333.33"), D("250.00"), D("250.00")),
    ]
    lines = bu_pnl(group.con, group.settings, NOV)
    pc1 = line(lines, "PC1")
    assert (pc1.month.allocations, pc1.ytd.allocations, pc1.prior_month.allocations) == (
        D("683.33"),  # 600.00 + 83.33
        D("983.33"),  # + October's 300.00
        D("300.00"),
    )
    unallocated = line(lines, "unallocated")
    assert unallocated.month == Figures(D("0.00"), D("1333.33"), D("-1333.33"), D("0.00"))
    assert unallocated.ytd == Figures(D("0.00"), D("1833.33"), D("-1833.33"), D("0.00"))

    # The department report shows each cost center's cost and its allocation credit.
    report = cost_center_report(group.con, group.settings, NOV)
    assert [
        (r.department, r.cost_center, r.account, r.month, r.ytd, r.prior_month) for r in report
    ] == [
        ("Finance", "CC-FIN", "6000", D("333.33"), D("333.33"), D("0.00")),
        ("Finance", "CC-FIN", "6950", D("-333.33"), D("-333.33"), D("0.00")),
        ("IT", "CC-IT", "6000", D("1000.00"), D("1500.00"), D("500.00")),
        ("IT", "CC-IT", "6950", D("-1000.00"), D("-1500.00"), D("-500.00")),
    ]


def test_a_cost_center_in_two_cycles_is_sent_once_by_the_first_cycle_by_name(group: Group) -> None:
    group.balance(OCT, "P", "6000", "90.00", cc="CC-IT")
    group.rule("2-second", "CC-IT", "PC3", "fixed", "1")
    group.rule("1-first", "CC-IT", "PC1", "fixed", "1")
    group.consolidated(OCT)
    manage_period(group.settings, group.con, OCT)
    assert [
        (a.cycle, a.receiver, a.amount) for a in allocation_report(group.con, group.settings, OCT)
    ] == [("1-first", "PC1", D("90.00"))]


def test_ic_fee_between_business_units_is_eliminated_in_the_eliminations_row(group: Group) -> None:
    # S1 (Laptops, HW) charges S2 (Cloud, SW) a management fee of 250.00;
    # both sell 1,000.00 to third parties.
    group.balance(OCT, "S1", "4000", "-1000.00", pc="PC1")
    group.balance(OCT, "S2", "4000", "-1000.00", pc="PC3")
    group.balance(OCT, "S1", "4100", "-250.00", pc="PC1", partner="S2")
    group.balance(OCT, "S2", "6100", "250.00", pc="PC3", partner="S1")
    # The group's elimination (SPEC 7.2): -b to the IC account, +b to its plug.
    group.elimination(OCT, "S1", "4100", "250.00", partner="S2", pc="PC1")
    group.elimination(OCT, "S1", "6900", "-250.00", partner="S2", pc="PC1")
    group.elimination(OCT, "S2", "6100", "-250.00", partner="S1", pc="PC3")
    group.elimination(OCT, "S2", "6900", "250.00", partner="S1", pc="PC3")
    group.consolidated(OCT)
    manage_period(group.settings, group.con, OCT)

    lines = bu_pnl(group.con, group.settings, OCT)
    # The fee stays on the business units that booked it ...
    assert line(lines, "HW").month == Figures(D("1250.00"), D("0.00"), D("0.00"), D("1250.00"))
    assert line(lines, "SW").month == Figures(D("1000.00"), D("250.00"), D("0.00"), D("750.00"))
    # ... the Eliminations row removes 250.00 from revenue and from expense
    # (6100 -250.00, and the plug 6900 nets to zero) ...
    assert line(lines, "eliminations").month == Figures(
        D("-250.00"), D("-250.00"), D("0.00"), D("0.00")
    )
    # ... so the group shows third-party revenue only: 2,000.00.
    assert line(lines, "total").ytd == Figures(D("2000.00"), D("0.00"), D("0.00"), D("2000.00"))
    assert line(lines, "GRP").ytd == Figures(D("2250.00"), D("250.00"), D("0.00"), D("2000.00"))


def test_rows_follow_the_business_unit_tree_and_place_every_line(group: Group) -> None:
    group.balance(OCT, "S1", "6000", "10.00", cc="CC-HW")  # cost center's profit center PC1
    group.balance(OCT, "S1", "6000", "20.00", pc="PC2", cc="CC-HW")  # own profit center wins
    group.balance(OCT, "P", "6000", "30.00", cc="CC-FIN")  # shared, no cycle: Unallocated
    group.balance(OCT, "P", "6000", "40.00")  # neither: Unassigned
    group.balance(OCT, "P", "8900", "99.00")  # NCI share of profit: not in the view
    group.balance(OCT, "P", "1000", "-100.00")  # balance sheet: not in the view
    group.consolidated(OCT)
    manage_period(group.settings, group.con, OCT)

    lines = bu_pnl(group.con, group.settings, OCT)
    assert [(x.kind, x.code, x.level, x.business_unit, x.month.expense) for x in lines] == [
        ("business_unit", "GRP", 0, "", D("30.00")),
        ("business_unit", "HW", 1, "GRP", D("30.00")),
        ("profit_center", "PC1", 2, "HW", D("10.00")),
        ("profit_center", "PC2", 2, "HW", D("20.00")),
        ("business_unit", "SW", 1, "GRP", D("0.00")),
        ("profit_center", "PC3", 2, "SW", D("0.00")),
        ("unallocated", "", 0, "", D("30.00")),
        ("unassigned", "", 0, "", D("40.00")),
        ("eliminations", "", 0, "", D("0.00")),
        ("adjustments", "", 0, "", D("0.00")),
        ("total", "", 0, "", D("100.00")),
    ]
    assert line(lines, "total").month.result == D("-100.00")


def test_month_ytd_and_prior_month_across_a_fiscal_year_start(tmp_path: Path) -> None:
    # Fiscal year starts in December: November closes FY2026, December opens FY2027.
    group = Group(tmp_path, periods=("2026-10", "2026-11", "2026-12"), fiscal_year_start=12)
    group.balance("2026-10", "S1", "4000", "-100.00", pc="PC1")
    group.balance("2026-11", "S1", "4000", "-250.00", pc="PC1")  # November: 150.00
    group.balance("2026-12", "S1", "4000", "-40.00", pc="PC1")  # new year: YTD = month
    for period in ("2026-10", "2026-11", "2026-12"):
        group.consolidated(period)
    manage_period(group.settings, group.con, "2026-12")
    pc1 = line(bu_pnl(group.con, group.settings, "2026-12"), "PC1")
    assert (pc1.month.revenue, pc1.ytd.revenue, pc1.prior_month.revenue) == (
        D("40.00"),
        D("40.00"),
        D("150.00"),
    )


def test_a_month_without_folder_has_no_movements(tmp_path: Path) -> None:
    group = Group(tmp_path, periods=("2026-10", "2026-12"))
    group.balance("2026-10", "S1", "4000", "-100.00", pc="PC1")
    group.balance("2026-12", "S1", "4000", "-175.00", pc="PC1")
    group.consolidated("2026-10")
    group.consolidated("2026-12")
    manage_period(group.settings, group.con, "2026-12")
    pc1 = line(bu_pnl(group.con, group.settings, "2026-12"), "PC1")
    # December = YTD Dec 175.00 - YTD Nov (= YTD Oct, no folder) 100.00; November moved nothing.
    assert (pc1.month.revenue, pc1.ytd.revenue, pc1.prior_month.revenue) == (
        D("75.00"),
        D("175.00"),
        D("0.00"),
    )


def test_revenue_cycle_whose_receivers_have_no_revenue_sends_nothing_and_warns(
    group: Group,
) -> None:
    group.balance(OCT, "P", "6000", "70.00", cc="CC-IT")
    group.rule("IT", "CC-IT", "PC1", "revenue")
    group.rule("IT", "CC-IT", "PC2", "revenue")
    group.consolidated(OCT)
    report = manage_period(group.settings, group.con, OCT)
    assert report.allocations == 0
    assert report.unallocated_ytd == D("70.00")
    assert report.warnings == (
        "cycle IT: no receiver of CC-IT has revenue this month; 70.00 stays unallocated",
    )
    assert management_warnings(group.con, OCT) == list(report.warnings)


def test_rerun_rebuilds_the_period_and_requires_consolidation(group: Group) -> None:
    with pytest.raises(PeriodError, match="2026-10 is not loaded yet"):
        manage_period(group.settings, group.con, OCT)
    group.balance(OCT, "S1", "4000", "-5.00", pc="PC1")
    group.consolidated(OCT)
    first = manage_period(group.settings, group.con, OCT)
    second = manage_period(group.settings, group.con, OCT)
    assert first == second
    assert first.lines == 1
    # November needs October's snapshot: October consolidated is enough.
    group.consolidated(NOV)
    manage_period(group.settings, group.con, NOV)


def test_an_earlier_period_of_the_year_must_be_consolidated(group: Group) -> None:
    group.consolidated(NOV)
    with pytest.raises(PeriodError, match="2026-10 is not loaded yet"):
        manage_period(group.settings, group.con, NOV)
    for step in ("loaded", "posted"):
        status.mark(group.con, OCT, step)
    with pytest.raises(PeriodError, match="2026-10 is not consolidated yet"):
        manage_period(group.settings, group.con, NOV)


def test_revenue_reaching_a_profit_center_through_its_cost_center_counts_as_its_revenue(
    group: Group,
) -> None:
    # PC1's revenue is booked on cost center CC-HW (profit center PC1); PC3's
    # is intercompany (a fee from S1), which counts too.
    group.balance(OCT, "S1", "4000", "-30.00", cc="CC-HW")
    group.balance(OCT, "S2", "4100", "-10.00", pc="PC3", partner="S1")
    group.balance(OCT, "P", "6000", "8.00", cc="CC-IT")
    group.rule("IT", "CC-IT", "PC1", "revenue")
    group.rule("IT", "CC-IT", "PC3", "revenue")
    group.consolidated(OCT)
    manage_period(group.settings, group.con, OCT)
    # 8.00 x 30/40 = 6.00 to PC1, PC3 takes 2.00.
    assert [(a.receiver, a.amount) for a in allocation_report(group.con, group.settings, OCT)] == [
        ("PC1", D("6.00")),
        ("PC3", D("2.00")),
    ]


def test_a_locked_period_is_refused(group: Group) -> None:
    group.consolidated(OCT)
    group.con.execute("UPDATE period_status SET locked_at = now() WHERE period = ?", [OCT])
    with pytest.raises(PeriodError, match="locked"):
        manage_period(group.settings, group.con, OCT)


def test_names_and_labels_follow_the_output_language(group: Group) -> None:
    group.con.execute("UPDATE profit_center SET name_zh = '笔记本' WHERE profit_center = 'PC1'")
    group.balance(OCT, "S1", "4000", "-1.00", pc="PC1")
    group.consolidated(OCT)
    manage_period(group.settings, group.con, OCT)
    zh = dataclasses.replace(group.settings, language="zh")
    lines = bu_pnl(group.con, zh, OCT)
    assert line(lines, "PC1").name == "笔记本"
    assert line(lines, "PC2").name == "Desktops"  # no Chinese name: the English one
    assert [x.name for x in lines[-5:]] == ["未分摊", "未分配", "内部抵销", "合并调整", "集团合计"]

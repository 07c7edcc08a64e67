"""Statement model: tree order, subtotals, presented signs, month/YTD columns, NCI split."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closekit.db import migrate
from closekit.report.chart import account_tree, presented
from closekit.report.sources import BalanceSource
from closekit.report.statements import balance_sheet, income_statement
from closekit.report.worksheet import NCI_STEPS, consolidation_worksheet

D = Decimal

# A small chart: summaries 1000/2000/3000/4000/6000 over posting accounts.
CHART = [
    # account, name, name_zh, type, parent, sort_key
    ("1000", "Assets", "资产", "asset", "", 1),
    ("1100", "Cash", "现金", "asset", "1000", 2),
    ("1200", "Receivables", "应收账款", "asset", "1000", 3),
    ("2000", "Liabilities", "负债", "liability", "", 4),
    ("2100", "Payables", "应付账款", "liability", "2000", 5),
    ("3000", "Equity", "所有者权益", "equity", "", 6),
    ("3100", "Share capital", "股本", "equity", "3000", 7),
    ("3200", "Retained earnings", "未分配利润", "equity", "3000", 8),
    ("3900", "Non-controlling interests", "少数股东权益", "equity", "3000", 9),
    ("4000", "Revenue", "收入", "revenue", "", 10),
    ("4100", "Sales", "销售收入", "revenue", "4000", 11),
    ("6000", "Expenses", "费用", "expense", "", 12),
    ("6100", "Cost of sales", "销售成本", "expense", "6000", 13),
    ("6200", "Rent", "租金", "expense", "6000", 14),
    ("8900", "NCI share of profit", "少数股东损益", "expense", "", 15),
]


def chart_con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    migrate(con)
    con.executemany(
        "INSERT INTO account (account, name, name_zh, type, parent, rate, sort_key, is_summary) "
        "VALUES (?, ?, ?, ?, ?, 'closing', ?, false)",
        CHART,
    )
    return con


def source(
    by_period: Mapping[str, Mapping[str, Decimal]],
    folders: tuple[str, ...] = ("2026-01", "2026-02", "2026-03"),
) -> BalanceSource:
    """Balances of the folder periods in ``by_period``; other folders unknown."""
    return BalanceSource(folders, 1, lambda p: by_period[p], lambda p: p in by_period)


# Stored balances (debit positive), cumulative BS / YTD P&L, two months:
# Jan: capital 1000 in cash; sales 500 (receivable), cost 300 and rent 50 paid
#      by payables 350. TB: 1100 1000, 1200 500, 2100 -350, 3100 -1000,
#      4100 -500, 6100 300, 6200 50 -> sums to zero.
# Feb: further sales 200 on credit, cost 120 on payables; NCI share 10.
JAN = {"1100": D("1000.00"), "1200": D("500.00"), "2100": D("-350.00"), "3100": D("-1000.00"),
       "4100": D("-500.00"), "6100": D("300.00"), "6200": D("50.00")}  # fmt: skip
FEB = {"1100": D("1000.00"), "1200": D("700.00"), "2100": D("-470.00"), "3100": D("-1000.00"),
       "3900": D("-10.00"), "4100": D("-700.00"), "6100": D("420.00"), "6200": D("50.00"),
       "8900": D("10.00")}  # fmt: skip


def test_presented_flips_credit_natured_types_only() -> None:
    assert presented("revenue", D("-5.00")) == D("5.00")
    assert presented("liability", D("-5.00")) == D("5.00")
    assert presented("equity", D("3.00")) == D("-3.00")
    assert presented("asset", D("5.00")) == D("5.00")
    assert presented("expense", D("5.00")) == D("5.00")


def test_tree_levels_and_leaves() -> None:
    tree = {a.account: a for a in account_tree(chart_con())}
    assert tree["1000"].is_summary and tree["1000"].level == 0
    assert tree["1000"].leaves == ("1100", "1200")
    assert not tree["1100"].is_summary and tree["1100"].level == 1


def test_balance_sheet_february_balances_with_year_result() -> None:
    tree = account_tree(chart_con())
    bs = balance_sheet(tree, source({"2026-01": JAN, "2026-02": FEB}), "2026-02", "en")
    assert [c.key for c in bs.columns] == ["period_end", "prior_month_end"]  # no prior FY end
    # Feb: assets 1000 + 700 = 1700; liabilities 470; equity 1000 + NCI 10
    # + year result (700 - 420 - 50 - 10 = 220) = 1230; 470 + 1230 = 1700.
    assert bs.line("1000").amounts[0] == D("1700.00")
    assert bs.line("1000").is_subtotal and not bs.line("1100").is_subtotal
    assert bs.line("2100").amounts[0] == D("470.00")  # liability shown positive
    assert bs.total("current_year_result").amounts == (D("220.00"), D("150.00"))
    assert bs.total("total_equity").amounts[0] == D("1230.00")
    assert bs.total("total_assets").amounts == bs.total("total_liabilities_equity").amounts
    # retained earnings has no balance in any column: left out
    with pytest.raises(KeyError):
        bs.line("3200")


def test_income_statement_month_ytd_prior_month_and_nci_split() -> None:
    tree = account_tree(chart_con())
    stmt = income_statement(tree, source({"2026-01": JAN, "2026-02": FEB}), "2026-02", "en",
                            "8900", consolidated=True)  # fmt: skip
    assert [c.key for c in stmt.columns] == ["month", "ytd", "prior_month"]
    # Sales: month 700 - 500 = 200, YTD 700, prior month (January, the
    # fiscal-year start) 500.
    assert stmt.line("4100").amounts == (D("200.00"), D("700.00"), D("500.00"))
    # Profit: month 200 - 120 = 80, YTD 700 - 470 = 230, January 150.
    assert stmt.total("profit_for_period").amounts == (D("80.00"), D("230.00"), D("150.00"))
    assert stmt.total("attributable_nci").amounts == (D("10.00"), D("10.00"), D("0.00"))
    assert stmt.total("attributable_owners").amounts == (D("70.00"), D("220.00"), D("150.00"))
    with pytest.raises(KeyError):
        stmt.line("8900")  # below profit for the period, not a line of the tree


def test_entity_income_statement_has_no_attribution() -> None:
    tree = account_tree(chart_con())
    stmt = income_statement(tree, source({"2026-01": JAN}), "2026-01", "en", "8900", False)
    assert [line.key for line in stmt.lines if line.key] == ["profit_for_period"]
    # before the first period every balance is zero
    assert stmt.total("profit_for_period").amounts == (D("150.00"), D("150.00"), D("0.00"))


def test_prior_year_columns_when_those_periods_exist() -> None:
    tree = account_tree(chart_con())
    # 2025-12 year end: the P&L not yet rolled (YTD), as the ledger shows it.
    periods = {"2025-02": FEB, "2025-12": FEB, "2026-01": JAN, "2026-02": FEB}
    months = tuple(f"2025-{m:02d}" for m in range(1, 13))
    src = source(periods, folders=(*months, "2026-01", "2026-02"))
    bs = balance_sheet(tree, src, "2026-02", "en")
    assert [c.key for c in bs.columns] == ["period_end", "prior_month_end", "prior_year_end"]
    assert bs.total("current_year_result").amounts[2] == D("220.00")
    stmt = income_statement(tree, src, "2026-02", "en", "8900", True)
    assert [c.key for c in stmt.columns][-1] == "prior_year_ytd"
    assert stmt.line("4100").amounts[3] == D("700.00")


def test_unknown_prior_period_gives_blank_amounts() -> None:
    tree = account_tree(chart_con())
    # 2026-02 exists but 2026-01 was never consolidated: month is unknown.
    stmt = income_statement(tree, source({"2026-02": FEB}), "2026-02", "en", "8900", True)
    assert stmt.line("4100").amounts == (None, D("700.00"), None)


def test_chinese_labels() -> None:
    tree = account_tree(chart_con())
    bs = balance_sheet(tree, source({"2026-01": JAN}), "2026-01", "zh")
    assert bs.line("1100").label == "现金"
    assert bs.total("total_assets").label == "资产总计"


money = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)


@settings(max_examples=60, deadline=None)
@given(st.lists(money, min_size=7, max_size=7))
def test_any_balanced_tb_gives_a_balanced_balance_sheet(amounts: list[Decimal]) -> None:
    """Invariant: a TB that sums to zero presents assets = liabilities + equity."""
    accounts = ["1100", "1200", "2100", "3100", "4100", "6100", "6200"]
    tb = dict(zip(accounts, amounts, strict=True))
    tb["3200"] = -sum(amounts, D("0.00"))  # retained earnings closes the TB
    bs = balance_sheet(TREE, source({"2026-03": tb}), "2026-03", "en")
    assert bs.total("total_assets").amounts[0] == bs.total("total_liabilities_equity").amounts[0]


TREE = account_tree(chart_con())


LEAVES = [a.account for a in TREE if not a.is_summary]
STEPS = ["ic_elimination", "investment", "nci_result", "nci_reserves"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["P", "S"]), st.sampled_from(LEAVES), money), max_size=20),
    st.lists(st.tuples(st.sampled_from(STEPS), st.sampled_from(LEAVES), money), max_size=10),
)
def test_worksheet_columns_add_up(
    balances: list[tuple[str, str, Decimal]], entries: list[tuple[str, str, Decimal]]
) -> None:
    """Invariant: nothing is lost or counted twice between the inputs, the
    members, Eliminations, NCI and Consolidated columns and the subtotals."""
    lines = consolidation_worksheet(TREE, "en", ["P", "S"], balances, entries)
    leaves = [x for x in lines if not x.is_summary]
    zero = D("0.00")
    assert sum((x.consolidated for x in leaves), zero) == sum((b[2] for b in balances), zero) + sum(
        (e[2] for e in entries), zero
    )
    assert sum((x.nci for x in leaves), zero) == sum(
        (e[2] for e in entries if e[0] in NCI_STEPS), zero
    )
    assert sum((x.members[1] for x in leaves), zero) == sum(
        (b[2] for b in balances if b[0] == "S"), zero
    )
    by_account = {x.account: x for x in lines}
    for acc in TREE:
        if acc.is_summary and acc.account in by_account:
            below = [by_account[a] for a in acc.leaves if a in by_account]
            assert by_account[acc.account].consolidated == sum(
                (x.consolidated for x in below), zero
            )


def test_worksheet_splits_entry_steps_into_eliminations_and_nci() -> None:
    lines = consolidation_worksheet(
        TREE, "en", ["P", "S"],
        [("P", "1100", D("100.00")), ("S", "1100", D("50.00")), ("X", "1100", D("7.00"))],
        [("ic_elimination", "1100", D("-20.00")), ("nci_reserves", "1100", D("-5.00"))],
    )  # fmt: skip
    cash = next(x for x in lines if x.account == "1100")
    # X is not a member of the node: its balance stays out.
    assert (cash.members, cash.eliminations, cash.nci) == (
        (D("100.00"), D("50.00")), D("-20.00"), D("-5.00"),
    )  # fmt: skip
    assert cash.members_total == D("150.00") and cash.consolidated == D("125.00")
    assert [x.account for x in lines] == ["1000", "1100"]  # summary first, zero lines left out


def test_tree_is_depth_first_whatever_the_sort_keys() -> None:
    """Descendants follow their account (the worksheet's SUBTOTAL ranges rely
    on it), even when sort_key interleaves two branches."""
    con = chart_con()
    con.execute("UPDATE account SET sort_key = 1 WHERE account IN ('1100', '2100')")
    order = [a.account for a in account_tree(con)]
    assert order.index("1000") < order.index("1100") < order.index("1200") < order.index("2000")
    assert order.index("2000") < order.index("2100") < order.index("3000")


def test_a_month_without_a_folder_has_no_movements() -> None:
    """SPEC section 1: no folder for February, so February holds January's
    balances; March's month is March YTD less January YTD."""
    tree = account_tree(chart_con())
    march = {**FEB}  # the FEB figures, booked in March instead
    src = source({"2026-01": JAN, "2026-03": march}, folders=("2026-01", "2026-03"))
    stmt = income_statement(tree, src, "2026-03", "en", "8900", True)
    # Month: 230 - 150 = 80; YTD 230; prior month (February) had no movements.
    assert stmt.total("profit_for_period").amounts == (D("80.00"), D("230.00"), D("0.00"))
    bs = balance_sheet(tree, src, "2026-03", "en")
    assert bs.line("1200").amounts == (D("700.00"), D("500.00"))  # Feb end = Jan end


def test_a_gap_across_the_year_end_is_unknown_not_guessed() -> None:
    tree = account_tree(chart_con())
    src = source({"2025-12": FEB, "2026-02": FEB}, folders=("2025-12", "2026-02"))
    # January 2026 has no folder and starts a fiscal year: its rolled balances
    # are not in any finished table, so the prior month stays blank.
    stmt = income_statement(tree, src, "2026-02", "en", "8900", True)
    assert stmt.line("4100").amounts == (None, D("700.00"), None)

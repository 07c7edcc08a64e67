"""Statement of changes in equity and statement of cash flows (SPEC 19.2)
and their checks (SPEC 20), on two_months (figures derived there)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from closekit.checks.base import CheckContext
from closekit.checks.statements import cash_flow_check, equity_statement_check
from closekit.statements.cash_flow import cash_flow_statement
from closekit.statements.equity import equity_statement
from closekit.statements.income import comprehensive_income
from closekit.statements.rollforward import (
    cta_rollforward,
    goodwill_rollforward,
    nci_rollforward,
)
from tests.statements_fixture import two_months, with_nci
from tests.test_consolidate_helpers import Group

D = Decimal


def test_the_equity_statement_from_the_opening_rows_to_february(tmp_path: Path) -> None:
    """Presented credit positive. Opening: share capital 1500 (S's 650 is
    eliminated against the investment), translation reserve 30 (S's CTA
    brought forward), retained earnings 150. Profit 200 + 558 = 758;
    exchange differences 60; total comprehensive income 818; dividend to the
    parent's owners -300; S's capital increase is intra-group (no row).
    Closing: 1500 + 90 + 608 = 2198."""
    g = two_months(tmp_path)
    statement = equity_statement(g.con, g.settings, "2026-02")
    rows = {row.row: row.amounts for row in statement.rows}
    # share capital, other reserves, translation reserve, retained earnings, owners, NCI, total
    assert rows == {
        "opening": (D(1500), D(0), D(30), D(150), D(1680), D(0), D(1680)),
        "profit": (D(0), D(0), D(0), D(758), D(758), D(0), D(758)),
        "translation": (D(0), D(0), D(60), D(0), D(60), D(0), D(60)),
        "comprehensive": (D(0), D(0), D(60), D(758), D(818), D(0), D(818)),
        "dividend_owners": (D(0), D(0), D(0), D(-300), D(-300), D(0), D(-300)),
        "closing": (D(1500), D(0), D(90), D(608), D(2198), D(0), D(2198)),
    }
    assert statement.rows[0].label == "Opening balances (first period)"
    assert statement.rows[-1].label == "Balance at 2026-02"


def test_the_cash_flow_statement_ends_at_the_change_in_cash(tmp_path: Path) -> None:
    """Cash: opening 1000 + 680 = 1680, closing 758 + 1440 = 2198, change
    518 = profit 758 - dividend 300 + exchange differences on S's cash 60.
    P's 142 paid for S's new shares and S's 142 received cancel."""
    g = two_months(tmp_path)
    statement = cash_flow_statement(g.con, g.settings, "2026-02")
    assert [(line.section, line.line, line.amount) for line in statement.lines] == [
        ("operating", "profit", D("758.00")),
        ("financing", "dividend", D("-300.00")),
        ("fx", "cash_translation", D("60.00")),
    ]
    assert (statement.cash_opening, statement.cash_closing) == (D("1680.00"), D("2198.00"))
    assert statement.total() == D("518.00")


def test_the_checks_pass_and_fail_when_a_flow_is_broken(tmp_path: Path) -> None:
    g = two_months(tmp_path)
    ctx = CheckContext(g.settings, g.con, "2026-02")
    assert equity_statement_check(ctx).status == "pass"
    assert cash_flow_check(ctx).status == "pass"
    # P's result booked twice in its retained earnings' flows: 10 more profit
    g.con.execute(
        "UPDATE node_flow SET amount = amount - 10 "
        "WHERE period = '2026-02' AND entity = 'P' AND account = '3200' AND flow = 'profit'"
    )
    result = equity_statement_check(ctx)
    assert (result.status, result.detail) == (
        "fail",
        "P retained_earnings: statement 618.00, balance sheet 608.00",
    )
    result = cash_flow_check(ctx)
    assert (result.status, result.detail) == (
        "pass",
        "1 node(s): the cash flows explain the change in cash",
    )
    # S's cash moved 5 more than its balance did: the statement no longer explains it
    g.con.execute(
        "UPDATE node_flow SET amount = amount + 5 "
        "WHERE period = '2026-02' AND entity = 'S' AND account = '1000' AND flow = 'movement'"
    )
    result = cash_flow_check(ctx)
    assert (result.status, result.detail) == (
        "fail",
        "P: cash flows 523.00, change in cash 518.00",
    )


def test_nci_takes_its_share_of_profit_and_exchange_differences(tmp_path: Path) -> None:
    """Figures of with_nci: the statements attribute profit 345 as 276
    owners / 69 NCI and exchange differences 25 as 20 / 5."""
    g = with_nci(tmp_path)
    rows = {r.row: r.amounts for r in equity_statement(g.con, g.settings, "2026-01").rows}
    assert rows["opening"] == (D(1500), D(0), D(24), D(0), D(1524), D(136), D(1660))
    assert rows["profit"] == (D(0), D(0), D(0), D(276), D(276), D(69), D(345))
    assert rows["translation"] == (D(0), D(0), D(20), D(0), D(20), D(5), D(25))
    assert rows["closing"] == (D(1500), D(0), D(44), D(276), D(1820), D(210), D(2030))
    income = comprehensive_income(g.con, g.settings, "2026-01")
    assert [(x.line, x.owners, x.nci, x.total) for x in income.lines] == [
        ("profit", D(276), D(69), D(345)),
        ("recycle_heading", None, None, None),
        ("translation", D(20), D(5), D(25)),
        ("oci", D(20), D(5), D(25)),
        ("comprehensive", D(296), D(74), D(370)),
    ]
    ctx = CheckContext(g.settings, g.con, "2026-01")
    assert [check(ctx).status for check in (equity_statement_check, cash_flow_check)] == [
        "pass",
        "pass",
    ]


def test_roll_forwards_of_nci_and_cta(tmp_path: Path) -> None:
    """with_nci: NCI in S 136 + 69 + 5 = 210; S's CTA 30 + 25 = 55 (presented
    credit positive), of which the owners' 24 + 20 = 44 and NCI's 6 + 5 = 11."""
    g = with_nci(tmp_path)
    nci = nci_rollforward(g.con, g.settings, "2026-01")
    assert nci.flows == ("opening", "profit", "translation")
    assert [(x.item, x.detail, x.amounts) for x in nci.lines] == [
        ("S", "NCI 20.00%", (D(136), D(69), D(5), D(210))),
    ]
    cta = cta_rollforward(g.con, g.settings, "2026-01")
    assert [(x.item, x.detail, x.amounts) for x in cta.lines] == [
        ("S", "owners", (D(24), D(20), D(44))),
        ("S", "non-controlling interests", (D(6), D(5), D(11))),
        ("S", "total", (D(30), D(25), D(55))),
    ]
    assert goodwill_rollforward(g.con, g.settings, "2026-01").lines == ()


def test_a_cash_flow_statement_with_depreciation_working_capital_a_loan_and_fx(
    tmp_path: Path,
) -> None:
    """P (CNY) holds 100% of S (USD) from the first period, 2026-01; USD/CNY
    closing 6.80 at 2025-12, 7.00 at January (average 6.90).

    Opening rows: P cash 5,000, investment in S 680, share capital -5,680;
    S cash USD 100 (680.00), share capital USD -100 (-680). In January P
    buys equipment for 1,200 cash (1600, investing), depreciates it by 100
    (6100 against accumulated depreciation 1610, operating), sells for 500
    on credit (1100, operating), draws a loan of 2,000 (2500, financing)
    and pays its shareholders a dividend of 300; S sells for USD 50 cash
    (345.00 at 6.90).

    Profit 500 - 100 + 345 = 745.00. Operating: 745 - 500 (receivables not
    yet cash) + 100 (depreciation added back) = 345.00. Investing: (1,200.00).
    Financing: loan 2,000.00, dividend (300.00). Effect of exchange rates on
    S's cash: 150 x 7.00 - 680 - 345 = 25.00. Total 870.00 = closing cash
    (P 5,000 - 1,200 + 2,000 - 300 = 5,500; S 1,050.00) 6,550.00 less the
    opening 5,680.00."""
    g = Group(tmp_path).entity("P").entity("S", "USD", "P")
    g.account("1100", "asset", "closing").account("1600", "asset", "closing")
    g.account("1610", "asset", "closing").account("2500", "liability", "closing")
    g.account("6100", "expense", "average")
    g.rate("2025-12", "USD", "6.80", None).rate("2026-01", "USD", "7.00", "6.90")
    o, jan = "opening", "2026-01"
    g.line(jan, "P", "1000", "5000", module=o).line(jan, "P", "1500", "680", "S", module=o)
    g.line(jan, "P", "3000", "-5680", module=o)
    g.line(jan, "S", "1000", "100", module=o)
    g.line(jan, "S", "3000", "-100", amount_group="-680", module=o)
    g.line(jan, "P", "1600", "1200").line(jan, "P", "1000", "-1200")
    g.line(jan, "P", "6100", "100").line(jan, "P", "1610", "-100")
    g.line(jan, "P", "1100", "500").line(jan, "P", "4000", "-500")
    g.line(jan, "P", "1000", "2000").line(jan, "P", "2500", "-2000")
    g.line(jan, "P", "3200", "300", flow="dividend").line(jan, "P", "1000", "-300")
    g.line(jan, "S", "1000", "50").line(jan, "S", "4000", "-50")
    for account, kind in (("1000", "cash"), ("1600", "investing"), ("2500", "financing")):
        g.con.execute("UPDATE account SET cash_flow = ? WHERE account = ?", [kind, account])
    g.post(jan)
    g.consolidate(jan)
    statement = cash_flow_statement(g.con, g.settings, jan)
    assert [(line.section, line.line, line.amount) for line in statement.lines] == [
        ("operating", "profit", D("745.00")),
        ("operating", "1100", D("-500.00")),
        ("operating", "1610", D("100.00")),
        ("investing", "1600", D("-1200.00")),
        ("financing", "dividend", D("-300.00")),
        ("financing", "2500", D("2000.00")),
        ("fx", "cash_translation", D("25.00")),
    ]
    assert [statement.total(s) for s in ("operating", "investing", "financing", "fx")] == [
        D("345.00"), D("-1200.00"), D("1700.00"), D("25.00"),
    ]  # fmt: skip
    assert (statement.cash_opening, statement.cash_closing) == (D("5680.00"), D("6550.00"))
    assert statement.total() == D("870.00")
    ctx = CheckContext(g.settings, g.con, jan)
    assert cash_flow_check(ctx).status == "pass"

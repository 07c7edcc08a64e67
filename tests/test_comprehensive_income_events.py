"""OCI of associates and exchange differences reclassified on disposal in
the statement of comprehensive income (IAS 1.82A(b), 1.92; IAS 21.48;
SPEC 16, 19.2), each attributed to owners and NCI, tied to the statement of
changes in equity and to the events. Figures derived by hand in the
docstrings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from closekit.checks.base import CheckContext
from closekit.checks.statements import CHECKS
from closekit.statements.cash_flow import cash_flow_statement
from closekit.statements.equity import equity_statement
from closekit.statements.income import ComprehensiveIncome, comprehensive_income
from tests.statements_fixture import sold_in_march
from tests.test_consolidate_helpers import Group, d

ZERO = Decimal(0)


def parts(income: ComprehensiveIncome, line: str) -> tuple[Decimal | None, Decimal | None]:
    found = income.line(line)
    return found.owners, found.nci


def assert_ties(g: Group, period: str) -> None:
    """Total comprehensive income is the same in both statements, for owners
    and NCI, and the three checks pass."""
    income = comprehensive_income(g.con, g.settings, period, "P")
    equity = equity_statement(g.con, g.settings, period, "P")
    row = equity.row("comprehensive")
    assert row is not None
    assert parts(income, "comprehensive") == (row.amount("owners"), row.amount("nci"))
    ctx = CheckContext(g.settings, g.con, period)
    assert [check(ctx).status for check in CHECKS] == ["pass"] * len(CHECKS)


def test_share_of_the_oci_of_a_foreign_associate(tmp_path: Path) -> None:
    """P (CNY) buys 30% of A (USD) at the start of February 2026 for 2,100
    (document INV). A holds USD 1,000 cash against its capital (CNY 6,800
    at the historical 6.80) and earns nothing; USD/CNY closing 7.00 in
    January, 7.20 in February (averages 6.90, 7.10).

    A's CTA: January -(7,000 - 6,800) = -200, February -(7,200 - 6,800) =
    -400: a movement of -200 since the equity start. P's share (SPEC 16.2):
    30% x 200 = 60.00 credit on CTA, the carrying amount 2,100 + 60 =
    2,160.00. Comprehensive income of February, year to date: profit 0;
    share of OCI of associates 60.00 (owners; P has no NCI); total 60.00.
    Changes in equity: OCI 60.00 in the translation reserve. Cash flows:
    the share of OCI is not cash (no line); investing (2,100.00) for the
    investment; financing 10,000.00 (P's capital in January)."""
    g = Group(tmp_path).entity("P").entity("A", "USD", "P", "30", method="equity")
    g.account("4700", "revenue", "average").accounts(associate_result="4700")
    g.ownership("A", "2026-01", "", "0", "none").ownership("A", "2026-02", "P", "30", "equity")
    g.rate("2025-12", "USD", "6.80", None)
    g.rate("2026-01", "USD", "7.00", "6.90").rate("2026-02", "USD", "7.20", "7.10")
    g.line("2026-01", "P", "1000", "10000").line("2026-01", "P", "3000", "-10000")
    g.line("2026-01", "A", "1000", "1000", module="opening")
    g.line("2026-01", "A", "3000", "-1000", amount_group="-6800", module="opening")
    g.line("2026-02", "P", "1500", "2100", "A", doc_id="INV")
    g.line("2026-02", "P", "1000", "-2100", doc_id="INV")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post("2026-01", "2026-02")
    g.consolidate("2026-01")
    g.consolidate("2026-02")

    income = comprehensive_income(g.con, g.settings, "2026-02", "P")
    assert [(x.line, x.owners, x.nci) for x in income.lines] == [
        ("profit", ZERO, ZERO),
        ("recycle_heading", None, None),
        ("associates_oci", d("60.00"), ZERO),
        ("oci", d("60.00"), ZERO),
        ("comprehensive", d("60.00"), ZERO),
    ]
    equity = equity_statement(g.con, g.settings, "2026-02", "P")
    oci = equity.row("oci")
    assert oci is not None and oci.amount("translation_reserve") == d("60.00")
    cash = cash_flow_statement(g.con, g.settings, "2026-02", "P")
    assert {x.line: x.amount for x in cash.lines} == {
        "1500": d("-2100.00"),
        "equity": d("10000.00"),
    }
    assert_ties(g, "2026-02")


def test_exchange_differences_reclassified_on_disposal(tmp_path: Path) -> None:
    """The disposal of :func:`sold_in_march` (derived in
    tests/test_acquisition.py): P holds 80%
    of S (USD) and sells it at the start of March 2026; the owners'
    cumulative exchange differences of S, 448.00 credit (80% of S's CTA of
    560 at the end of February), are recycled into the gain (event
    ``cta_reclassified`` -448.00).

    S's CTA came in with the opening rows at 100 credit (USD 1,000 cash at
    January's average 7.10, no closing rate before, against capital at
    7,000) and stood at 560 at the end of February: exchange differences of
    the year 460, owners 80% = 368.00, NCI 92.00.

    Comprehensive income, January-March: exchange differences on
    translation 368.00 owners, 92.00 NCI; reclassified to profit or loss on
    disposal (448.00) owners (the cumulative 448, the 80 brought forward
    included), nothing for NCI (its part leaves with NCI, IAS 21.48B: a
    disposal, not OCI); OCI owners (80.00), NCI 92.00. Changes in equity: the same (448.00) on its
    own row in the translation reserve, inside total comprehensive income;
    the disposal row holds no translation reserve."""
    g = sold_in_march(tmp_path)
    (recycled,) = g.con.execute(
        "SELECT cta_reclassified FROM consolidation_event WHERE kind = 'loss_of_control'"
    ).fetchone() or (None,)
    assert recycled == d("-448.00")

    income = comprehensive_income(g.con, g.settings, "2026-03", "P")
    assert parts(income, "translation") == (d("368.00"), d("92.00"))
    assert parts(income, "reclassified") == (d("-448.00"), ZERO)
    assert parts(income, "oci") == (d("-80.00"), d("92.00"))
    equity = equity_statement(g.con, g.settings, "2026-03", "P")
    reclassified, disposal = equity.row("reclassified"), equity.row("disposal")
    assert reclassified is not None and disposal is not None
    assert reclassified.amount("translation_reserve") == d("-448.00")
    assert disposal.amount("translation_reserve") == ZERO
    assert [r.row for r in equity.rows].index("reclassified") < [r.row for r in equity.rows].index(
        "comprehensive"
    )
    assert_ties(g, "2026-03")

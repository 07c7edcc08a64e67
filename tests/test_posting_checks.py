"""The posting checks pass on a clean posting and fail when the tables are tampered with."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from closekit.checks.base import CheckContext, Finding, record
from closekit.checks.posting import entries_balanced, rows_accounted, subledger_gl
from closekit.post import post_period, write_totals
from tests.test_post import SUBLEDGERS
from tests.test_post_fixture import books, source

# A converted journal (with a 0.01 residue) and foreign sales, so that the
# checks see residue and revaluation lines too.
FOREIGN = {
    "journals": """
        doc_id,line,date,entity,currency,account,profit_center,cost_center,debit,credit
        J1,1,2026-01-31,P,EUR,6000,PC1,CC1,33.33,
        J1,2,2026-01-31,P,EUR,6100,,CC1,33.33,
        J1,3,2026-01-31,P,EUR,2000,,,,66.66
    """,
    "opening": """
        doc_id,line,date,entity,currency,account,amount,amount_doc
        OB1,1,2026-01-01,P,EUR,1000,7750.00,1000.00
        OB1,2,2026-01-01,P,CNY,3200,-7750.00,
    """,
}


@pytest.fixture
def ctx(tmp_path: Path) -> CheckContext:
    settings, con = books(tmp_path)
    for module, text in {**SUBLEDGERS, **FOREIGN}.items():
        source(con, "2026-01", module, text)
    source(con, "2026-01", "sales", """
        doc_id,line,date,entity,currency,kind,profit_center,net_amount,tax_amount
        S7,1,2026-01-20,U,CNY,goods,PC1,1000.00,130.00
    """)  # fmt: skip
    post_period(settings, con, "2026-01")
    con.execute(
        """INSERT INTO load_file VALUES
           ('2026-01', 'ledgers/2026-01/sales.csv', 'sales', 'abc', 4, 4, 0, now(), true),
           ('2026-01', 'ledgers/2026-01/sales.csv', 'sales', 'old', 9, 1, 8, now(), false)"""
    )
    return CheckContext(settings, con, "2026-01")


def tamper(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Change the books: the lines, and their period totals with them."""
    con.execute(sql)
    write_totals(con)


def test_all_pass_on_a_clean_posting(ctx: CheckContext) -> None:
    assert [(r.check, r.status) for r in (rows_accounted(ctx), entries_balanced(ctx),
                                         subledger_gl(ctx))] == [
        ("rows_accounted", "pass"), ("entries_balanced", "pass"), ("subledger_gl", "pass")
    ]  # fmt: skip
    assert rows_accounted(ctx).detail == "1 file(s): 4 rows read, all accepted"


def test_rows_accounted_fails_on_a_count_gap_or_a_rejected_row(ctx: CheckContext) -> None:
    tamper(ctx.con, "UPDATE load_file SET read = 5 WHERE current")
    result = rows_accounted(ctx)
    assert (result.status, result.detail) == (
        "fail", "ledgers/2026-01/sales.csv: read 5, accepted 4, rejected 0"
    )  # fmt: skip
    tamper(ctx.con, "UPDATE load_file SET read = 5, rejected = 1 WHERE current")
    assert rows_accounted(ctx).status == "fail"
    tamper(ctx.con, "UPDATE load_file SET read = 4, rejected = 0 WHERE current")
    tamper(
        ctx.con, "INSERT INTO reject VALUES ('2026-01', 'ledgers/2026-01/sales.csv', 3, 'x', 'y')"
    )
    assert rows_accounted(ctx).status == "fail"


def test_entries_balanced_fails_on_a_document_off_zero(ctx: CheckContext) -> None:
    tamper(
        ctx.con,
        "UPDATE journal SET amount = amount + 0.01 WHERE doc_id = 'S1' AND account = '4000'",
    )
    result = entries_balanced(ctx)
    assert (result.status, result.detail) == ("fail", "1 document(s): P sales S1 off by 0.01")
    assert result.findings == (Finding("P sales S1 off by 0.01", ("P",)),)


def test_subledger_gl_fails_on_a_lost_line(ctx: CheckContext) -> None:
    tamper(ctx.con, "DELETE FROM journal WHERE doc_id = 'E1' AND account = '1300'")
    result = subledger_gl(ctx)
    assert (result.status, result.detail) == (
        "fail", "expenses/P account 1300: source 18.00 vs posted 0.00"
    )  # fmt: skip
    assert result.findings == (
        Finding("expenses/P account 1300: source 18.00 vs posted 0.00", ("P",)),
    )


def test_subledger_gl_fails_on_a_balanced_move_to_another_account(ctx: CheckContext) -> None:
    # The entry still balances, so only the reconciliation catches it.
    tamper(ctx.con, "UPDATE journal SET account = '4100' WHERE doc_id = 'S1' AND account = '4000'")
    assert entries_balanced(ctx).status == "pass"
    result = subledger_gl(ctx)
    assert (result.status, result.detail) == (
        "fail",
        "sales/P account 4000: source -1000.00 vs posted 0.00; "
        "sales/P account 4100: source -500.00 vs posted -1500.00",
    )


def test_subledger_gl_fails_on_an_altered_converted_amount(ctx: CheckContext) -> None:
    tamper(
        ctx.con, "UPDATE journal SET amount = amount + 1 WHERE doc_id = 'S7' AND account = '1100'"
    )
    tamper(
        ctx.con, "UPDATE journal SET amount = amount - 1 WHERE doc_id = 'S7' AND account = '4000'"
    )
    assert subledger_gl(ctx).detail == (
        "sales/U account 1100: source 159.16 vs posted 160.16; "
        "sales/U account 4000: source -140.85 vs posted -141.85"
    )


def test_subledger_gl_fails_on_period_totals_that_are_not_the_lines(ctx: CheckContext) -> None:
    ctx.con.execute(
        "UPDATE journal_total SET amount = amount + 5 WHERE entity = 'P' AND account = '4000'"
    )
    ctx.con.execute("DELETE FROM journal_total WHERE entity = 'U' AND account = '1100'")
    assert subledger_gl(ctx).detail == (
        "P account 4000: journal lines -1000.00 vs period total -995.00; "
        "U account 1100: journal lines 156.94 vs period total 0.00"
    )


def test_subledger_gl_fails_on_a_row_no_rule_set_posts(ctx: CheckContext) -> None:
    tamper(ctx.con, "DELETE FROM posting_rule WHERE module = 'expenses'")
    assert subledger_gl(ctx).detail.startswith(
        "expenses/P: 1 row(s) match no posting rule set; "
        "expenses/P account 1300: source 0.00 vs posted 18.00"
    )


def test_subledger_gl_fails_on_rows_of_an_entity_gone_from_master_data(ctx: CheckContext) -> None:
    # S7 of U posted Dr 1100 159.16 / Cr 2100 18.31 / Cr 4000 140.85; with U no
    # longer in entities.csv its rows have no expected total (nor a functional
    # currency to convert into), so every posted line of U shows as a difference.
    tamper(ctx.con, "DELETE FROM entity WHERE entity = 'U'")
    result = subledger_gl(ctx)
    assert (result.status, result.detail) == (
        "fail",
        "sales/U account 1100: source 0.00 vs posted 159.16; "
        "sales/U account 2100: source 0.00 vs posted -18.31; "
        "sales/U account 4000: source 0.00 vs posted -140.85",
    )


def test_a_file_s_finding_is_about_the_entities_it_holds_and_is_recorded(
    ctx: CheckContext,
) -> None:
    """The sales file holds rows of P and U (load_entity): a count gap in it
    concerns both; record() keeps each finding with what it is about, and
    replaces them when the checks run again."""
    ctx.con.execute(
        "INSERT INTO load_entity VALUES ('2026-01', 'ledgers/2026-01/sales.csv', 'U'), "
        "('2026-01', 'ledgers/2026-01/sales.csv', 'P')"
    )
    tamper(ctx.con, "UPDATE load_file SET read = 5 WHERE current")
    failed = rows_accounted(ctx)
    assert failed.findings == (
        Finding("ledgers/2026-01/sales.csv: read 5, accepted 4, rejected 0", ("P", "U")),
    )
    record(ctx, [entries_balanced(ctx), failed])
    assert ctx.con.execute("SELECT * FROM check_finding").fetchall() == [
        ("2026-01", 1, 0, ["P", "U"], "ledgers/2026-01/sales.csv: read 5, accepted 4, rejected 0")
    ]
    tamper(ctx.con, "UPDATE load_file SET read = 4 WHERE current")
    record(ctx, [entries_balanced(ctx), rows_accounted(ctx)])
    assert ctx.con.execute("SELECT count(*) FROM check_finding").fetchone() == (0,)

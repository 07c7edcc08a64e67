"""The `flow` of journal and opening rows (SPEC 19.1): validated at load,
carried by posting to every journal line, its period totals and
journal.parquet."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from closekit import db
from closekit.load import load_period
from closekit.post import post_period
from closekit.report.exports import write_journal
from tests.test_load_fixture import OPENING, SALES, connect, workspace

JOURNALS = """
    doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,debit,credit,flow
    J1,1,2026-01-31,P,CNY,3200,,,,80.00,,Dividend
    J1,2,2026-01-31,P,CNY,2000,,,,,80.00,dividend
    J2,1,2026-01-31,P,CNY,1000,,,,500.00,,capital
    J2,2,2026-01-31,P,CNY,3000,,,,,500.00,capital
    J3,1,2026-01-31,P,CNY,6000,,,CCP,50.00,,
    J3,2,2026-01-31,P,CNY,2000,,,,,50.00,
"""


def test_a_journal_line_posts_its_flow_and_the_rest_are_movements(tmp_path: Path) -> None:
    """J1 declares a dividend (the enumeration is case-insensitive), J2 a
    capital increase, J3 says nothing (movement); opening rows are openings and
    subledger rows movements."""
    settings = workspace(
        tmp_path,
        {
            "ledgers/2026-01/journals.csv": JOURNALS,
            "ledgers/2026-01/opening.csv": OPENING,
            "ledgers/2026-01/sales.csv": SALES,
        },
    )
    con = connect(settings)
    assert load_period(settings, con, "2026-01").clean
    post_period(settings, con, "2026-01")
    lines = con.execute(
        "SELECT module, doc_id, account, flow FROM journal "
        "WHERE module IN ('journals', 'opening') ORDER BY module, doc_id, account"
    ).fetchall()
    assert lines == [
        ("journals", "J1", "2000", "dividend"),
        ("journals", "J1", "3200", "dividend"),
        ("journals", "J2", "1000", "capital"),
        ("journals", "J2", "3000", "capital"),
        ("journals", "J3", "2000", "movement"),
        ("journals", "J3", "6000", "movement"),
        ("opening", "O1", "1000", "opening"),
        ("opening", "O1", "3000", "opening"),
    ]
    assert con.execute("SELECT DISTINCT flow FROM journal WHERE module = 'sales'").fetchall() == [
        ("movement",)
    ]
    # The period totals keep the flows apart: P's payables 2000 hold a
    # dividend payable of 80 and an accrual of 50.
    totals = con.execute(
        "SELECT flow, amount FROM journal_total "
        "WHERE entity = 'P' AND account = '2000' ORDER BY flow"
    ).fetchall()
    assert totals == [("dividend", Decimal("-80.00")), ("movement", Decimal("-50.00"))]
    # journal.parquet carries the flow beside the amounts.
    out = tmp_path / "out"
    out.mkdir()
    write_journal(con, "2026-01", out, tmp_path / "parts")
    table = pq.read_table(out / "journal.parquet", columns=["doc_id", "account", "flow"])
    table = table.to_pylist()
    assert {"doc_id": "J2", "account": "3000", "flow": "capital"} in table


def test_an_unknown_flow_rejects_the_row_and_its_document(tmp_path: Path) -> None:
    journals = """
        doc_id,line,date,entity,currency,account,debit,credit,flow
        J1,1,2026-01-31,P,CNY,3200,80.00,,payout
        J1,2,2026-01-31,P,CNY,2000,,80.00,
    """
    opening = """
        doc_id,line,date,entity,currency,account,amount,flow
        O1,1,2026-01-01,P,CNY,1000,100.00,opening
        O1,2,2026-01-01,P,CNY,3000,-100.00,capital
    """
    settings = workspace(
        tmp_path,
        {"ledgers/2026-01/journals.csv": journals, "ledgers/2026-01/opening.csv": opening},
    )
    con = connect(settings)
    report = load_period(settings, con, "2026-01")
    assert report.error_lines() == [
        'ledgers/2026-01/journals.csv:2 flow: "payout" is not one of '
        "movement | dividend | capital | oci | acquisition",
        'ledgers/2026-01/journals.csv:3 doc_id: document "J1" of entity P is rejected with '
        "ledgers/2026-01/journals.csv:2",
        'ledgers/2026-01/opening.csv:2 doc_id: document "O1" of entity P is rejected with '
        "ledgers/2026-01/opening.csv:3",
        'ledgers/2026-01/opening.csv:3 flow: "capital" is not the flow of an opening row: '
        "opening rows are balances brought forward (opening)",
    ]


def test_a_journal_posted_before_flows_gets_them_from_migration_080() -> None:
    """Opening lines become openings, everything else movements, and the
    period totals are split by flow."""
    con = duckdb.connect()
    con.execute("CREATE TABLE schema_migration (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for name, sql in db.migrations():
        if name < "080":
            con.execute(sql)
            con.execute("INSERT INTO schema_migration VALUES (?, now())", [name])
    con.executemany(
        "INSERT INTO journal (period, date, entity, account, module, doc_id, line, "
        "currency, amount_doc, amount) "
        "VALUES ('2026-01', DATE '2026-01-31', 'P', ?, ?, 'J', '1', 'CNY', ?, ?)",
        [("1000", "opening", 5, 5), ("1000", "journals", 7, 7), ("3000", "opening", -5, -5)],
    )
    con.execute(
        "INSERT INTO journal_total SELECT period, entity, account, partner, profit_center, "
        "cost_center, false, sum(amount), NULL FROM journal GROUP BY ALL"
    )
    db.migrate(con)
    assert con.execute(
        "SELECT account, flow, amount FROM journal_total ORDER BY ALL"
    ).fetchall() == [
        ("1000", "movement", Decimal("7.00")),
        ("1000", "opening", Decimal("5.00")),
        ("3000", "opening", Decimal("-5.00")),
    ]

"""Validating the staged rows and writing the periods loaded: accepted rows into
``source_row``, rejects, the load history, each file's counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.db import single_append
from closekit.errors import Problem
from closekit.load.folder import PeriodFile
from closekit.load.history import stored_reports
from closekit.load.records import FileReport
from closekit.load.scope import Scope, delete_replaced, write_rejects
from closekit.validate import validate
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


def _row_problems(con: duckdb.DuckDBPyConnection) -> dict[str, list[Problem]]:
    rows = con.execute(
        "SELECT path, row_no, column_name, message FROM problem ORDER BY path, row_no, rule"
    ).fetchall()
    out: dict[str, list[Problem]] = {}
    for path, row_no, column, message in rows:
        out.setdefault(path, []).append(Problem(path, row_no, column, message))
    return out


def _rejected_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute("SELECT path, count(DISTINCT row_no) FROM problem GROUP BY path").fetchall()
    return {path: int(n) for path, n in rows}


# Accepted rows, typed. SPEC section 1: an empty tax_amount, debit or credit
# is 0. SPEC section 4: an opening row without amount_doc is held in the
# entity's functional currency, whatever its currency column says.
_INSERT_ACCEPTED = """
INSERT INTO source_row (period, module, path, sha256, row_no, doc_id, line, date, entity, currency,
    kind, partner, profit_center, cost_center, account, counterparty, item, quantity, description,
    net_amount, tax_amount, value, debit, credit, amount, amount_group, amount_doc, flow, ic_ref,
    extra)
SELECT s.period, s.module, s.path, s.sha256, s.row_no, s.doc_id, s.line, CAST(s.date AS DATE),
       s.entity,
       CASE WHEN s.module = 'opening' AND s.amount_doc = '' THEN e.currency
            ELSE upper(s.currency) END,
       s.kind, s.partner, s.profit_center, s.cost_center, s.account,
       s.customer || s.supplier || s.payee,
       s.product || s.item,
       CAST(nullif(s.quantity, '') AS DECIMAL(18, 6)),
       s.description,
       CAST(nullif(s.net_amount, '') AS DECIMAL(18, 2)),
       CASE WHEN s.module IN ('sales', 'purchasing', 'expenses')
            THEN coalesce(CAST(nullif(s.tax_amount, '') AS DECIMAL(18, 2)), 0) END,
       CAST(nullif(s.value, '') AS DECIMAL(18, 2)),
       CASE WHEN s.module = 'journals'
            THEN coalesce(CAST(nullif(s.debit, '') AS DECIMAL(18, 2)), 0) END,
       CASE WHEN s.module = 'journals'
            THEN coalesce(CAST(nullif(s.credit, '') AS DECIMAL(18, 2)), 0) END,
       CAST(nullif(s.amount, '') AS DECIMAL(18, 2)),
       CAST(nullif(s.amount_group, '') AS DECIMAL(18, 2)),
       CAST(nullif(s.amount_doc, '') AS DECIMAL(18, 2)),
       lower(s.flow),
       s.ic_ref,
       s.extra
FROM ok s
JOIN entity e USING (entity)
ANTI JOIN (SELECT DISTINCT path, row_no FROM problem) p USING (path, row_no)
"""


def validate_and_write(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    first: str,
    periods: list[str],
    files: list[PeriodFile],
    read: dict[str, int],
    file_problems: dict[str, list[Problem]],
    scope: Scope,
) -> dict[str, list[FileReport]]:
    """Validate the staged rows and write ``periods``: every file of them
    (``files``, in period and file-name order) reported, by period. Several
    periods are loaded together only in full (``scope.full``)."""
    validate(con, first, settings.currency)
    delete_replaced(con, periods, scope)
    # The accepted rows are the one append to source_row in this transaction
    # (db.single_append). Through the WAL the commit left a 333 MB log at 1M
    # rows whose checkpoint (2.7 s) fell on the next step.
    with single_append(con):
        con.execute(_INSERT_ACCEPTED)
    write_rejects(con, periods, scope)
    file_level = [(f.period, p) for f in files for p in file_problems.get(f.relative, [])]
    if file_level:
        con.executemany(
            "INSERT INTO reject VALUES (?, ?, ?, ?, ?)",
            [[period, p.path, p.row, p.column, p.message] for period, p in file_level],
        )

    row_problems = _row_problems(con)
    rejected = _rejected_rows(con)
    # Files not read again keep their counts; partial ones are counted again.
    stored = {} if scope.full else stored_reports(con, periods[0], recount=scope.partial)
    reports: dict[str, list[FileReport]] = {period: [] for period in periods}
    for f in files:
        if f.relative not in read or f.relative in scope.partial:
            reports[f.period].append(stored[f.relative])
            continue
        rows = read[f.relative]
        if f.relative in file_problems:
            bad = rows  # a file that cannot be validated has every row rejected
            errors = tuple(file_problems[f.relative])
        else:
            bad = rejected.get(f.relative, 0)
            errors = tuple(row_problems.get(f.relative, []))
        reports[f.period].append(
            FileReport(f.relative, f.module, f.sha256, rows, rows - bad, bad, errors)
        )
    return reports


def drop_temporaries(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW IF EXISTS ok")
    for table in ("posted", "problem"):
        con.execute(f"DROP TABLE IF EXISTS {table}")

"""Top-side (node) journals into ``topside_row`` (SPEC 18.2).

``ledgers/PERIOD/topside*.csv`` (or .xlsx, .parquet) are entries a group
accountant books at a consolidation node, in group currency. They are few
and written by hand, so every load reads all of the period's top-side files
again (no incremental scope), validates them (closekit.validate.topside) and,
in the load's transaction, replaces the period's ``topside_row`` rows and the
files' rejects. Nothing is lost: for every file, rows read = rows accepted +
rows rejected, as for the other period files.
"""

from __future__ import annotations

import calendar
import json
from datetime import date
from typing import TYPE_CHECKING

from closekit.errors import Problem
from closekit.io import ERROR, ROW, RawTable, column_name, read_table
from closekit.load.folder import PeriodFile
from closekit.load.records import FileReport
from closekit.master import insert_rows
from closekit.master.tree import members_at
from closekit.validate.topside import (
    COLUMNS,
    REQUIRED_COLUMNS,
    Context,
    TopsideRow,
    check,
    money,
    row_date,
)
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

MODULE = "topside"


def _file_problems(raw: RawTable) -> list[Problem]:
    """Unreadable file or a required column missing: every row is rejected."""
    problems = list(raw.problems)
    if not problems:
        problems += [
            Problem(raw.path, 1, column, "required column is missing")
            for column in REQUIRED_COLUMNS
            if column not in raw.columns
        ]
    return problems


def _rows(raw: RawTable, seq: int) -> tuple[list[TopsideRow], list[Problem], list[str | None]]:
    """The rows the reader could split, the problems of those it could not
    (a wrong field count), and each split row's unknown columns as JSON."""
    data = raw.data.to_pylist()
    known = {c: i for i, c in enumerate(raw.columns) if c in COLUMNS}
    unknown = [
        (label, column_name(i))
        for i, (name, label) in enumerate(zip(raw.columns, raw.labels, strict=True))
        if name and name not in COLUMNS
    ]
    rows, problems, extras = [], [], []
    for record in data:
        if record[ERROR] is not None:
            problems.append(Problem(raw.path, record[ROW], "", record[ERROR]))
            continue
        values = {c: record[column_name(i)] or "" for c, i in known.items()}
        rows.append(TopsideRow(raw.path, record[ROW], seq, values))
        extras.append(
            json.dumps({label: record[name] for label, name in unknown}, ensure_ascii=False)
            if unknown
            else None
        )
    return rows, problems, extras


def _period_end(period: str) -> date:
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def _context(con: duckdb.DuckDBPyConnection, period: str) -> Context:
    """Master data and the period's nodes and members (the tree consolidation
    will use, closekit.master.tree)."""
    members: dict[str, set[str]] = {}
    for m in members_at(con, period):
        members.setdefault(m.node, set()).add(m.entity)
    return Context(
        period=period,
        accounts={
            a: (t, bool(s))
            for a, t, s in con.execute("SELECT account, type, is_summary FROM account").fetchall()
        },
        entities=frozenset(e for (e,) in con.execute("SELECT entity FROM entity").fetchall()),
        profit_centers=frozenset(
            p for (p,) in con.execute("SELECT profit_center FROM profit_center").fetchall()
        ),
        cost_centers=dict(con.execute("SELECT cost_center, entity FROM cost_center").fetchall()),
        members={node: frozenset(m) for node, m in members.items()},
    )


def _accepted(period: str, row: TopsideRow, sha256: str, extra: str | None) -> tuple[object, ...]:
    """A valid row in ``topside_row``'s column order."""
    debit, credit = money(row["debit"]), money(row["credit"])
    return (
        period,
        row.path,
        sha256,
        row.row_no,
        row["doc_id"],
        row["line"],
        row_date(row) or _period_end(period),
        row["node"],
        row["account"],
        row["partner"],
        row["profit_center"],
        row["cost_center"],
        debit,
        credit,
        debit - credit,
        money(row["amount_fc"]) if row["amount_fc"] else None,
        row["flow"].lower() or "movement",
        row["description"],
        row["reason"],
        extra,
    )


def clear_topside(con: duckdb.DuckDBPyConnection, files: dict[str, list[PeriodFile]]) -> None:
    """Remove what the last loads of the periods of ``files`` (period -> its
    top-side files now) wrote of their top-side files: every ``topside_row``
    of the periods, and the rejects of their top-side files then and now
    (SPEC 18.2: the files are read again whole at every load). One statement
    each for all the periods, inside the caller's transaction."""
    periods = sorted(files)
    old = con.execute(
        "SELECT DISTINCT period, path FROM load_file "
        "WHERE list_contains(?::VARCHAR[], period) AND module = ?",
        [periods, MODULE],
    ).fetchall()
    pairs = sorted({*old, *((period, f.relative) for period in periods for f in files[period])})
    con.execute("DELETE FROM topside_row WHERE list_contains(?::VARCHAR[], period)", [periods])
    if pairs:
        con.execute(
            "DELETE FROM reject WHERE (period, path) IN "
            "(SELECT unnest($periods::VARCHAR[]), unnest($paths::VARCHAR[]))",
            {"periods": [p for p, _ in pairs], "paths": [path for _, path in pairs]},
        )


def load_topside(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, files: list[PeriodFile]
) -> list[FileReport]:
    """Read, validate and write the period's top-side ``files`` (inside the
    caller's transaction, after master data is written and
    :func:`clear_topside` has run); one report each."""
    if not files:
        return []
    read: dict[str, int] = {}
    file_level: dict[str, list[Problem]] = {}
    split: dict[str, list[Problem]] = {}
    rows: list[TopsideRow] = []
    extras: dict[tuple[str, int], str | None] = {}
    for seq, f in enumerate(files):
        raw = read_table(f.path, f.relative, settings.input_encoding)
        read[f.relative] = raw.read
        problems = _file_problems(raw)
        if problems:
            file_level[f.relative] = problems
            continue
        found, split[f.relative], file_extras = _rows(raw, seq)
        rows += found
        extras.update(((r.path, r.row_no), x) for r, x in zip(found, file_extras, strict=True))
    problems_by_row = check(rows, _context(con, period))
    sha = {f.relative: f.sha256 for f in files}
    insert_rows(
        con,
        "topside_row",
        [
            _accepted(period, r, sha[r.path], extras[(r.path, r.row_no)])
            for r in rows
            if (r.path, r.row_no) not in problems_by_row
        ],
    )
    reports = []
    for f in files:
        if f.relative in file_level:
            errors, bad = file_level[f.relative], read[f.relative]
        else:
            errors = sorted(
                [
                    *split[f.relative],
                    *(
                        Problem(path, row_no, column, message)
                        for (path, row_no), found in problems_by_row.items()
                        if path == f.relative
                        for column, message in found
                    ),
                ],
                key=lambda p: p.row or 0,
            )
            bad = len({p.row for p in errors})
        reports.append(
            FileReport(f.relative, MODULE, f.sha256, read[f.relative], read[f.relative] - bad,
                       bad, tuple(errors))
        )  # fmt: skip
    insert_rows(
        con,
        "reject",
        [(period, p.path, p.row, p.column, p.message) for r in reports for p in r.errors],
    )
    return reports

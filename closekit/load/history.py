"""The load history (``load_file``): a version per file whose hash or counts
changed, and the period's files as last loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.errors import Problem
from closekit.load.records import FileReport
from closekit.master import insert_rows

if TYPE_CHECKING:
    import duckdb


def write_history(con: duckdb.DuckDBPyConnection, loaded: dict[str, list[FileReport]]) -> None:
    """Load history of the periods ``loaded`` (period -> its files): a new
    current version for each file whose hash or counts changed; files no
    longer in their folder have no current version. A file's path names its
    period's folder, so paths are distinct across periods."""
    periods = sorted(loaded)
    current = {
        path: (sha, read, accepted, rejected)
        for path, sha, read, accepted, rejected in con.execute(
            "SELECT path, sha256, read, accepted, rejected FROM load_file "
            "WHERE list_contains(?, period) AND current",
            [periods],
        ).fetchall()
    }
    reports = [(period, r) for period in periods for r in loaded[period]]
    present = {r.file for _, r in reports}
    new = [
        (period, r)
        for period, r in reports
        if current.get(r.file) != (r.sha256, r.read, r.accepted, r.rejected)
    ]
    # files gone from the folder, and files with a new version, stop being current
    retired = [path for path in current if path not in present] + [r.file for _, r in new]
    if retired:
        con.execute(
            "UPDATE load_file SET current = false "
            "WHERE list_contains(?, period) AND current AND list_contains(?, path)",
            [periods, retired],
        )
    ((loaded_at,),) = con.execute("SELECT now()::TIMESTAMP").fetchall()
    insert_rows(
        con,
        "load_file",
        [
            (p, r.file, r.module, r.sha256, r.read, r.accepted, r.rejected, loaded_at, True)
            for p, r in new
        ],
    )


def stored_reports(
    con: duckdb.DuckDBPyConnection, period: str, recount: frozenset[str] = frozenset()
) -> dict[str, FileReport]:
    """The period's files as last loaded, from the load history and the
    rejects, by path; the files in ``recount`` (validated again in part) with
    their rejected rows counted from ``reject``."""
    problems: dict[str, list[Problem]] = {}
    for path, row_no, column, message in con.execute(
        "SELECT path, row_no, column_name, message FROM reject "
        "WHERE period = ? ORDER BY path, rowid",
        [period],
    ).fetchall():
        problems.setdefault(path, []).append(Problem(path, row_no, column, message))
    reports: dict[str, FileReport] = {}
    for path, module, sha, read, accepted, rejected in con.execute(
        "SELECT path, module, sha256, read, accepted, rejected FROM load_file "
        "WHERE period = ? AND current ORDER BY path",
        [period],
    ).fetchall():
        errors = tuple(problems.get(path, []))
        if path in recount:
            rejected = len({p.row for p in errors})
            accepted = read - rejected
        reports[path] = FileReport(path, module, sha, read, accepted, rejected, errors)
    return reports


def previous_files(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, str]:
    """The files of the period's last load: path -> SHA-256."""
    rows = con.execute(
        "SELECT path, sha256 FROM load_file WHERE period = ? AND current", [period]
    ).fetchall()
    return dict(rows)

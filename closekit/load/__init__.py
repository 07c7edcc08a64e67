"""Loading a period (SPEC sections 4 and 5): the period folder is the truth.

``load_period`` reads master data and every file of ``ledgers/PERIOD``,
validates every row (closekit.validate), and in ONE transaction replaces the
master tables, the period's accepted rows (``source_row``), its rejects and
the current versions in the load history (``load_file``). A SIGKILL at any
moment therefore leaves the old rows or the new ones, never a mixture.

Nothing is lost: for every file, rows read = rows accepted + rows rejected.

When nothing changed since the period's last load (same files with the same
SHA-256, same master files, same closekit.toml) no file is re-read and the
database is left untouched. When only period files changed (new, different
or gone), only they are read again, with the rows of the entities they hold
from the unchanged files (closekit.load.scope): the outcome is that of a full
load. When master data, closekit.toml or the first period changed, every file
is validated again (a master data fix must be able to accept rows it rejected
before). The history gains a version only for a file whose hash or counts
changed.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from closekit import status
from closekit.db import single_append, transaction
from closekit.errors import Problem, format_problem
from closekit.io import SUFFIXES, RawTable, read_table
from closekit.load.locks import changed_master_files, lock_period, reopen_period
from closekit.load.progress import EntityProgress, PeriodProgress, close_progress
from closekit.load.scope import (
    FULL,
    Scope,
    affected_entities,
    delete_replaced,
    holding,
    write_entities,
    write_rejects,
)
from closekit.master import (
    MasterSummary,
    insert_rows,
    master_hashes,
    read_master,
    sha256_file,
    sha256_files,
    write_master,
)
from closekit.periods import parse_period, period_folders
from closekit.validate import validate
from closekit.validate.columns import MODULES, module_of, required_of
from closekit.validate.stage import StagedFile, Stager, unstage
from closekit.workspace import SETTINGS_FILE, Settings

# Bump when the rules change, so that an unchanged period is validated again.
# 2: the last load recorded its files' entities (load_entity).
RULES_VERSION = "2"


@dataclass(frozen=True)
class FileReport:
    """One period file as loaded.

    file: workspace-relative path; module: sales, purchasing, ...;
    read = accepted + rejected (blank lines are not rows);
    errors: every problem, file-level ones first, then by row.
    """

    file: str
    module: str
    sha256: str
    read: int
    accepted: int
    rejected: int
    errors: tuple[Problem, ...]

    @property
    def clean(self) -> bool:
        return self.rejected == 0 and not self.errors

    def as_json(self) -> dict[str, Any]:
        """SPEC section 11: the JSON of one file in ``closekit load``."""
        return {
            "file": self.file,
            "module": self.module,
            "sha256": self.sha256,
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "errors": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.errors
            ],
        }


@dataclass(frozen=True)
class LoadReport:
    """The result of one load: every file of the period, and warnings.

    changed: False when nothing changed since the last load (no-op).
    """

    period: str
    files: tuple[FileReport, ...]
    warnings: tuple[str, ...] = ()
    changed: bool = True

    @property
    def clean(self) -> bool:
        return all(f.clean for f in self.files)

    def error_lines(self) -> list[str]:
        return [format_problem(p) for f in self.files for p in f.errors]


@dataclass(frozen=True)
class PeriodFile:
    path: Path
    relative: str
    module: str
    sha256: str


# ---- the period folder ------------------------------------------------------


def period_files(settings: Settings, period: str) -> tuple[list[PeriodFile], list[str]]:
    """The period's module files in file-name order, and warnings for the rest."""
    folder = settings.ledgers_dir / period
    found: list[tuple[Path, str, str]] = []
    warnings: list[str] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or not path.is_file():
            continue
        relative = settings.relative(path)
        module = module_of(path.name)
        if module not in MODULES:
            warnings.append(
                f"{relative}: ignored, {module!r} is not a module ({', '.join(MODULES)})"
            )
        elif path.suffix.lower() not in SUFFIXES:
            warnings.append(f"{relative}: ignored, not a CSV, XLSX or Parquet file")
        else:
            found.append((path, relative, module))
    hashes = sha256_files(path for path, _, _ in found)
    files = [PeriodFile(*f, sha) for f, sha in zip(found, hashes, strict=True)]
    return files, warnings


def _fingerprint(settings: Settings, files: list[tuple[str, str]], first: str) -> str:
    """What a load validated against: rules, settings, master files, first
    period and the period's files as (path, SHA-256) in file-name order."""
    toml = settings.root / SETTINGS_FILE
    inputs = {
        "rules": RULES_VERSION,
        "settings": sha256_file(toml) if toml.is_file() else "",
        "master": sorted(master_hashes(settings).items()),
        "first_period": first,
        "files": [list(f) for f in files],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


# ---- reading and validating ---------------------------------------------------


def _file_problems(raw: RawTable, module: str) -> list[Problem]:
    """File-level problems: unreadable file, or a required column missing
    (SPEC section 5: reported on row 1; every row of the file is rejected)."""
    problems = list(raw.problems)
    if not problems:
        problems += [
            Problem(raw.path, 1, column, "required column is missing")
            for column in required_of(module)
            if column not in raw.columns
        ]
    return problems


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
    net_amount, tax_amount, value, debit, credit, amount, amount_group, amount_doc, extra)
SELECT $period, s.module, s.path, s.sha256, s.row_no, s.doc_id, s.line, CAST(s.date AS DATE),
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
       s.extra
FROM ok s
JOIN entity e USING (entity)
ANTI JOIN (SELECT DISTINCT path, row_no FROM problem) p USING (path, row_no)
"""


def _history(con: duckdb.DuckDBPyConnection, period: str, reports: list[FileReport]) -> None:
    """Load history: a new current version for each file whose hash or counts
    changed; files no longer in the folder have no current version."""
    current = {
        path: (sha, read, accepted, rejected)
        for path, sha, read, accepted, rejected in con.execute(
            "SELECT path, sha256, read, accepted, rejected FROM load_file "
            "WHERE period = ? AND current",
            [period],
        ).fetchall()
    }
    present = {r.file for r in reports}
    new = [r for r in reports if current.get(r.file) != (r.sha256, r.read, r.accepted, r.rejected)]
    # files gone from the folder, and files with a new version, stop being current
    retired = [path for path in current if path not in present] + [r.file for r in new]
    if retired:
        con.execute(
            "UPDATE load_file SET current = false "
            "WHERE period = ? AND current AND list_contains(?, path)",
            [period, retired],
        )
    ((loaded_at,),) = con.execute("SELECT now()::TIMESTAMP").fetchall()
    insert_rows(
        con,
        "load_file",
        [
            (period, r.file, r.module, r.sha256, r.read, r.accepted, r.rejected, loaded_at, True)
            for r in new
        ],
    )


# Files read ahead by worker threads while the current one is staged.
READ_AHEAD = 2


def _read_ahead(settings: Settings, files: list[PeriodFile]) -> Iterator[RawTable]:
    """Each file as read, in order, while the next ones are read by worker
    threads (Arrow kernels and DuckDB release the GIL); at most READ_AHEAD
    files wait in memory."""
    with ThreadPoolExecutor(max_workers=READ_AHEAD) as pool:
        pending: deque[Future[RawTable]] = deque()
        for f in files:
            pending.append(pool.submit(read_table, f.path, f.relative, settings.input_encoding))
            if len(pending) > READ_AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _stage(
    stager: Stager,
    settings: Settings,
    files: list[PeriodFile],
    seqs: dict[str, int],
    entities: frozenset[str] | None,
) -> tuple[dict[str, int], dict[str, list[Problem]]]:
    """Read and stage ``files`` (only ``entities``' rows when given): rows
    read and file-level problems by file."""
    read: dict[str, int] = {}
    file_problems: dict[str, list[Problem]] = {}
    for f, raw in zip(files, _read_ahead(settings, files), strict=True):
        read[f.relative] = raw.read
        problems = _file_problems(raw, f.module)
        if problems:
            file_problems[f.relative] = problems
        else:
            stager.add(StagedFile(seqs[f.relative], f.relative, f.module, f.sha256, raw, entities))
    stager.flush()
    return read, file_problems


def _load(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    first: str,
    files: list[PeriodFile],
    previous: dict[str, str] | None,
) -> list[FileReport]:
    """Stage, validate and write the period (inside the caller's transaction).

    previous: the files of the last load (path -> SHA-256) when only period
    files changed since (incremental load), else None (full load).

    Files are read and staged one at a time, so memory holds one file, not
    the period. Temporary tables and views live inside the caller's
    transaction: a failure rolls them back with everything else.
    """
    stager = Stager(con)
    try:
        # seq: file-name order in the whole period, which orders duplicates
        seqs = {f.relative: seq for seq, f in enumerate(files)}
        if previous is None:
            scope = FULL
            reread = files
        else:
            reread = [f for f in files if previous.get(f.relative) != f.sha256]
            removed = frozenset(previous) - frozenset(seqs)
            scope = Scope(False, frozenset(f.relative for f in reread), removed)
        read, file_problems = _stage(stager, settings, reread, seqs, None)
        if not scope.full:
            entities = affected_entities(con, period, scope.replaced)
            partial = holding(con, period, entities, scope.replaced)
            scope = Scope(False, scope.reread, scope.removed, partial, entities)
            again = [f for f in files if f.relative in partial]
            more, _ = _stage(stager, settings, again, seqs, entities)
            read.update(more)
        reports = _validate_and_write(
            con, settings, period, first, files, read, file_problems, scope
        )
        write_entities(con, period, stager.entities)
        _drop_temporaries(con)
        return reports
    finally:
        unstage(con)


def _validate_and_write(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    first: str,
    files: list[PeriodFile],
    read: dict[str, int],
    file_problems: dict[str, list[Problem]],
    scope: Scope,
) -> list[FileReport]:
    validate(con, period, first, settings.currency)
    delete_replaced(con, period, scope)
    # The accepted rows are the one append to source_row in this transaction
    # (db.single_append). Through the WAL the commit left a 333 MB log at 1M
    # rows whose checkpoint (2.7 s) fell on the next step.
    with single_append(con):
        con.execute(_INSERT_ACCEPTED, {"period": period})
    write_rejects(con, period, scope)
    file_level = [p for problems in file_problems.values() for p in problems]
    if file_level:
        con.executemany(
            "INSERT INTO reject VALUES (?, ?, ?, ?, ?)",
            [[period, p.path, p.row, p.column, p.message] for p in file_level],
        )

    row_problems = _row_problems(con)
    rejected = _rejected_rows(con)
    # Files not read again keep their counts; partial ones are counted again.
    stored = {} if scope.full else _stored_reports(con, period, recount=scope.partial)
    reports: list[FileReport] = []
    for f in files:
        if f.relative not in read or f.relative in scope.partial:
            reports.append(stored[f.relative])
            continue
        rows = read[f.relative]
        if f.relative in file_problems:
            bad = rows  # a file that cannot be validated has every row rejected
            errors = tuple(file_problems[f.relative])
        else:
            bad = rejected.get(f.relative, 0)
            errors = tuple(row_problems.get(f.relative, []))
        reports.append(FileReport(f.relative, f.module, f.sha256, rows, rows - bad, bad, errors))
    _history(con, period, reports)
    return reports


def _drop_temporaries(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW IF EXISTS ok")
    for table in ("posted", "problem"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _stored_reports(
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


def _previous_files(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, str]:
    """The files of the period's last load: path -> SHA-256."""
    rows = con.execute(
        "SELECT path, sha256 FROM load_file WHERE period = ? AND current", [period]
    ).fetchall()
    return dict(rows)


def _master_stored(con: duckdb.DuckDBPyConnection, summary: MasterSummary) -> bool:
    stored = set(con.execute("SELECT path, sha256 FROM master_file").fetchall())
    return stored == {(f.path, f.sha256) for f in summary.files}


def load_period(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> LoadReport:
    """Load master data and ``ledgers/PERIOD`` (SPEC sections 4 and 5).

    Raises PeriodError (unknown or locked period) and InvalidInput (master
    data); rejected rows are not errors but part of the report.
    """
    period = parse_period(period)
    status.require_period_folder(settings, period)
    tables, master = read_master(settings)
    status.require_unlocked(con, period)
    files, warnings = period_files(settings, period)
    first = period_folders(settings.ledgers_dir)[0]
    fingerprint = _fingerprint(settings, [(f.relative, f.sha256) for f in files], first)
    warnings = [*master.warnings, *warnings]
    last = con.execute("SELECT fingerprint FROM load_input WHERE period = ?", [period]).fetchone()
    if last is not None and last[0] == fingerprint:
        if not _master_stored(con, master):
            with transaction(con):
                write_master(con, tables, master)
        stored = _stored_reports(con, period).values()
        return LoadReport(period, tuple(stored), tuple(warnings), changed=False)
    # Only period files changed since the last load: read only what they affect.
    previous: dict[str, str] | None = _previous_files(con, period)
    context_unchanged = (
        last is not None
        and previous is not None
        and last[0] == _fingerprint(settings, sorted(previous.items()), first)
        and _master_stored(con, master)
    )
    if not context_unchanged:
        previous = None
    with transaction(con):
        if not _master_stored(con, master):
            write_master(con, tables, master)
        reports = _load(con, settings, period, first, files, previous)
        con.execute("INSERT OR REPLACE INTO load_input VALUES (?, ?, now())", [period, fingerprint])
        rejected = sum(r.rejected for r in reports)
        status.audit(con, period, "load", f"{len(reports)} file(s), {rejected} row(s) rejected")
        status.mark(con, period, "loaded")
    return LoadReport(period, tuple(reports), tuple(warnings))


__all__ = [
    "EntityProgress",
    "FileReport",
    "LoadReport",
    "PeriodProgress",
    "changed_master_files",
    "close_progress",
    "load_period",
    "lock_period",
    "period_files",
    "reopen_period",
]

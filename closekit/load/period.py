"""``load_period`` and ``load_periods``: master data and period folders into the
database, each period in one transaction (or several periods in one pass and
one transaction), incrementally when only a period's files changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from closekit import status
from closekit.db import transaction
from closekit.errors import InvalidInput, Problem
from closekit.load.fingerprint import load_fingerprint
from closekit.load.folder import TOPSIDE, PeriodFile, Unreadable, period_files
from closekit.load.history import previous_files, stored_reports, write_history
from closekit.load.locks import frozen_master_problems
from closekit.load.read import stage_files
from closekit.load.records import FileReport, LoadReport
from closekit.load.scope import FULL, Scope, affected_entities, holding, write_entities
from closekit.load.topside import clear_topside, load_topside
from closekit.load.write import drop_temporaries, validate_and_write
from closekit.master import (
    MasterSummary,
    master_hashes,
    read_master,
    write_master,
)
from closekit.periods import parse_period, period_folders
from closekit.validate.columns import module_of
from closekit.validate.stage import Stager, unstage
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class _Plan:
    """What loading one period takes: its files and warnings, the
    fingerprint to record, and how much to read: nothing (``unchanged``, or
    files present that cannot be read: ``unreadable``, the period is held as
    it was, :func:`_hold`), only what changed since ``previous`` (its files
    then, path -> SHA-256), or everything (``previous`` None)."""

    period: str
    files: list[PeriodFile]
    warnings: list[str]
    fingerprint: str
    previous: dict[str, str] | None
    unchanged: bool = False
    unreadable: tuple[Unreadable, ...] = ()

    @property
    def to_load(self) -> bool:
        return not self.unchanged and not self.unreadable

    @property
    def bytes(self) -> int:
        return sum(f.path.stat().st_size for f in self.files)


def _plan(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    first: str,
    master: dict[str, str],
    last: str | None,
) -> _Plan:
    """The plan of ``period``, whose last load recorded the fingerprint
    ``last`` (None: never loaded)."""
    folder = period_files(settings, period)
    files, warnings = folder.files, folder.warnings
    if folder.unreadable:
        return _Plan(period, files, warnings, "", None, unreadable=tuple(folder.unreadable))
    fingerprint = load_fingerprint(settings, master, [(f.relative, f.sha256) for f in files], first)
    if last == fingerprint:
        return _Plan(period, files, warnings, fingerprint, None, unchanged=True)
    if last is None:
        return _Plan(period, files, warnings, fingerprint, None)
    # Only period files changed since the last load (its context, master data
    # included, is the current one): read only what they affect.
    previous = previous_files(con, period)
    if last != load_fingerprint(settings, master, sorted(previous.items()), first):
        return _Plan(period, files, warnings, fingerprint, None)
    return _Plan(period, files, warnings, fingerprint, previous)


def _load(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    first: str,
    plans: list[_Plan],
) -> dict[str, list[FileReport]]:
    """Stage, validate and write the periods of ``plans`` (inside the
    caller's transaction): several periods in full in one pass, or one
    period incrementally (its plan's ``previous`` set).

    Files are read and staged one at a time, so memory holds one file, not
    the periods. Temporary tables and views live inside the caller's
    transaction: a failure rolls them back with everything else.
    """
    periods = [plan.period for plan in plans]
    # top-side files take their own path (closekit.load.topside)
    topside = {plan.period: [f for f in plan.files if f.module == TOPSIDE] for plan in plans}
    files = [f for plan in plans for f in plan.files if f.module != TOPSIDE]
    previous = plans[0].previous
    assert previous is None or len(plans) == 1, "an incremental load is of one period"
    if previous is not None:
        previous = {p: sha for p, sha in previous.items() if module_of(Path(p).name) != TOPSIDE}
    stager = Stager(con)
    try:
        # seq: (period, file name) order, which orders a period's duplicates
        seqs = {f.relative: seq for seq, f in enumerate(files)}
        if previous is None:
            scope = FULL
            reread = files
        else:
            reread = [f for f in files if previous.get(f.relative) != f.sha256]
            removed = frozenset(previous) - frozenset(seqs)
            scope = Scope(False, frozenset(f.relative for f in reread), removed)
        read, file_problems = stage_files(stager, settings, reread, seqs, None)
        if not scope.full:
            (period,) = periods
            entities = affected_entities(con, period, scope.replaced)
            partial = holding(con, period, entities, scope.replaced)
            scope = Scope(False, scope.reread, scope.removed, partial, entities)
            again = [f for f in files if f.relative in partial]
            more, _ = stage_files(stager, settings, again, seqs, entities)
            read.update(more)
        reports = validate_and_write(
            con, settings, first, periods, files, read, file_problems, scope
        )
        write_entities(con, stager.whole)
        drop_temporaries(con)
    finally:
        unstage(con)
    # SPEC 18.2: the top-side files, read again whole at every load
    clear_topside(con, topside)
    for period in periods:
        reports[period] = sorted(
            [*reports[period], *load_topside(con, settings, period, topside[period])],
            key=lambda r: r.file,
        )
    write_history(con, reports)
    return reports


def _hold(
    con: duckdb.DuckDBPyConnection, period: str, unreadable: list[Unreadable]
) -> list[FileReport]:
    """Some file of the period is there but cannot be read (a link whose
    target is gone, no permission): the folder cannot be known, so the period
    keeps every row of its last load. Each such file gets a file-level reject,
    which fails ``rows_accounted`` (the pack says DRAFT), and the next load
    reads the period in full."""
    stored = stored_reports(con, period)
    problems = [
        Problem(u.relative, None, "", f"cannot be read: {u.reason}; {_KEPT}") for u in unreadable
    ]
    held = [
        FileReport(p.path, u.module, "", 0, 0, 0, ()) if p.path not in stored else stored[p.path]
        for p, u in zip(problems, unreadable, strict=True)
    ]
    with transaction(con):
        for p in problems:
            con.execute(
                "DELETE FROM reject WHERE period = ? AND path = ? AND message = ?",
                [period, p.path, p.message],
            )
            con.execute("INSERT INTO reject VALUES (?, ?, ?, ?, ?)", [period, *p])
        write_history(con, {period: [*stored.values(), *(h for h in held if h.file not in stored)]})
        # a fingerprint no load computes: the next load reads the period in
        # full, and `status` compares the folder with the rows kept
        con.execute("INSERT OR REPLACE INTO load_input VALUES (?, ?, now())", [period, _HELD])
        names = ", ".join(u.relative for u in unreadable)
        status.audit(con, period, "load", f"held: {names} cannot be read; {_KEPT}")
    reports = {**stored}
    for h, p in zip(held, problems, strict=True):
        reports[h.file] = FileReport(
            h.file, h.module, h.sha256, h.read, h.accepted, h.rejected, (p, *h.errors)
        )
    return [reports[path] for path in sorted(reports)]


_KEPT = "the period keeps the rows of its last load"
_HELD = "held: a file of the period could not be read"


def _master_stored(con: duckdb.DuckDBPyConnection, summary: MasterSummary) -> bool:
    stored = set(con.execute("SELECT path, sha256 FROM master_file").fetchall())
    return stored == {(f.path, f.sha256) for f in summary.files}


# Periods loaded in full are validated together in passes of at most this
# many bytes of files: one pass's staged rows are held by DuckDB (spilling
# to disk beyond its memory limit), so a pass stays within about a month of
# ten million rows.
PASS_BYTES = 1 << 30


def _passes(plans: list[_Plan]) -> list[list[_Plan]]:
    """The plans of full loads grouped, in period order, into passes."""
    passes: list[list[_Plan]] = []
    size = 0
    for plan in plans:
        if not passes or size + plan.bytes > PASS_BYTES:
            passes.append([])
            size = 0
        passes[-1].append(plan)
        size += plan.bytes
    return passes


def load_period(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> LoadReport:
    """Load master data and ``ledgers/PERIOD`` (SPEC sections 4 and 5).

    Raises PeriodError (unknown or locked period) and InvalidInput (master
    data); rejected rows are not errors but part of the report.
    """
    (report,) = load_periods(settings, con, [period])
    return report


def load_periods(
    settings: Settings, con: duckdb.DuckDBPyConnection, periods: Sequence[str]
) -> list[LoadReport]:
    """Load master data and the folders of ``periods`` (each as
    :func:`load_period` would), their reports in the order given.

    Every period loaded in full (first loads, or master data changed) is
    staged and validated with the others in one pass and written in one
    append (:func:`_passes` splits very large histories); a period whose
    files alone changed is loaded incrementally, on its own; an unchanged
    period is left as it is. Each pass, and each incremental load, is one
    transaction, the master tables written in the first.

    Refuses (PeriodError, InvalidInput) before anything is written when a
    period has no folder or is locked, or master data is invalid.
    """
    periods = [parse_period(p) for p in periods]
    for period in periods:
        status.require_period_folder(settings, period)
    tables, master = read_master(settings)
    status.require_unlocked_periods(con, periods)
    frozen = frozen_master_problems(settings, con, tables)
    if frozen:  # a locked month's rates would re-translate every later month
        raise InvalidInput(frozen)
    first = period_folders(settings.ledgers_dir)[0]
    hashes = master_hashes(settings)
    last = dict(
        con.execute(
            "SELECT period, fingerprint FROM load_input WHERE list_contains(?::VARCHAR[], period)",
            [periods],
        ).fetchall()
    )
    plans = [_plan(settings, con, p, first, hashes, last.get(p)) for p in periods]
    reports: dict[str, list[FileReport]] = {}
    master_pending = not _master_stored(con, master)
    transactions = [
        *_passes([p for p in plans if p.to_load and p.previous is None]),
        *([p] for p in plans if p.to_load and p.previous is not None),
    ]
    # a held period writes nothing, master data included (as a load of it alone)
    if master_pending and not transactions and any(not p.unreadable for p in plans):
        with transaction(con):
            write_master(con, tables, master)
    for batch in transactions:
        with transaction(con):
            if master_pending:
                write_master(con, tables, master)
                master_pending = False
            loaded = _load(con, settings, first, batch)
            _record(con, batch, loaded)
        reports.update(loaded)
    for plan in plans:
        if plan.unreadable:
            reports[plan.period] = _hold(con, plan.period, list(plan.unreadable))
        elif plan.unchanged:
            reports[plan.period] = list(stored_reports(con, plan.period).values())
    return [
        LoadReport(
            plan.period,
            tuple(reports[plan.period]),
            (*master.warnings, *plan.warnings),
            changed=not plan.unchanged,
        )
        for plan in plans
    ]


def _record(
    con: duckdb.DuckDBPyConnection, plans: list[_Plan], loaded: dict[str, list[FileReport]]
) -> None:
    """Each period's load input, audit line and status: one statement each
    for all the periods of a pass."""
    periods = [plan.period for plan in plans]
    con.execute(
        "INSERT OR REPLACE INTO load_input "
        "SELECT unnest($periods::VARCHAR[]), unnest($fingerprints::VARCHAR[]), now()",
        {"periods": periods, "fingerprints": [plan.fingerprint for plan in plans]},
    )
    details = []
    for period in periods:
        reports = loaded[period]
        rejected = sum(r.rejected for r in reports)
        details.append(f"{len(reports)} file(s), {rejected} row(s) rejected")
    status.audit_periods(con, periods, "load", details)
    status.mark_periods(con, periods, "loaded")

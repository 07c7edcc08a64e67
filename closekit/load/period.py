"""``load_period``: master data and the period folder into the database in one
transaction, incrementally when only period files changed."""

from __future__ import annotations

import hashlib
import json

import duckdb

from closekit import status
from closekit.db import transaction
from closekit.errors import Problem
from closekit.load.folder import PeriodFile, Unreadable, period_files
from closekit.load.history import previous_files, stored_reports, write_history
from closekit.load.read import stage_files
from closekit.load.records import FileReport, LoadReport
from closekit.load.scope import FULL, Scope, affected_entities, holding, write_entities
from closekit.load.write import drop_temporaries, validate_and_write
from closekit.master import (
    MasterSummary,
    master_hashes,
    read_master,
    sha256_file,
    write_master,
)
from closekit.periods import parse_period, period_folders
from closekit.validate.stage import Stager, unstage
from closekit.workspace import SETTINGS_FILE, Settings

# Bump when the rules change, so that an unchanged period is validated again.
# 2: the last load recorded its files' entities (load_entity).
# 3: journal and opening rows' flow (SPEC 19.1).
RULES_VERSION = "3"


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
        read, file_problems = stage_files(stager, settings, reread, seqs, None)
        if not scope.full:
            entities = affected_entities(con, period, scope.replaced)
            partial = holding(con, period, entities, scope.replaced)
            scope = Scope(False, scope.reread, scope.removed, partial, entities)
            again = [f for f in files if f.relative in partial]
            more, _ = stage_files(stager, settings, again, seqs, entities)
            read.update(more)
        reports = validate_and_write(
            con, settings, period, first, files, read, file_problems, scope
        )
        write_entities(con, period, stager.entities)
        drop_temporaries(con)
        return reports
    finally:
        unstage(con)


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
        write_history(con, period, [*stored.values(), *(h for h in held if h.file not in stored)])
        con.execute("DELETE FROM load_input WHERE period = ?", [period])
        names = ", ".join(u.relative for u in unreadable)
        status.audit(con, period, "load", f"held: {names} cannot be read; {_KEPT}")
    reports = {**stored}
    for h, p in zip(held, problems, strict=True):
        reports[h.file] = FileReport(
            h.file, h.module, h.sha256, h.read, h.accepted, h.rejected, (p, *h.errors)
        )
    return [reports[path] for path in sorted(reports)]


_KEPT = "the period keeps the rows of its last load"


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
    folder = period_files(settings, period)
    files = folder.files
    warnings = [*master.warnings, *folder.warnings]
    if folder.unreadable:
        return LoadReport(period, tuple(_hold(con, period, folder.unreadable)), tuple(warnings))
    first = period_folders(settings.ledgers_dir)[0]
    fingerprint = _fingerprint(settings, [(f.relative, f.sha256) for f in files], first)
    last = con.execute("SELECT fingerprint FROM load_input WHERE period = ?", [period]).fetchone()
    if last is not None and last[0] == fingerprint:
        if not _master_stored(con, master):
            with transaction(con):
                write_master(con, tables, master)
        stored = stored_reports(con, period).values()
        return LoadReport(period, tuple(stored), tuple(warnings), changed=False)
    # Only period files changed since the last load: read only what they affect.
    previous: dict[str, str] | None = previous_files(con, period)
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


def input_fingerprint(settings: Settings, period: str, files: list[PeriodFile]) -> str:
    """The fingerprint (``load_input``) a load of ``period`` holding ``files``
    would record now: equal to the recorded one when nothing a load reads
    has changed since the period's last load."""
    first = period_folders(settings.ledgers_dir)[0]
    return _fingerprint(settings, [(f.relative, f.sha256) for f in files], first)

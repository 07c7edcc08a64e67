"""``load_period``: master data and the period folder into the database in one
transaction, incrementally when only period files changed."""

from __future__ import annotations

import hashlib
import json

import duckdb

from closekit import status
from closekit.db import transaction
from closekit.load.folder import PeriodFile, period_files
from closekit.load.history import previous_files, stored_reports
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

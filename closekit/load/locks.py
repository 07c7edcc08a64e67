"""Period locks (SPEC sections 5 and 20): lock, reopen with a reason, the
master files changed since a lock, and the master rows a lock freezes.

Locking a period freezes the master data its consolidation ran with
(closekit.snapshot): its queries read that snapshot whatever happens to
the master files since. A dated master row (a rate) at or before a locked
period may not change until the period is reopened: every later month's
translation reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit import snapshot, snapshot_changes, status
from closekit.db import transaction
from closekit.errors import PeriodError, Problem
from closekit.master import master_hashes, read_rows
from closekit.master.records import Row
from closekit.periods import parse_period
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


def lock_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, forced: str | None = None
) -> None:
    """Lock a period: loads, posting and consolidation of it (and of every
    earlier period) are refused until it is reopened, and its queries read the
    master data it was consolidated with. That master data must still be what
    is loaded for its dated rows (rates, ownership rows): else the period's
    figures no longer agree with those later months will use. ``forced``: why
    a period not closed clean is locked anyway, audited with the lock (in the
    same transaction, so a refused lock leaves no trace of one)."""
    period = parse_period(period)
    status.require_period_folder(settings, period)
    status.require_unlocked(con, period, later=False)
    with transaction(con):
        if not snapshot.has_snapshot(con, period):  # locked before it was consolidated
            snapshot.capture(con, period)
        changed = snapshot_changes.frozen_changes(con, [period])
        if changed:
            raise PeriodError(
                f"period {period} was consolidated with other master data than is loaded now"
                f" ({_describe(changed)}); close {period} again before locking it"
            )
        files = [
            (str(path), str(sha))
            for path, sha, _rows in snapshot.snapshot_rows(con, period, "master_file")
        ]
        con.execute("DELETE FROM lock_master_file WHERE period = ?", [period])
        if files:
            con.executemany(
                "INSERT INTO lock_master_file VALUES (?, ?, ?)",
                [[period, path, sha] for path, sha in sorted(files)],
            )
        con.execute(
            "INSERT INTO period_status (period) VALUES (?) ON CONFLICT DO NOTHING", [period]
        )
        con.execute("UPDATE period_status SET locked_at = now() WHERE period = ?", [period])
        if forced is not None:
            status.audit(con, period, "lock forced", forced)
        status.audit(con, period, "lock", f"{len(files)} master file(s) recorded")


def reopen_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, reason: str
) -> None:
    """Reopen a locked period: its master data snapshot is dropped (the next
    close takes the master data as it is then); the reason, and the master
    files changed since the lock, go to the audit log."""
    period = parse_period(period)
    status.require_period_folder(settings, period)
    if not reason.strip():
        raise PeriodError(f"reopening {period} needs a reason (--reason TEXT)")
    row = con.execute("SELECT locked_at FROM period_status WHERE period = ?", [period]).fetchone()
    if row is None or row[0] is None:
        raise PeriodError(f"period {period} is not locked")
    changed = changed_master_files(settings, con, period)
    detail = reason.strip()
    if changed:
        detail += "; master files changed since the lock: " + ", ".join(changed)
    with transaction(con):
        con.execute("UPDATE period_status SET locked_at = NULL WHERE period = ?", [period])
        con.execute("DELETE FROM lock_master_file WHERE period = ?", [period])
        snapshot.drop(con, period)
        status.audit(con, period, "reopen", detail)


def changed_master_files(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    now: Mapping[str, str] | None = None,
) -> list[str]:
    """Master files changed, added or removed since ``period`` was locked
    (empty when it is not locked), in path order; ``now``: the files'
    SHA-256 by path when the caller has them (closekit.master.master_hashes)."""
    locked = dict(
        con.execute(
            "SELECT path, sha256 FROM lock_master_file WHERE period = ?", [period]
        ).fetchall()
    )
    if not locked:
        return []
    if now is None:
        now = master_hashes(settings)
    return sorted(p for p in set(locked) | set(now) if locked.get(p) != now.get(p))


# ---- dated rows frozen by a lock ---------------------------------------------------


def _periods(periods: Sequence[str]) -> str:
    """``2026-10``, ``2026-10 and 2026-11``, ``2026-09, 2026-10 and 2026-11``."""
    return periods[0] if len(periods) == 1 else ", ".join(periods[:-1]) + " and " + periods[-1]


def _shown(value: object) -> str:
    """A stored value as a person writes it (decimals without trailing zeros)."""
    if isinstance(value, Decimal) and "." in str(value):
        return str(value).rstrip("0").rstrip(".")
    return str(value)


def _describe(changes: Sequence[snapshot_changes.FrozenChange]) -> str:
    """Short text of changes, for a refusal that names no file row."""
    parts = []
    for c in changes[:3]:
        where = f"{c.table.source} {' '.join(c.key)}"
        if c.kind == "changed":
            parts.append(f"{where} {c.column} {_shown(c.was)} -> {_shown(c.now)}")
        else:
            parts.append(f"{where} {c.kind}")
    more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
    return "; ".join(parts) + more


def _find(rows: list[Row], columns: tuple[str, ...], key: tuple[str, ...]) -> Row | None:
    """The file row of a stored key (codes compared as stored: currencies
    upper-case, so the file's text is compared case-insensitively)."""
    for row in rows:
        if all(row.get(c).upper() == k.upper() for c, k in zip(columns, key, strict=True)):
            return row
    return None


def frozen_master_problems(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    tables: Mapping[str, Sequence[tuple[object, ...]]],
) -> list[Problem]:
    """Dated rows of the master data about to be loaded (``tables``, from
    read_master) that differ from a locked period's snapshot (SPEC section
    20), as ``path:row column: message`` naming the locked periods: a changed
    rate of a locked month would silently re-translate every later month."""
    changes = snapshot_changes.frozen_changes(con, loaded=tables)
    if not changes:
        return []
    grouped: dict[tuple[str, tuple[str, ...], str, str], list[snapshot_changes.FrozenChange]] = {}
    for c in changes:
        grouped.setdefault((c.table.name, c.key, c.kind, c.column), []).append(c)
    files: dict[str, list[Row]] = {}
    problems: list[Problem] = []
    for group in grouped.values():
        first = group[0]
        table, key = first.table, first.key
        assert table.source is not None and table.dated_by is not None
        rows = files.setdefault(table.source, read_rows(settings, table.source))
        path = rows[0].path if rows else f"master/{table.source}.csv"
        locked = sorted(c.locked for c in group)
        tail = f"reopen {'it' if len(locked) == 1 else 'them'} first"
        row = _find(rows, tuple(table.file_column(k) for k in table.key), key)
        line = row.row if row else None
        shown = " ".join(key)
        if first.kind == "changed":
            now = row.get(table.file_column(first.column)) if row else _shown(first.now)
            message = (
                f"{now} differs from {_shown(first.was)}, as locked with {_periods(locked)}; {tail}"
            )
            problems.append(Problem(path, line, table.file_column(first.column), message))
        elif first.kind == "added":
            message = f"{shown} is not in the master data locked with {_periods(locked)}; {tail}"
            problems.append(Problem(path, line, table.file_column(table.dated_by), message))
        else:
            message = f"{shown}, locked with {_periods(locked)}, is missing; {tail}"
            problems.append(Problem(path, None, table.file_column(table.dated_by), message))
    return sorted(problems, key=lambda p: (p.path, p.row or 0, p.column))

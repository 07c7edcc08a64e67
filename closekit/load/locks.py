"""Period locks (SPEC section 5): lock, reopen with a reason, and the master
files changed since a lock."""

from __future__ import annotations

import duckdb

from closekit import status
from closekit.db import transaction
from closekit.errors import PeriodError
from closekit.master import master_hashes
from closekit.periods import parse_period
from closekit.workspace import Settings


def lock_period(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Lock a period: loads, posting and consolidation are refused until it is
    reopened. The SHA-256 of every master file is recorded, so that reports
    of the locked period can name master files changed since."""
    period = parse_period(period)
    status.require_period_folder(settings, period)
    status.require_unlocked(con, period)
    hashes = master_hashes(settings)
    with transaction(con):
        con.execute("DELETE FROM lock_master_file WHERE period = ?", [period])
        if hashes:
            con.executemany(
                "INSERT INTO lock_master_file VALUES (?, ?, ?)",
                [[period, path, sha] for path, sha in sorted(hashes.items())],
            )
        con.execute(
            "INSERT INTO period_status (period) VALUES (?) ON CONFLICT DO NOTHING", [period]
        )
        con.execute("UPDATE period_status SET locked_at = now() WHERE period = ?", [period])
        status.audit(con, period, "lock", f"{len(hashes)} master file(s) recorded")


def reopen_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, reason: str
) -> None:
    """Reopen a locked period; the reason goes to the audit log."""
    period = parse_period(period)
    status.require_period_folder(settings, period)
    if not reason.strip():
        raise PeriodError(f"reopening {period} needs a reason (--reason TEXT)")
    row = con.execute("SELECT locked_at FROM period_status WHERE period = ?", [period]).fetchone()
    if row is None or row[0] is None:
        raise PeriodError(f"period {period} is not locked")
    with transaction(con):
        con.execute("UPDATE period_status SET locked_at = NULL WHERE period = ?", [period])
        con.execute("DELETE FROM lock_master_file WHERE period = ?", [period])
        status.audit(con, period, "reopen", reason.strip())


def changed_master_files(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> list[str]:
    """Master files changed, added or removed since ``period`` was locked
    (empty when it is not locked), in path order."""
    locked = dict(
        con.execute(
            "SELECT path, sha256 FROM lock_master_file WHERE period = ?", [period]
        ).fetchall()
    )
    if not locked:
        return []
    now = master_hashes(settings)
    return sorted(p for p in set(locked) | set(now) if locked.get(p) != now.get(p))

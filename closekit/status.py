"""Close progress per period: which steps ran, locks, staleness.

Each step (load, post, consolidate, manage, check, report) calls
:func:`require` before it runs and :func:`mark` when it has written its
tables. Refusals raise :class:`PeriodError` (exit code 2) with the reason.
"""

from __future__ import annotations

import duckdb

from closekit.errors import PeriodError
from closekit.periods import period_folders
from closekit.workspace import Settings

STEPS = ("loaded", "posted", "consolidated", "managed", "checked", "reported")


def _row(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, object] | None:
    cur = con.execute("SELECT * FROM period_status WHERE period = ?", [period])
    row = cur.fetchone()
    if row is None:
        return None
    names = [d[0] for d in cur.description]
    return dict(zip(names, row, strict=True))


def require_period_folder(settings: Settings, period: str) -> None:
    """The period must have a folder under ledgers/ (SPEC section 2)."""
    if not (settings.ledgers_dir / period).is_dir():
        raise PeriodError(f"unknown period {period}: no folder ledgers/{period}")


def require_unlocked(con: duckdb.DuckDBPyConnection, period: str) -> None:
    row = _row(con, period)
    if row is not None and row["locked_at"] is not None:
        raise PeriodError(
            f"period {period} is locked; `closekit reopen {period} --reason ...` first"
        )


def require_fresh(con: duckdb.DuckDBPyConnection, period: str) -> None:
    row = _row(con, period)
    if row is not None and row["stale_reason"]:
        raise PeriodError(f"period {period} is stale ({row['stale_reason']}); post it again")


def require_step(
    con: duckdb.DuckDBPyConnection, period: str, step: str, fresh: bool = True
) -> None:
    """Refuse unless ``step`` ran for ``period`` (and, when ``fresh``, the period is
    not stale; posting a stale period is how it becomes fresh again)."""
    assert step in STEPS, step
    row = _row(con, period)
    if row is None or row[f"{step}_at"] is None:
        verb = {
            "loaded": "load",
            "posted": "post",
            "consolidated": "consolidate",
            "managed": "close",
            "checked": "check",
            "reported": "report",
        }[step]
        raise PeriodError(
            f"period {period} is not {step} yet; run `closekit {verb} {period}` first"
        )
    if fresh:
        require_fresh(con, period)


def require_earlier_posted(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Posting needs every earlier period that has a folder posted (SPEC section 6)."""
    for earlier in period_folders(settings.ledgers_dir):
        if earlier >= period:
            break
        row = _row(con, earlier)
        if row is None or row["posted_at"] is None:
            raise PeriodError(
                f"earlier period {earlier} is not posted; run `closekit post {earlier}` first"
            )
        if row["stale_reason"]:
            raise PeriodError(
                f"earlier period {earlier} is stale ({row['stale_reason']}); post it again"
            )


def mark(con: duckdb.DuckDBPyConnection, period: str, step: str) -> None:
    """Record that ``step`` ran now. Re-running a step clears the later steps."""
    assert step in STEPS, step
    later = STEPS[STEPS.index(step) + 1 :]
    resets = "".join(f", {s}_at = NULL" for s in later)
    stale = ", stale_reason = NULL" if step == "posted" else ""
    con.execute("INSERT INTO period_status (period) VALUES (?) ON CONFLICT DO NOTHING", [period])
    con.execute(
        f"UPDATE period_status SET {step}_at = now(){resets}{stale} WHERE period = ?", [period]
    )


def mark_later_stale(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Re-posting ``period`` makes every later posted period stale."""
    con.execute(
        "UPDATE period_status SET stale_reason = ? WHERE period > ? AND posted_at IS NOT NULL",
        [f"{period} was re-posted", period],
    )


def audit(con: duckdb.DuckDBPyConnection, period: str, action: str, detail: str = "") -> None:
    """Append to the audit log (locks, reopens, reloads)."""
    con.execute("INSERT INTO audit_log VALUES (now(), ?, ?, ?)", [period, action, detail])

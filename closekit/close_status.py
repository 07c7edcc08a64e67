"""Where each period's close stands, for ``closekit status`` and the Python API.

Beyond when each step ran (``load.close_progress``), what a controller asks
before signing a month off: how many rows were rejected, which checks failed
or warned, whether the result is DRAFT or final, whether the period is
locked or stale, whether its inputs changed since it was closed (its files
re-hashed as a load does), and so whether it may be locked
(:func:`require_lockable`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from closekit import status
from closekit.errors import PeriodError
from closekit.inputs import changed_since_load
from closekit.load import EntityProgress, close_progress, lock_period
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class PeriodState:
    """One period's close.

    steps: each step with when it last ran (None: not since what it builds on).
    rows_read, rows_rejected: over the period's current files.
    checks_failed, checks_warned: check ids, in SPEC order (of the last check run).
    inputs_changed: ledger files added, changed or removed since the last
        load (and master data or closekit.toml, for an unlocked period).
    held_by: for an open period before a locked one, that locked period
        (loading, posting and consolidating are refused until it reopens).
    master_changed: for a locked period, the master files changed since the
        lock; it keeps reading the master data it was locked with.
    """

    period: str
    steps: tuple[tuple[str, str | None], ...]
    locked_at: str | None
    stale_reason: str | None
    rows_read: int
    rows_rejected: int
    checks_failed: tuple[str, ...]
    checks_warned: tuple[str, ...]
    inputs_changed: tuple[str, ...]
    held_by: str | None = None
    master_changed: tuple[str, ...] = ()

    def ran(self, step: str) -> bool:
        return dict(self.steps).get(step) is not None

    @property
    def stage(self) -> str:
        """The last step that ran (``closed`` once checked, ``reported`` once
        its pack is written), or ``not loaded``."""
        done = [s for s, at in self.steps if at is not None]
        if not done:
            return "not loaded"
        return "closed" if done[-1] == "checked" else done[-1]

    @property
    def result(self) -> str:
        """``final`` when checked with no failure, ``DRAFT`` when a check
        failed, '' before the checks ran."""
        if not self.ran("checked"):
            return ""
        return "DRAFT" if self.checks_failed else "final"

    @property
    def clean_close(self) -> str | None:
        """None when the period is closed clean, with its pack, as it stands;
        else why not, in words."""
        if self.stale_reason:
            return f"it is stale ({self.stale_reason})"
        if not self.ran("checked"):
            return f"it is not closed (last step: {self.stage})"
        if self.rows_rejected:
            return f"{self.rows_rejected} row(s) were rejected"
        if self.checks_failed:
            return f"check(s) failed: {', '.join(self.checks_failed)}"
        if not self.ran("reported"):
            return "its reports are not written"
        if self.inputs_changed:
            return f"its inputs changed since the close: {'; '.join(self.inputs_changed)}"
        return None


def period_states(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str | None = None
) -> tuple[list[PeriodState], list[EntityProgress]]:
    """Every period with a folder or a status (or only ``period``), and rows
    loaded and lines posted per entity."""
    progress, entities = close_progress(settings, con, period)
    rows = {
        p: (int(read), int(rejected))
        for p, read, rejected in con.execute(
            "SELECT period, sum(read), sum(rejected) FROM load_file WHERE current GROUP BY period"
        ).fetchall()
    }
    checks: dict[str, dict[str, list[str]]] = {}
    for p, check_id, result in con.execute(
        "SELECT period, check_id, status FROM check_result WHERE status <> 'pass' ORDER BY seq"
    ).fetchall():
        checks.setdefault(p, {}).setdefault(result, []).append(check_id)
    states = []
    for p in progress:
        read, rejected = rows.get(p.period, (0, 0))
        found = checks.get(p.period, {})
        changed = changed_since_load(settings, con, p.period, locked=p.locked_at is not None)
        states.append(
            PeriodState(
                p.period,
                p.steps,
                p.locked_at,
                p.stale_reason,
                read,
                rejected,
                tuple(found.get("fail", [])),
                tuple(found.get("warn", [])),
                tuple(changed),
                p.held_by,
                p.master_changed,
            )
        )
    return states, entities


def require_lockable(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> None:
    """A period is locked after a clean close: closed and reported, not
    stale, no rejected row, no failed check, inputs as closed. Otherwise
    refuses naming why, and how to lock it anyway (``--force --reason``)."""
    states, _ = period_states(settings, con, period)
    why = states[0].clean_close if states else "it is not closed"
    if why is not None:
        raise PeriodError(
            f"period {period} is not closed clean: {why}; close it again, "
            "or lock it anyway with --force --reason TEXT (recorded in the audit log)"
        )


def lock(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    forced_reason: str | None = None,
) -> None:
    """Lock ``period`` after a clean close (:func:`require_lockable`), or,
    given ``forced_reason``, whatever its state: the reason and what was not
    clean go to the audit log with the lock."""
    if forced_reason is None:
        require_lockable(settings, con, period)
        lock_period(settings, con, period)
        return
    if not forced_reason.strip():
        raise PeriodError(f"locking {period} anyway needs a reason (--reason TEXT)")
    status.require_unlocked(con, period)
    states, _ = period_states(settings, con, period)
    why = states[0].clean_close if states else "it is not closed"
    detail = forced_reason.strip() + (f" (not clean: {why})" if why else "")
    lock_period(settings, con, period, forced=detail)

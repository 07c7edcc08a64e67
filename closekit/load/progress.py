"""Close progress for ``closekit status``: steps per period, rows per entity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from closekit import status
from closekit.load.locks import changed_master_files
from closekit.master import master_hashes
from closekit.periods import period_folders
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class PeriodProgress:
    """One period's close: when each step ran (None: not yet), lock and staleness.

    held_by: for an open period before a locked one, the first later locked
        period, whose opening balances are this one's closing: loading,
        posting and consolidating this one are refused until that one is
        reopened.
    master_changed: for a locked period, the master files changed since the
        lock; the period keeps reading the master data it was locked with.
    """

    period: str
    steps: tuple[tuple[str, str | None], ...]
    locked_at: str | None
    stale_reason: str | None
    held_by: str | None = None
    master_changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityProgress:
    """Per entity and period: source rows loaded and journal lines posted."""

    period: str
    entity: str
    rows_loaded: int
    lines_posted: int


def close_progress(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str | None = None
) -> tuple[list[PeriodProgress], list[EntityProgress]]:
    """Close progress per period and step, and per entity (SPEC section 11)."""
    known = set(period_folders(settings.ledgers_dir))
    known |= {p for (p,) in con.execute("SELECT period FROM period_status").fetchall()}
    periods = sorted(p for p in known if period is None or p == period)
    columns = ", ".join(f"CAST({s}_at AS VARCHAR)" for s in status.STEPS)
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            f"SELECT period, {columns}, CAST(locked_at AS VARCHAR), stale_reason FROM period_status"
        ).fetchall()
    }
    locked = [p for p, values in sorted(rows.items()) if values[-2] is not None]
    hashes = master_hashes(settings) if locked else {}
    progress = []
    for p in periods:
        values = rows.get(p, (None,) * (len(status.STEPS) + 2))
        steps = tuple(zip(status.STEPS, values[: len(status.STEPS)], strict=True))
        held_by = None if values[-2] else next((q for q in locked if q > p), None)
        changed = tuple(changed_master_files(settings, con, p, hashes)) if values[-2] else ()
        progress.append(PeriodProgress(p, steps, values[-2], values[-1], held_by, changed))
    entities = [
        EntityProgress(p, e, int(loaded), int(posted))
        for p, e, loaded, posted in con.execute(
            """
            WITH loaded AS (SELECT period, entity, count(*) AS n FROM source_row GROUP BY ALL),
                 posted AS (SELECT period, entity, count(*) AS n FROM journal GROUP BY ALL)
            SELECT period, entity, coalesce(loaded.n, 0), coalesce(posted.n, 0)
            FROM loaded FULL JOIN posted USING (period, entity)
            WHERE $period IS NULL OR period = $period
            ORDER BY period, entity
            """,
            {"period": period},
        ).fetchall()
    ]
    return progress, entities

"""Dated master rows that differ from a locked period's snapshot (SPEC
section 5 and section 20 "Locks and events").

A changed rate of a locked month would silently re-translate every later
month, so a locked period's dated rows (rates, ownership rows, margins) must
not change while it is locked: :func:`frozen_changes` lists the rows of the
loaded master tables, or of the rows about to be loaded, that differ from
each locked period's snapshot (:mod:`closekit.snapshot`); an added row about
something the snapshot never knew (``NewSubject``) is no change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from closekit.snapshot import (
    MASTER_TABLES,
    MasterTable,
    _columns,
    _decoded_sql,
    _persistent,
    locked_periods,
    recorded_tables,
    snapshot_rows,
)

if TYPE_CHECKING:  # `closekit --help` imports no DuckDB (tests/test_cli_imports.py)
    import duckdb


@dataclass(frozen=True)
class FrozenChange:
    """A row of a dated master table that differs from a locked period's snapshot.

    table: the dated table; locked: the locked period whose snapshot differs.
    key: the row's key values (in ``table.key`` order).
    kind: ``changed`` (``column`` differs: ``was`` in the snapshot, ``now``
        loaded), ``added`` (not in the snapshot) or ``removed`` (no longer
        loaded).
    """

    table: MasterTable
    locked: str
    key: tuple[str, ...]
    kind: Literal["changed", "added", "removed"]
    column: str = ""
    was: object = None
    now: object = None


def frozen_changes(
    con: duckdb.DuckDBPyConnection,
    periods: Sequence[str] | None = None,
    loaded: Mapping[str, Sequence[tuple[object, ...]]] | None = None,
) -> list[FrozenChange]:
    """Rows of the dated master tables dated at or before a locked period
    (every locked period, or ``periods``) that differ from its snapshot: the
    rows as loaded in the database, or the rows about to be (``loaded``: by
    table, in the table's columns)."""
    periods = locked_periods(con) if periods is None else list(periods)
    changes: list[FrozenChange] = []
    if not periods:
        return changes
    recorded_in = {period: recorded_tables(con, period) for period in periods}
    for table in MASTER_TABLES:
        if table.dated_by is None or table.source is None:
            continue
        names = [c.name for c in _columns(con, table.name)]
        recorded: dict[str, list[tuple[object, ...]]] = {}
        for row in con.execute(
            _decoded_sql(con, table.name, "$periods"), {"periods": periods}
        ).fetchall():
            recorded.setdefault(str(row[0]), []).append(row[1:])
        if loaded is None:
            (source,) = _persistent(con, table.name)
            current = con.execute(f"SELECT * FROM {source}").fetchall()
        else:
            current = list(loaded.get(table.name, []))
        dated = names.index(table.dated_by)
        for period in periods:
            if table.name not in recorded_in[period]:  # not consolidated, or an older snapshot
                continue
            now = [row for row in current if str(row[dated]) <= period]
            known = _known(con, table, period)
            changes += _changes(table, period, names, recorded.get(period, []), now, known)
    return changes


def _known(con: duckdb.DuckDBPyConnection, table: MasterTable, period: str) -> set[str]:
    """What ``period``'s snapshot knows of ``table.new_subject`` (its currencies, its entities)."""
    subject = table.new_subject
    if subject is None:
        return set()
    column = [c.name for c in _columns(con, subject.table)].index(subject.known_by)
    return {str(row[column]) for row in snapshot_rows(con, period, subject.table)}


def _changes(
    table: MasterTable,
    period: str,
    names: list[str],
    was_rows: list[tuple[object, ...]],
    now_rows: list[tuple[object, ...]],
    known: set[str],
) -> list[FrozenChange]:
    position = [names.index(k) for k in table.key]
    subject = table.new_subject

    def keyed(rows: list[tuple[object, ...]]) -> dict[tuple[str, ...], tuple[object, ...]]:
        return {tuple(str(row[i]) for i in position): row for row in rows}

    was, now = keyed(was_rows), keyed(now_rows)
    changes: list[FrozenChange] = []
    for key in sorted(was.keys() | now.keys()):
        if key not in now:
            changes.append(FrozenChange(table, period, key, "removed"))
        elif key not in was:
            if subject is None or not subject.free(dict(zip(names, now[key], strict=True)), known):
                changes.append(FrozenChange(table, period, key, "added"))
        else:
            changes += [
                FrozenChange(table, period, key, "changed", name, old, new)
                for name, old, new in zip(names, was[key], now[key], strict=True)
                if old != new and name not in table.origin
            ]
    return changes

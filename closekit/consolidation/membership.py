"""Since when each member of a node is consolidated there (SPEC 14: membership
by period; IFRS 10.B88).

A subsidiary S can have several acquiring events: its first period (or
migration), an acquisition by its direct parent Q, and acquisitions of its
sub-group when an entity above it joins a larger node. An event applies at
the nodes where S joined by it: the nodes that hold the event's scope, which
is Q for S's own event and the holder of the sub-group's head for a
sub-group event. At node N, S is consolidated from the latest event that
applies at N; its period is ``node_member.since``, and the pre-acquisition
elimination and NCI at acquisition at N come from that event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.errors import PeriodError

if TYPE_CHECKING:
    import duckdb


class MemberWithoutAcquisition(PeriodError):
    """A subsidiary is a member of a node with no event to consolidate it from."""


def assign_since(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Fill ``node_member.since`` for the period's subsidiaries (depth > 0);
    refuse a member no acquiring event brings in (caller holds the transaction)."""
    con.execute(
        """
        UPDATE node_member m SET since = chosen.since
        FROM (
            SELECT m.node, m.entity, max(e.period) AS since
            FROM node_member m
            JOIN consolidation_event e
              ON e.entity = m.entity AND e.period <= m.period
             AND e.kind IN ('first_period', 'migration', 'acquisition')
            -- a sub-group event's scope is the holder of its head
            LEFT JOIN consolidation_event head
              ON head.period = e.period AND head.entity = e.sub_group_of
             AND head.kind = 'acquisition'
            JOIN node_member scope
              ON scope.period = m.period AND scope.node = m.node
             AND scope.entity = coalesce(head.holder, e.holder)
            WHERE m.period = $period AND m.depth > 0
            GROUP BY m.node, m.entity
        ) chosen
        WHERE m.period = $period AND m.node = chosen.node AND m.entity = chosen.entity
        """,
        {"period": period},
    )
    missing = con.execute(
        "SELECT node, entity FROM node_member "
        "WHERE period = ? AND depth > 0 AND coalesce(since, '') = '' ORDER BY node, entity",
        [period],
    ).fetchall()
    if missing:
        listed = ", ".join(f"{e} at {n}" for n, e in missing)
        raise MemberWithoutAcquisition(
            f"cannot consolidate {period}: no acquisition brings in {listed}; "
            "consolidate the earlier periods first (`closekit close` in order); an entity "
            "added to entities.csv after the first period needs ownership.csv rows saying "
            "it was not held before and when it was acquired (SPEC 14)"
        )

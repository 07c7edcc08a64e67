"""The segments of a node's fiscal year (SPEC 19.1): a node whose members or
holdings changed inside the year at period E is measured from E-1 (its
flows to E-1 already written), else from the prior fiscal year end."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from closekit.periods import fiscal_year_start, period_folders
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


def flow_segments(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, prior: str
) -> list[tuple[str, str, bool]]:
    """(node, the segment's opening period, whether it is inside the fiscal
    year) per node of ``period``: the period before the latest change of the
    node's members or holdings in the year, else the prior year end."""
    start = fiscal_year_start(period, settings.fiscal_year_start)
    year = [p for p in period_folders(settings.ledgers_dir) if start <= p <= period]
    members: dict[tuple[str, str], set[tuple[object, ...]]] = {}
    for p, node, *member in con.execute(
        "SELECT period, node, entity, direct_parent, ownership, effective FROM node_member "
        "WHERE period BETWEEN ? AND ?",
        [start, period],
    ).fetchall():
        members.setdefault((p, node), set()).add(tuple(member))
    segments = []
    for p, node in sorted(members):
        if p != period:
            continue
        seg, in_year = prior, False
        for before, after in reversed(list(pairwise(year))):
            then = members.get((before, node))
            if then is None:
                break  # the node is new since: measured from the prior year end
            if then != members.get((after, node)):
                seg, in_year = before, True
                break
        segments.append((node, seg, in_year))
    return segments

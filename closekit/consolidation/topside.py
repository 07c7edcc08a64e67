"""Top-side (node) journals at every node (SPEC 18.2).

A top-side journal is booked at a consolidation node N in group currency
(impairments, late audit adjustments, reclassifications a group accountant
makes above the entities' books). It never changes an entity's books; it is
a movement of its period at N and at every node above N:

- balance-sheet lines count from the period they were booked in on
  (cumulative, like any balance);
- P&L lines count for their fiscal year and, once it has closed, stand on
  ``retained_earnings`` with empty dimensions (the fiscal-year roll);
- each line belongs to N for NCI at the nodes above it (SPEC 17): its
  ``entity`` (and owner) is N.

The nodes above N are those holding N as a member at the reported period,
so a journal follows its node through changes of the structure. One INSERT
over every node of the period; the caller holds the transaction and has
deleted the period's entries. Each entry's note names the document, its
source row and its reason, which the drill-down shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.consolidation.entries import INSERT_ENTRY
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

STEP = "topside"

# Every accepted top-side row booked up to $period, on the key it counts on
# at $period (a P&L row of a closed fiscal year on retained earnings).
_KEPT = """
    kept AS (
        SELECT t.*,
               a.type IN ('revenue', 'expense') AND t.period < $fy_start AS rolled
        FROM topside_row t
        JOIN account a ON a.account = t.account
        WHERE t.period <= $period
    )
"""


def apply_topside(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """Top-side rows up to ``period`` as ``consolidation_entry`` rows at their
    node and every node above it."""
    con.execute(
        f"""
        {INSERT_ENTRY}
        WITH {_KEPT}
        SELECT $period, m.node, '{STEP}', k.node,
               CASE WHEN k.rolled THEN '' ELSE k.partner END,
               CASE WHEN k.rolled THEN $retained_earnings ELSE k.account END,
               CASE WHEN k.rolled THEN '' ELSE k.profit_center END,
               CASE WHEN k.rolled THEN '' ELSE k.cost_center END,
               k.amount,
               'top-side ' || k.doc_id || ' line ' || k.line || ' (' || k.path || ':' ||
               k.row_no || ', ' || k.period ||
               CASE WHEN k.rolled THEN ', ' || k.account || ' rolled' ELSE '' END ||
               '): ' || k.reason,
               -- SPEC 17: it belongs to its node for NCI at the nodes above
               k.node,
               k.flow
        FROM kept k
        -- the booking node and every node above it hold it as a member
        JOIN node_member m ON m.period = $period AND m.entity = k.node
        WHERE k.amount <> 0
        """,
        {
            "period": period,
            "fy_start": fiscal_year_start(period, settings.fiscal_year_start),
            "retained_earnings": settings.accounts.retained_earnings,
        },
    )


def unapplied_topside(con: duckdb.DuckDBPyConnection, period: str) -> list[str]:
    """Warnings for top-side documents up to ``period`` that no node holds
    any more (their node left the group), or whose node is no longer a
    node at ``period`` itself (they still count at the nodes above)."""
    rows = con.execute(
        """
        SELECT DISTINCT t.period, t.doc_id, t.node,
               EXISTS (SELECT 1 FROM node_member m
                       WHERE m.period = $period AND m.entity = t.node) AS held,
               EXISTS (SELECT 1 FROM node_member m
                       WHERE m.period = $period AND m.node = t.node) AS is_node
        FROM topside_row t
        WHERE t.period <= $period
        ORDER BY t.period, t.doc_id
        """,
        {"period": period},
    ).fetchall()
    out = []
    for booked, doc_id, node, held, is_node in rows:
        if not held:
            out.append(
                f"top-side {doc_id} ({booked}) at node {node} is not applied in {period}: "
                f"{node} is no longer a member of any node"
            )
        elif not is_node:
            out.append(
                f"top-side {doc_id} ({booked}) at node {node}: {node} is no longer a node in "
                f"{period}; the journal counts at the nodes above it"
            )
    return out

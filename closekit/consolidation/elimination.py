"""Intercompany elimination at every node (SPEC 7.2, IFRS 10.B86(c)).

One INSERT into ``consolidation_entry`` over every node of the period at
once, reading the translated balances (group currency) and ``node_member``.
The caller holds the transaction and has deleted the period's entries.
"""

from __future__ import annotations

import duckdb

from closekit.consolidation.entries import BALANCE_CTE, INSERT_ENTRY


def eliminate_intercompany(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """For every balance b on an intercompany account A of member E with
    partner P, where P is also a member of the node: -b to A and +b to
    ic_plug(A), both keeping E, P and the line's dimensions. What remains on
    the plug for a pair is the pair's intercompany difference."""
    con.execute(
        f"""
        {INSERT_ENTRY}
        WITH {BALANCE_CTE},
        eliminated AS (
            SELECT m.node, b.entity, b.partner, b.account, a.ic_plug,
                   b.profit_center, b.cost_center, b.amount
            FROM balance b
            JOIN account a ON a.account = b.account AND a.ic_plug <> ''
            JOIN node_member m ON m.period = $period AND m.entity = b.entity
            JOIN node_member p ON p.period = $period AND p.node = m.node
                              AND p.entity = b.partner
        )
        -- Both lines belong to the booking entity (SPEC 17): an intra-group
        -- dividend eliminated against retained earnings moves the payer's
        -- income into the receiver's reserves for NCI, not into profit.
        SELECT $period, node, 'ic_elimination', entity, partner, account,
               profit_center, cost_center, -amount, 'eliminate against ' || ic_plug,
               entity, 'movement'
        FROM eliminated
        UNION ALL
        SELECT $period, node, 'ic_elimination', entity, partner, ic_plug,
               profit_center, cost_center, amount, 'plug of ' || account,
               entity, 'movement'
        FROM eliminated
        """,
        {"period": period},
    )

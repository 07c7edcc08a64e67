"""Intercompany elimination at every node (SPEC 7.2, IFRS 10.B86(c)).

One INSERT into ``consolidation_entry`` over every node of the period at
once, reading the translated balances (group currency) and ``node_member``.
The caller holds the transaction and has deleted the period's entries.
"""

from __future__ import annotations

import duckdb

# Each entity's translated balance per balance key at the period (the roll
# and CTA lines included, so retained earnings is one key).
BALANCE_CTE = """
    balance AS (
        SELECT entity, account, partner, profit_center, cost_center,
               sum(amount_group) AS amount
        FROM translated_balance
        WHERE period = $period
        GROUP BY entity, account, partner, profit_center, cost_center
        HAVING sum(amount_group) <> 0
    )
"""

# Members other than the node itself: the subsidiaries consolidated at it.
SUBSIDIARY_CTE = """
    subsidiary AS (
        SELECT node, entity, direct_parent AS holder, ownership, effective
        FROM node_member
        WHERE period = $period AND depth > 0
    )
"""


def eliminate_intercompany(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """For every balance b on an intercompany account A of member E with
    partner P, where P is also a member of the node: -b to A and +b to
    ic_plug(A), both keeping E, P and the line's dimensions. What remains on
    the plug for a pair is the pair's intercompany difference."""
    con.execute(
        f"""
        INSERT INTO consolidation_entry
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
        SELECT $period, node, 'ic_elimination', entity, partner, account,
               profit_center, cost_center, -amount, 'eliminate against ' || ic_plug
        FROM eliminated
        UNION ALL
        SELECT $period, node, 'ic_elimination', entity, partner, ic_plug,
               profit_center, cost_center, amount, 'plug of ' || account
        FROM eliminated
        """,
        {"period": period},
    )

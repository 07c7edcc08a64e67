"""Intercompany elimination at every node (SPEC 7.2, IFRS 10.B86(c)).

One INSERT into ``consolidation_entry`` over every node of the period at
once, reading the translated balances (group currency) and ``node_member``.
The caller holds the transaction and has deleted the period's entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.consolidation.entries import BALANCE_CTE, INSERT_ENTRY
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


def eliminate_intercompany(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """For every balance b on an intercompany account A of member E with
    partner P, where P is also a member of the node: -b to A and +b to
    ic_plug(A), both keeping E, P and the line's dimensions. What remains on
    the plug for a pair is the pair's intercompany difference.

    Membership is by period (SPEC 14, IFRS 10.B88): on a P&L account only
    the movements since both were members are eliminated, i.e. b less its
    year-to-date balance before the later of the two joined the node, when
    that was during the fiscal year."""
    con.execute(
        f"""
        {INSERT_ENTRY}
        WITH {BALANCE_CTE},
        pair AS (
            SELECT m.node, b.*, a.ic_plug, a.type IN ('revenue', 'expense') AS pl,
                   greatest(m.since, p.since) AS joined
            FROM balance b
            JOIN account a ON a.account = b.account AND a.ic_plug <> ''
            JOIN node_member m ON m.period = $period AND m.entity = b.entity
            JOIN node_member p ON p.period = $period AND p.node = m.node
                              AND p.entity = b.partner
        ),
        eliminated AS (
            SELECT x.node, x.entity, x.partner, x.account, x.ic_plug,
                   x.profit_center, x.cost_center,
                   x.amount - coalesce((
                       SELECT sum(t.amount_group) FROM translated_balance t
                       WHERE t.period = strftime(
                                 strptime(x.joined || '-01', '%Y-%m-%d') - INTERVAL 1 MONTH,
                                 '%Y-%m')
                         AND t.entity = x.entity AND t.partner = x.partner
                         AND t.account = x.account AND t.profit_center = x.profit_center
                         AND t.cost_center = x.cost_center), 0) AS amount
            FROM pair x
            WHERE x.pl AND x.joined > $year
            UNION ALL
            SELECT x.node, x.entity, x.partner, x.account, x.ic_plug,
                   x.profit_center, x.cost_center, x.amount
            FROM pair x
            WHERE NOT x.pl OR x.joined <= $year
        )
        -- Both lines belong to the booking entity (SPEC 17): an intra-group
        -- dividend eliminated against retained earnings moves the payer's
        -- income into the receiver's reserves for NCI, not into profit.
        SELECT $period, node, 'ic_elimination', entity, partner, account,
               profit_center, cost_center, -amount, 'eliminate against ' || ic_plug,
               entity, 'movement'
        FROM eliminated WHERE amount <> 0
        UNION ALL
        SELECT $period, node, 'ic_elimination', entity, partner, ic_plug,
               profit_center, cost_center, amount, 'plug of ' || account,
               entity, 'movement'
        FROM eliminated WHERE amount <> 0
        """,
        {"period": period, "year": fiscal_year_start(period, settings.fiscal_year_start)},
    )

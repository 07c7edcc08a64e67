"""Investment elimination, goodwill and NCI at acquisition (SPEC 7.3, 15).

The caller holds the transaction and has deleted the period's entries.
"""

from __future__ import annotations

import duckdb

from closekit.consolidation.entries import BALANCE_CTE, INSERT_ENTRY, SUBSIDIARY_CTE
from closekit.workspace import Settings


def eliminate_investments(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """For every subsidiary S of a node, held directly by Q with ``own``:
    Q's investment-role balance with partner S is eliminated against own x
    S's share-capital-role balance; round((1 - own) x share capital) goes to
    nci_equity; the difference is goodwill (negative goodwill stays)."""
    con.execute(
        f"""
        {INSERT_ENTRY}
        WITH {BALANCE_CTE}, {SUBSIDIARY_CTE},
        investment AS (
            SELECT s.node, s.entity AS subsidiary, b.*
            FROM subsidiary s
            JOIN balance b ON b.entity = s.holder AND b.partner = s.entity
            JOIN account a ON a.account = b.account AND a.role = 'investment'
        ),
        share_capital AS (
            SELECT s.node, s.entity AS subsidiary, b.*
            FROM subsidiary s
            JOIN balance b ON b.entity = s.entity
            JOIN account a ON a.account = b.account AND a.role = 'share_capital'
        ),
        acquisition AS (
            SELECT s.node, s.entity AS subsidiary, s.holder, s.ownership,
                   coalesce((SELECT sum(amount) FROM investment i
                             WHERE i.node = s.node AND i.subsidiary = s.entity), 0) AS cost,
                   coalesce((SELECT sum(amount) FROM share_capital c
                             WHERE c.node = s.node AND c.subsidiary = s.entity), 0) AS capital
            FROM subsidiary s
        ),
        split AS (
            -- share capital is a credit (negative): the NCI share is a credit too
            SELECT *, round((1 - ownership) * capital, 2) AS nci
            FROM acquisition
        )
        SELECT $period, node, 'investment', entity, partner, account,
               profit_center, cost_center, -amount, 'investment in ' || subsidiary,
               entity, 'movement'
        FROM investment
        UNION ALL
        SELECT $period, node, 'investment', entity, partner, account,
               profit_center, cost_center, -amount, 'share capital of ' || subsidiary,
               entity, 'movement'
        FROM share_capital
        UNION ALL
        SELECT $period, node, 'investment', subsidiary, '', $nci_equity, '', '', nci,
               'NCI in share capital of ' || subsidiary, subsidiary, 'movement'
        FROM split WHERE nci <> 0
        UNION ALL
        -- goodwill = cost - own x capital, i.e. what balances the entry
        SELECT $period, node, 'investment', holder, subsidiary, $goodwill, '', '',
               cost + capital - nci, 'goodwill on ' || subsidiary, holder, 'movement'
        FROM split WHERE cost + capital - nci <> 0
        """,
        {
            "period": period,
            "nci_equity": settings.accounts.nci_equity,
            "goodwill": settings.accounts.goodwill,
        },
    )


def negative_goodwill(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> list[str]:
    """Warnings for every node and subsidiary whose goodwill is negative (kept
    on the goodwill account in v1; a bargain purchase needs review)."""
    rows = con.execute(
        """
        SELECT node, partner, amount_group FROM consolidation_entry
        WHERE period = ? AND step = 'investment' AND account = ? AND amount_group < 0
        ORDER BY node, partner
        """,
        [period, settings.accounts.goodwill],
    ).fetchall()
    account = settings.accounts.goodwill
    return [
        f"node {node}: negative goodwill {amount} on {subsidiary} kept on {account}"
        for node, subsidiary, amount in rows
    ]

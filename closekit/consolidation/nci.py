"""Non-controlling interests at every node (SPEC section 7.3).

NCI share of a subsidiary S at node N is ``1 - eff(S)``, the effective
ownership being the product of holdings from N down to S. Both functions are
one INSERT into ``consolidation_entry`` over every node at once (caller holds
the transaction).
"""

from __future__ import annotations

import duckdb

from closekit.consolidation.entries import BALANCE_CTE, INSERT_ENTRY, SUBSIDIARY_CTE
from closekit.workspace import Settings


def nci_in_results(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """(1 - eff(S)) x S's translated YTD net income (revenue and expense
    accounts except nci_profit), rounded once per subsidiary: Dr nci_profit,
    Cr nci_equity for a profit (net income is a credit, so the share is
    negative and nci_profit receives its opposite)."""
    con.execute(
        f"""
        {INSERT_ENTRY}
        WITH {BALANCE_CTE}, {SUBSIDIARY_CTE},
        net_income AS (
            SELECT b.entity, sum(b.amount) AS amount
            FROM balance b
            JOIN account a ON a.account = b.account
            WHERE a.type IN ('revenue', 'expense') AND b.account <> $nci_profit
            GROUP BY b.entity
        ),
        share AS (
            SELECT s.node, s.entity, round((1 - s.effective) * n.amount, 2) AS amount
            FROM subsidiary s JOIN net_income n USING (entity)
        )
        SELECT $period, node, 'nci_result', entity, '', $nci_profit, '', '', -amount,
               'NCI share of the result of ' || entity, entity, 'profit'
        FROM share WHERE amount <> 0
        UNION ALL
        SELECT $period, node, 'nci_result', entity, '', $nci_equity, '', '', amount,
               'NCI share of the result of ' || entity, entity, 'profit'
        FROM share WHERE amount <> 0
        """,
        {
            "period": period,
            "nci_profit": settings.accounts.nci_profit,
            "nci_equity": settings.accounts.nci_equity,
        },
    )


def nci_in_reserves(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """(1 - eff(S)) x S's translated equity other than share capital,
    nci_equity and the current-year result (i.e. retained earnings with the
    closed years' roll, CTA, other reserves), rounded per balance key and
    reclassified from those accounts to nci_equity."""
    con.execute(
        f"""
        {INSERT_ENTRY}
        WITH {BALANCE_CTE}, {SUBSIDIARY_CTE},
        share AS (
            SELECT s.node, b.entity, b.partner, b.account, b.profit_center, b.cost_center,
                   round((1 - s.effective) * b.amount, 2) AS amount
            FROM subsidiary s
            JOIN balance b USING (entity)
            JOIN account a ON a.account = b.account
            WHERE a.type = 'equity' AND a.role <> 'share_capital' AND b.account <> $nci_equity
        )
        SELECT $period, node, 'nci_reserves', entity, partner, account,
               profit_center, cost_center, -amount, 'NCI share of ' || account,
               entity, 'movement'
        FROM share WHERE amount <> 0
        UNION ALL
        SELECT $period, node, 'nci_reserves', entity, '', $nci_equity, '', '', amount,
               'NCI share of ' || account, entity, 'movement'
        FROM share WHERE amount <> 0
        """,
        {"period": period, "nci_equity": settings.accounts.nci_equity},
    )

"""The management ledger's lines (SPEC section 8): where each group-currency
P&L line of a period lands by the vertical rule, in one set-based insert of
the members' translated P&L, the allocation postings and the group's
consolidation entries (the rule and the figures are described in
:mod:`closekit.manage`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from closekit.periods import fiscal_year_start, previous
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# The vertical rule, steps 1 and 2: the profit center a line reaches by itself
# (own profit center wins, else its cost center's; '' for a shared service).
REACHED_PC = (
    "CASE WHEN {line}.profit_center <> '' THEN {line}.profit_center "
    "ELSE coalesce({cc}.profit_center, '') END"
)

# Group-currency P&L accounts of the management view: revenue and expense,
# except the NCI share of profit, which is below the group's result.
PNL_ACCOUNTS = (
    "SELECT account FROM account WHERE type IN ('revenue', 'expense') AND account <> $nci_profit"
)


def query(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, str]
) -> duckdb.DuckDBPyConnection:
    """Execute with the named parameters the statement uses (DuckDB refuses extras)."""
    used = set(re.findall(r"\$(\w+)", sql))
    return con.execute(sql, {k: v for k, v in params.items() if k in used})


def write_lines(settings: Settings, con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> None:
    """One set-based insert of the three sources, each line placed by the vertical rule."""
    fy = fiscal_year_start(params["period"], settings.fiscal_year_start)
    query(
        con,
        f"""
        INSERT INTO management_line
        WITH ledger AS (
            -- the members' translated P&L (average rates), each snapshot
            -- with the members of its own period (SPEC 14, IFRS 10.B88): an
            -- entity acquired or sold in between is in one snapshot only, and
            -- the event entries below hold its results on the other side
            SELECT 'ledger' AS source, t.entity, t.account, t.partner, t.profit_center,
                   t.cost_center, '' AS cycle,
                   sum(t.amount_group * f.month_coef) AS month_amount,
                   sum(t.amount_group * f.ytd_coef) AS ytd_amount,
                   sum(t.amount_group * f.prior_coef) AS prior_amount
            FROM translated_balance t JOIN mgmt_figure f ON t.period = f.snapshot
            JOIN node_member n ON n.period = f.snapshot AND n.node = $top AND n.entity = t.entity
            WHERE t.account IN ({PNL_ACCOUNTS})
            GROUP BY ALL
        ),
        allocation_side AS (  -- credit the sender cost center, debit the receiving profit center
            SELECT a.sender_entity AS entity, '' AS profit_center, a.sender AS cost_center,
                   a.cycle, a.month, -a.amount AS amount
            FROM allocation_posting a WHERE a.period = $period
            UNION ALL
            SELECT a.sender_entity, a.receiver, '', a.cycle, a.month, a.amount
            FROM allocation_posting a WHERE a.period = $period
        ),
        allocated AS (  -- YTD allocation = the sum of the fiscal year's monthly allocations
            SELECT 'allocation' AS source, entity, $allocation AS account, '' AS partner,
                   profit_center, cost_center, cycle,
                   sum(CASE WHEN month = $period THEN amount ELSE 0 END),
                   sum(CASE WHEN month BETWEEN $fy AND $period THEN amount ELSE 0 END),
                   sum(CASE WHEN month = $prior THEN amount ELSE 0 END)
            FROM allocation_side GROUP BY ALL
        ),
        departed AS (  -- entities of a snapshot's disposal entries, no longer members
            SELECT DISTINCT e.period AS snapshot, e.entity
            FROM consolidation_entry e
            WHERE e.node = $top AND e.step = 'disposal' AND NOT EXISTS (
                SELECT 1 FROM node_member n
                WHERE n.period = e.period AND n.node = $top AND n.entity = e.entity)
        ),
        entered AS (
            -- the group's P&L entries but NCI: its intercompany P&L
            -- eliminations, and (SPEC 20) every other one, an adjustment;
            -- but an entity's own P&L an event moves lands as its books and
            -- eliminations did (each entity for its member periods): a sold
            -- member's results before its disposal with the eliminations of
            -- its trade then, an acquired member's pre-acquisition results
            SELECT CASE WHEN e.step = 'ic_elimination' THEN 'elimination'
                        WHEN e.owner <> e.entity THEN 'adjustment'
                        WHEN e.step = 'investment' AND e.flow = 'acquisition' THEN 'ledger'
                        WHEN e.step <> 'disposal' THEN 'adjustment'
                        WHEN e.entity IN (SELECT entity FROM departed d
                                          WHERE d.snapshot = f.snapshot) THEN 'ledger'
                        WHEN a.role <> 'disposal_gain' AND e.account <> $disposal_gain
                             AND e.partner IN (SELECT entity FROM departed d
                                               WHERE d.snapshot = f.snapshot)
                        THEN 'elimination'
                        ELSE 'adjustment' END AS source,
                   e.entity, e.account, e.partner, e.profit_center, e.cost_center, '' AS cycle,
                   sum(e.amount_group * f.month_coef),
                   sum(e.amount_group * f.ytd_coef),
                   sum(e.amount_group * f.prior_coef)
            FROM consolidation_entry e JOIN mgmt_figure f ON e.period = f.snapshot
            JOIN account a ON a.account = e.account
            WHERE e.node = $top AND e.step NOT IN ('nci_result', 'nci_reserves')
              AND e.account IN ({PNL_ACCOUNTS})
            GROUP BY ALL
        ),
        lines AS (
            SELECT * FROM ledger
            UNION ALL SELECT * FROM allocated
            UNION ALL SELECT * FROM entered
        )
        SELECT $period, l.source, l.entity, l.account, l.partner, l.profit_center,
               l.cost_center, l.cycle,
               CASE WHEN l.source = 'elimination' THEN ''
                    ELSE {REACHED_PC.format(line="l", cc="cc")} END AS reached_pc,
               CASE WHEN l.source = 'elimination' THEN 'eliminations'
                    WHEN l.source = 'adjustment' THEN 'adjustments'
                    WHEN reached_pc <> '' THEN 'profit_center'
                    WHEN l.cost_center <> '' THEN 'unallocated'
                    ELSE 'unassigned' END,
               l.month_amount, l.ytd_amount, l.prior_amount
        FROM lines l LEFT JOIN cost_center cc ON cc.cost_center = l.cost_center
        WHERE l.month_amount <> 0 OR l.ytd_amount <> 0 OR l.prior_amount <> 0
        """,
        {
            **params,
            "allocation": settings.accounts.allocation,
            "disposal_gain": settings.accounts.disposal_gain or "",
            "fy": fy,
            "prior": previous(params["period"]),
        },
    )

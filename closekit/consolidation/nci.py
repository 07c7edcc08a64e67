"""Non-controlling interests at every node (SPEC 7.3, 15.5, 17; IFRS 10.22,
10.B94, 10.B96).

The NCI share of a subsidiary S at node N is ``1 - eff(S)``, the effective
ownership being the product of holdings from N down to S. What S's NCI
shares in is S's own translated balances **plus the node entries that
belong to S** (``consolidation_entry.owner``, SPEC 17): the eliminations S
booked (an intra-group dividend S received leaves its result for its
reserves), the reversal of its pre-acquisition equity (so S's NCI shares
only in what S earned since acquisition; the NCI at acquisition is a line of
its own, :mod:`.investment`), and, at a node above S's holder Q, the event
entries that belong to Q.

A change of holding never re-attributes what was earned before it (15.5):

- NCI in results for the fiscal year = round(sum over the year's periods t
  in which S is a member of (1 - eff_t) x S's result of t);
- NCI in reserves per equity key k, with B the latest period in which
  eff(S) changed at N after S joined it: R_k(P) = R_k(B-1) + round((1 -
  eff) x (k(P) - k(B-1))); when a fiscal year closed since B-1, the P&L of
  B-1 and its NCI in results count on retained earnings. Without such a
  change, R_k(P) = round((1 - eff) x k(P)).

Both functions are one INSERT into ``consolidation_entry`` over every node
at once (caller holds the transaction; every other rule has run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.consolidation.entries import INSERT_ENTRY, SUBSIDIARY_CTE
from closekit.consolidation.translation import fiscal_year_sql
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# What each subsidiary's NCI shares in at each node and period: its translated
# balances and the node's entries that belong to it, NCI entries and NCI
# accounts aside; for the periods of this fiscal year and the base periods.
_SHARED_CTE = """
    {subsidiary},
    history AS (
        SELECT m.period, m.node, m.entity, m.effective,
               lag(m.period) OVER w AS period_before,
               lag(m.effective) OVER w AS effective_before
        FROM node_member m
        WHERE m.period <= $period AND m.depth > 0
        WINDOW w AS (PARTITION BY m.node, m.entity ORDER BY m.period)
    ),
    base AS (
        -- B-1 for the latest change of effective holding since S joined N
        SELECT h.node, h.entity, max(h.period_before) AS prior,
               {prior_year} < $year_number AS rolled
        FROM history h
        JOIN node_member c ON c.period = $period AND c.node = h.node AND c.entity = h.entity
        WHERE h.period > c.since AND h.effective <> h.effective_before
        GROUP BY h.node, h.entity
    ),
    own_line AS (
        SELECT period, NULL AS node, entity, account, partner, profit_center, cost_center,
               amount_group AS amount
        FROM translated_balance
        WHERE period BETWEEN $year AND $period OR period IN (SELECT prior FROM base)
        UNION ALL
        SELECT period, node, owner, account, partner, profit_center, cost_center, amount_group
        FROM consolidation_entry
        WHERE (period BETWEEN $year AND $period OR period IN (SELECT prior FROM base))
          AND owner <> '' AND step NOT IN ('nci_result', 'nci_reserves')
    ),
    shared AS (
        SELECT l.period, m.node, m.entity, m.effective, a.type, l.account, l.partner,
               l.profit_center, l.cost_center, l.amount
        FROM node_member m
        JOIN own_line l ON l.period = m.period AND l.entity = m.entity
                       AND (l.node IS NULL OR l.node = m.node)
        JOIN account a ON a.account = l.account
        WHERE m.depth > 0 AND l.account NOT IN ($nci_profit, $nci_equity)
    )
"""


def _shared(settings: Settings) -> str:
    return _SHARED_CTE.format(
        subsidiary=SUBSIDIARY_CTE,
        prior_year=fiscal_year_sql("max(h.period_before)", settings.fiscal_year_start),
    )


def nci_in_results(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """round(sum over the year's member periods of (1 - eff_t) x S's result
    of t), S's result for NCI being its revenue and expense lines and the
    node's P&L entries that belong to it: Dr nci_profit, Cr nci_equity for a
    profit (net income is a credit, so the share is negative and nci_profit
    receives its opposite)."""
    con.execute(
        f"""
        {INSERT_ENTRY}
        WITH {_shared(settings)},
        ytd AS (
            SELECT m.period, m.node, m.entity, m.effective, coalesce(sum(x.amount), 0) AS result
            FROM node_member m
            LEFT JOIN shared x ON x.period = m.period AND x.node = m.node
                              AND x.entity = m.entity AND x.type IN ('revenue', 'expense')
            WHERE m.period BETWEEN $year AND $period AND m.depth > 0
            GROUP BY m.period, m.node, m.entity, m.effective
        ),
        movement AS (
            SELECT node, entity, effective,
                   result - coalesce(lag(result) OVER (PARTITION BY node, entity
                                                       ORDER BY period), 0) AS result
            FROM ytd
        ),
        share AS (
            SELECT m.node, m.entity, round(sum((1 - m.effective) * m.result), 2) AS amount
            FROM movement m JOIN subsidiary s USING (node, entity)
            GROUP BY m.node, m.entity
        )
        SELECT $period, node, 'nci_result', entity, '', $nci_profit, '', '', -amount,
               'NCI share of the result of ' || entity, entity, 'profit'
        FROM share WHERE amount <> 0
        UNION ALL
        SELECT $period, node, 'nci_result', entity, '', $nci_equity, '', '', amount,
               'NCI share of the result of ' || entity, entity, 'profit'
        FROM share WHERE amount <> 0
        """,
        {k: v for k, v in _params(settings, period).items() if k != "retained_earnings"},
    )


def nci_in_reserves(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """R_k for each equity key of S for NCI (its translated equity and the
    node's equity entries that belong to it: retained earnings with the
    closed years' roll, CTA, other reserves; share capital and
    pre-acquisition equity net to nothing), reclassified from that key to
    nci_equity."""
    con.execute(
        f"""
        {INSERT_ENTRY}
        WITH {_shared(settings)},
        key_amount AS (
            -- k(P)
            SELECT node, entity, account, partner, profit_center, cost_center,
                   amount AS now, 0 AS before, 0 AS earned
            FROM shared WHERE period = $period AND type = 'equity'
            UNION ALL
            -- k(B-1); P&L keys of a closed year on retained earnings
            SELECT x.node, x.entity,
                   CASE WHEN x.type = 'equity' THEN x.account ELSE $retained_earnings END,
                   CASE WHEN x.type = 'equity' THEN x.partner ELSE '' END,
                   CASE WHEN x.type = 'equity' THEN x.profit_center ELSE '' END,
                   CASE WHEN x.type = 'equity' THEN x.cost_center ELSE '' END,
                   0, x.amount, 0
            FROM shared x JOIN base b ON b.node = x.node AND b.entity = x.entity
                                     AND b.prior = x.period
            WHERE x.type = 'equity' OR (b.rolled AND x.type IN ('revenue', 'expense'))
            UNION ALL
            -- R_k(B-1), with the NCI in results of a closed year
            SELECT e.node, e.entity,
                   CASE WHEN e.step = 'nci_reserves' THEN e.account ELSE $retained_earnings END,
                   CASE WHEN e.step = 'nci_reserves' THEN e.partner ELSE '' END,
                   CASE WHEN e.step = 'nci_reserves' THEN e.profit_center ELSE '' END,
                   CASE WHEN e.step = 'nci_reserves' THEN e.cost_center ELSE '' END,
                   0, 0,
                   CASE WHEN e.step = 'nci_reserves' THEN -e.amount_group ELSE e.amount_group END
            FROM consolidation_entry e
            JOIN base b ON b.node = e.node AND b.entity = e.entity AND b.prior = e.period
            WHERE (e.step = 'nci_reserves' AND e.account <> $nci_equity)
               OR (b.rolled AND e.step = 'nci_result' AND e.account = $nci_equity)
        ),
        share AS (
            SELECT k.node, k.entity, k.partner, k.account, k.profit_center, k.cost_center,
                   sum(k.earned)
                   + round((1 - any_value(s.effective)) * (sum(k.now) - sum(k.before)), 2)
                       AS amount
            FROM key_amount k JOIN subsidiary s USING (node, entity)
            GROUP BY k.node, k.entity, k.partner, k.account, k.profit_center, k.cost_center
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
        _params(settings, period),
    )


def _params(settings: Settings, period: str) -> dict[str, object]:
    year = fiscal_year_start(period, settings.fiscal_year_start)
    return {
        "period": period,
        "year": year,
        "year_number": int(year[:4]),
        "retained_earnings": settings.accounts.retained_earnings,
        "nci_profit": settings.accounts.nci_profit,
        "nci_equity": settings.accounts.nci_equity,
    }

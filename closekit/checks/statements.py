"""Checks of the complete statements (SPEC 20): flows_tie, equity_statement,
cash_flow."""

from __future__ import annotations

from closekit.checks.base import Check, CheckContext, CheckResult
from closekit.checks.consolidation import is_consolidated
from closekit.statements.flows import prior_year_end

# A node's balance per key at a period, as the balance sheet shows it: its
# members' translated balances and its entries, P&L on retained earnings.
NODE_BALANCE = """
    SELECT m.node, b.entity, b.account, b.partner, sum(b.amount) AS amount
    FROM (
        SELECT t.period, t.entity, t.account, t.partner, t.amount_group AS amount, NULL AS node
        FROM translated_balance t
        UNION ALL
        SELECT period, entity, account, partner, amount_group, node FROM consolidation_entry
    ) x
    JOIN node_member m ON m.period = x.period
                      AND (x.node IS NULL AND m.entity = x.entity
                           OR x.node IS NOT NULL AND m.node = x.node AND m.depth = 0)
    JOIN account a ON a.account = x.account
    CROSS JOIN LATERAL (
        SELECT x.entity,
               CASE WHEN a.type IN ('revenue', 'expense') THEN $re ELSE x.account END AS account,
               CASE WHEN a.type IN ('revenue', 'expense') THEN '' ELSE x.partner END AS partner,
               x.amount
    ) b
    WHERE x.period = {period}
    GROUP BY ALL
"""


def flows_tie(ctx: CheckContext) -> CheckResult:
    """At every node, every key's flows sum to its closing balance, and its
    opening flow is its balance at the prior fiscal year end (SPEC 19.1)."""
    if not is_consolidated(ctx):
        return CheckResult("flows_tie", "fail", f"{ctx.period} is not consolidated")
    prior = prior_year_end(ctx.settings, ctx.period)
    rows = ctx.con.execute(
        f"""
        WITH closing AS ({NODE_BALANCE.format(period="$period")}),
        opening AS ({NODE_BALANCE.format(period="$prior")}),
        flowed AS (
            SELECT node, entity, account, partner,
                   sum(amount) AS total,
                   sum(amount) FILTER (flow = 'opening') AS opening
            FROM node_flow WHERE period = $period
            GROUP BY ALL
        )
        SELECT node, entity, account, partner, 'closing' AS what,
               coalesce(f.total, 0) AS flows, coalesce(c.amount, 0) AS balance
        FROM flowed f FULL JOIN closing c USING (node, entity, account, partner)
        WHERE coalesce(f.total, 0) <> coalesce(c.amount, 0)
        UNION ALL
        SELECT node, entity, account, partner, 'opening',
               coalesce(f.opening, 0), coalesce(o.amount, 0)
        FROM flowed f FULL JOIN opening o USING (node, entity, account, partner)
        WHERE $prior <> '' AND coalesce(f.opening, 0) <> coalesce(o.amount, 0)
          AND node IN (SELECT node FROM node_member WHERE period = $period)
        ORDER BY ALL
        """,
        {"period": ctx.period, "prior": prior, "re": ctx.settings.accounts.retained_earnings},
    ).fetchall()
    if not rows:
        keys = ctx.con.execute(
            "SELECT count(DISTINCT (node, entity, account, partner)) FROM node_flow "
            "WHERE period = ?",
            [ctx.period],
        ).fetchone()
        count = keys[0] if keys else 0
        return CheckResult("flows_tie", "pass", f"{count} key(s): opening + flows = closing")
    shown = "; ".join(
        f"{node} {entity}/{account}"
        + (f"/{partner}" if partner else "")
        + f" {what}: flows {flows}, balance {balance}"
        for node, entity, account, partner, what, flows, balance in rows[:5]
    )
    more = f" (and {len(rows) - 5} more)" if len(rows) > 5 else ""
    return CheckResult("flows_tie", "fail", f"{len(rows)} key(s) do not tie: {shown}{more}")


CHECKS: list[Check] = [flows_tie]

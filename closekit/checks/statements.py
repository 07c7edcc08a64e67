"""Checks of the complete statements (SPEC 20): flows_tie, equity_statement,
cash_flow."""

from __future__ import annotations

from decimal import Decimal

from closekit.checks.base import Check, CheckContext, CheckResult, Finding, failed
from closekit.checks.consolidation import is_consolidated, not_consolidated
from closekit.consolidation import consolidation_nodes
from closekit.statements.cash_flow import cash_flow_statement
from closekit.statements.equity import (
    EQUITY_COLUMN,
    OWNERS_COLUMNS,
    equity_params,
    equity_statement,
)
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
        return not_consolidated("flows_tie", ctx)
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
    off = [
        Finding(
            f"{node} {entity}/{account}"
            + (f"/{partner}" if partner else "")
            + f" {what}: flows {flows}, balance {balance}",
            (node,),
        )
        for node, entity, account, partner, what, flows, balance in rows
    ]
    shown = "; ".join(f.text for f in off[:5])
    more = f" (and {len(rows) - 5} more)" if len(rows) > 5 else ""
    return CheckResult(
        "flows_tie", "fail", f"{len(rows)} key(s) do not tie: {shown}{more}", tuple(off)
    )


def equity_statement_check(ctx: CheckContext) -> CheckResult:
    """At every node, each column of the statement of changes in equity ends
    at the balance-sheet equity it presents (SPEC 20 equity_statement)."""
    if not is_consolidated(ctx):
        return not_consolidated("equity_statement", ctx)
    balances = ctx.con.execute(
        f"""
        SELECT b.node, {EQUITY_COLUMN} AS col, -sum(b.amount)
        FROM ({NODE_BALANCE.format(period="$period")}) b
        JOIN account a ON a.account = b.account
        WHERE a.type = 'equity'
        GROUP BY ALL
        """,
        {"period": ctx.period, **equity_params(ctx.settings)},
    ).fetchall()
    expected = {(node, column): Decimal(amount) for node, column, amount in balances}
    off = []
    nodes = consolidation_nodes(ctx.con, ctx.period)
    for node in nodes:
        closing = equity_statement(ctx.con, ctx.settings, ctx.period, node).rows[-1]
        for column in (*OWNERS_COLUMNS, "nci"):
            balance = expected.get((node, column), Decimal(0))
            if closing.amount(column) != balance:
                off.append(
                    Finding(
                        f"{node} {column}: statement {closing.amount(column)}, "
                        f"balance sheet {balance}",
                        (node,),
                    )
                )
    if off:
        return failed("equity_statement", off)
    return CheckResult(
        "equity_statement", "pass", f"{len(nodes)} node(s): every column ends at the balance sheet"
    )


def cash_flow_check(ctx: CheckContext) -> CheckResult:
    """At every node, operating + investing + financing + the effect of
    exchange rates = the change in cash and cash equivalents on the balance
    sheet (SPEC 20 cash_flow): the closing cash balances less the cash at the
    prior fiscal year end (in the first fiscal year, the opening rows')."""
    if not is_consolidated(ctx):
        return not_consolidated("cash_flow", ctx)
    prior = prior_year_end(ctx.settings, ctx.period)
    re = ctx.settings.accounts.retained_earnings
    cash = f"""
        SELECT b.node, sum(b.amount) FROM ({NODE_BALANCE}) b
        JOIN account a ON a.account = b.account AND a.cash_flow = 'cash'
        GROUP BY b.node
    """
    closing = dict(
        ctx.con.execute(cash.format(period="$p"), {"p": ctx.period, "re": re}).fetchall()
    )
    if prior:
        opening = dict(ctx.con.execute(cash.format(period="$p"), {"p": prior, "re": re}).fetchall())
    else:
        opening = dict(
            ctx.con.execute(
                "SELECT f.node, sum(f.amount) FROM node_flow f "
                "JOIN account a ON a.account = f.account AND a.cash_flow = 'cash' "
                "WHERE f.period = ? AND f.flow = 'opening' GROUP BY f.node",
                [ctx.period],
            ).fetchall()
        )
    off = []
    nodes = consolidation_nodes(ctx.con, ctx.period)
    for node in nodes:
        change = Decimal(closing.get(node) or 0) - Decimal(opening.get(node) or 0)
        explained = cash_flow_statement(ctx.con, ctx.settings, ctx.period, node).total()
        if explained != change:
            off.append(Finding(f"{node}: cash flows {explained}, change in cash {change}", (node,)))
    if off:
        return failed("cash_flow", off)
    return CheckResult(
        "cash_flow", "pass", f"{len(nodes)} node(s): the cash flows explain the change in cash"
    )


CHECKS: list[Check] = [flows_tie, equity_statement_check, cash_flow_check]

"""Checks of the consolidation stage (SPEC section 9): fx_rates, translated_tb,
ic_matched, consolidated_bs."""

from __future__ import annotations

from decimal import Decimal

from closekit.checks.base import Check, CheckContext, CheckResult
from closekit.consolidate import consolidation_nodes, intercompany_pairs, node_trial_balance


def _consolidated(ctx: CheckContext) -> bool:
    row = ctx.con.execute(
        "SELECT consolidated_at IS NOT NULL AND coalesce(stale_reason, '') = '' "
        "FROM period_status WHERE period = ?",
        [ctx.period],
    ).fetchone()
    return bool(row and row[0])


def _not_consolidated(check: str, ctx: CheckContext) -> CheckResult:
    return CheckResult(check, "fail", f"{ctx.period} is not consolidated")


def fx_rates(ctx: CheckContext) -> CheckResult:
    """Every currency in use in the period (entity functional currencies, and
    document currencies of the period's source rows) has a closing and an
    average rate; the group currency is 1 and needs none."""
    rows = ctx.con.execute(
        """
        WITH in_use AS (
            SELECT currency FROM entity
            UNION
            SELECT currency FROM source_row WHERE period = $period
        )
        SELECT u.currency, r.closing IS NULL AS no_closing, r.average IS NULL AS no_average
        FROM in_use u
        LEFT JOIN fx_rate r ON r.period = $period AND r.currency = u.currency
        WHERE upper(u.currency) <> $group_currency
          AND (r.closing IS NULL OR r.average IS NULL)
        ORDER BY u.currency
        """,
        {"period": ctx.period, "group_currency": ctx.settings.currency},
    ).fetchall()
    if not rows:
        return CheckResult("fx_rates", "pass", f"every currency in use has rates for {ctx.period}")
    missing = [
        f"{currency} {ctx.period} "
        + (
            "closing and average"
            if no_closing and no_average
            else "closing"
            if no_closing
            else "average"
        )
        for currency, no_closing, no_average in rows
    ]
    return CheckResult("fx_rates", "fail", "missing rates: " + "; ".join(missing))


def translated_tb(ctx: CheckContext) -> CheckResult:
    """Every entity's translated trial balance sums to zero after the CTA."""
    if not _consolidated(ctx):
        return _not_consolidated("translated_tb", ctx)
    rows = ctx.con.execute(
        """
        SELECT entity, sum(amount_group) FROM translated_balance WHERE period = ?
        GROUP BY entity HAVING sum(amount_group) <> 0 ORDER BY entity
        """,
        [ctx.period],
    ).fetchall()
    if not rows:
        return CheckResult("translated_tb", "pass", "every entity's translated TB sums to zero")
    return CheckResult(
        "translated_tb",
        "fail",
        "translated TB out of balance: " + "; ".join(f"{e} {total}" for e, total in rows),
    )


def ic_matched(ctx: CheckContext) -> CheckResult:
    """Every pair's remainder on an ic_difference plug account (a one-sided
    balance included) is within the intercompany tolerance."""
    if not _consolidated(ctx):
        return _not_consolidated("ic_matched", ctx)
    tolerance = ctx.settings.ic_tolerance
    seen: dict[tuple[str, str, str], str] = {}
    checked = 0
    for node in consolidation_nodes(ctx.con, ctx.period):
        for pair in intercompany_pairs(ctx.con, ctx.settings, ctx.period, node):
            key = (pair.entity, pair.partner, pair.plug_account)
            if not pair.checked or key in seen:
                continue
            checked += 1
            seen[key] = (
                ""
                if pair.within_tolerance
                else f"{pair.entity}/{pair.partner} on {pair.plug_account}: difference "
                f"{pair.difference} ({pair.entity} {pair.entity_side}, "
                f"{pair.partner} {pair.partner_side})"
            )
    failures = [text for text in seen.values() if text]
    if not failures:
        return CheckResult("ic_matched", "pass", f"{checked} pair(s) within tolerance {tolerance}")
    return CheckResult(
        "ic_matched",
        "fail",
        f"{len(failures)} pair(s) beyond tolerance {tolerance}: " + "; ".join(failures),
    )


def consolidated_bs(ctx: CheckContext) -> CheckResult:
    """At every node, assets = liabilities + equity (NCI included) + the
    current-year result, i.e. the node's trial balance sums to zero."""
    if not _consolidated(ctx):
        return _not_consolidated("consolidated_bs", ctx)
    nodes = consolidation_nodes(ctx.con, ctx.period)
    off = []
    for node in nodes:
        lines = node_trial_balance(ctx.con, ctx.settings, ctx.period, node, "ytd")
        total = sum((line.amount for line in lines), Decimal(0))
        if total != 0:
            off.append(f"{node} {total}")
    if not off:
        return CheckResult("consolidated_bs", "pass", f"{len(nodes)} node(s) balance")
    return CheckResult("consolidated_bs", "fail", "node TB out of balance: " + "; ".join(off))


CHECKS: list[Check] = [fx_rates, translated_tb, ic_matched, consolidated_bs]

"""Checks of the consolidation stage (SPEC section 9): fx_rates, translated_tb,
ic_matched, consolidated_bs."""

from __future__ import annotations

from closekit.checks.base import Check, CheckContext, CheckResult, Finding, failed
from closekit.consolidation import consolidation_nodes, intercompany_pairs
from closekit.consolidation.event_rates import missing_event_rates
from closekit.consolidation.structure import period_structure


def is_consolidated(ctx: CheckContext) -> bool:
    row = ctx.con.execute(
        "SELECT consolidated_at IS NOT NULL AND coalesce(stale_reason, '') = '' "
        "FROM period_status WHERE period = ?",
        [ctx.period],
    ).fetchone()
    return bool(row and row[0])


def not_consolidated(check: str, ctx: CheckContext) -> CheckResult:
    text = f"{ctx.period} is not consolidated"
    return CheckResult(check, "fail", text, (Finding(text),))


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
    missing = [
        (
            currency,
            f"{currency} {ctx.period} "
            + (
                "closing and average"
                if no_closing and no_average
                else "closing"
                if no_closing
                else "average"
            ),
        )
        for currency, no_closing, no_average in rows
    ]
    # SPEC 14: the closing rates of P-1 the period's events need
    structure = period_structure(ctx.settings, ctx.con, ctx.period)
    missing += [
        (m.currency, f"{m.currency} {m.period} closing ({m.event}, {m.origin})")
        for m in missing_event_rates(ctx.settings, ctx.con, structure)
    ]
    if not missing:
        return CheckResult("fx_rates", "pass", f"every currency in use has rates for {ctx.period}")
    users = _currency_users(ctx)
    return CheckResult(
        "fx_rates",
        "fail",
        "missing rates: " + "; ".join(text for _, text in missing),
        tuple(Finding(text, users.get(currency.upper(), ())) for currency, text in missing),
    )


def _currency_users(ctx: CheckContext) -> dict[str, tuple[str, ...]]:
    """currency -> the entities whose books it is (functional currency) or
    whose source rows of the period are in it."""
    rows = ctx.con.execute(
        """
        SELECT upper(currency), list(DISTINCT entity ORDER BY entity) FROM (
            SELECT currency, entity FROM entity
            UNION ALL
            SELECT currency, entity FROM source_row WHERE period = ?
        ) GROUP BY ALL
        """,
        [ctx.period],
    ).fetchall()
    return {str(c): tuple(entities) for c, entities in rows}


def translated_tb(ctx: CheckContext) -> CheckResult:
    """Every entity's translated trial balance sums to zero after the CTA."""
    if not is_consolidated(ctx):
        return not_consolidated("translated_tb", ctx)
    rows = ctx.con.execute(
        """
        SELECT entity, sum(amount_group) FROM translated_balance WHERE period = ?
        GROUP BY entity HAVING sum(amount_group) <> 0 ORDER BY entity
        """,
        [ctx.period],
    ).fetchall()
    if not rows:
        return CheckResult("translated_tb", "pass", "every entity's translated TB sums to zero")
    off = [Finding(f"{e} {total}", (e,)) for e, total in rows]
    return failed("translated_tb", off, "translated TB out of balance: ")


def ic_matched(ctx: CheckContext) -> CheckResult:
    """Every pair's remainder on an ic_difference plug account (a one-sided
    balance included) is within the intercompany tolerance. A pair held by
    any node is held by the group, and its remainder is the same at every
    node, so the group's pairs are all the pairs."""
    if not is_consolidated(ctx):
        return not_consolidated("ic_matched", ctx)
    tolerance = ctx.settings.ic_tolerance
    nodes = consolidation_nodes(ctx.con, ctx.period)
    pairs = intercompany_pairs(ctx.con, ctx.settings, ctx.period, nodes[0]) if nodes else []
    checked = [p for p in pairs if p.checked]
    failures = [
        Finding(
            f"{p.entity}/{p.partner} on {p.plug_account}: difference {p.difference} "
            f"({p.entity} {p.entity_side}, {p.partner} {p.partner_side})",
            (p.entity, p.partner),
        )
        for p in checked
        if not p.within_tolerance
    ]
    if not failures:
        return CheckResult(
            "ic_matched", "pass", f"{len(checked)} pair(s) within tolerance {tolerance}"
        )
    return failed("ic_matched", failures, f"{len(failures)} pair(s) beyond tolerance {tolerance}: ")


def consolidated_bs(ctx: CheckContext) -> CheckResult:
    """At every node, assets = liabilities + equity (NCI included) + the
    current-year result, i.e. the node's trial balance (members' translated
    balances plus the node's entries) sums to zero."""
    if not is_consolidated(ctx):
        return not_consolidated("consolidated_bs", ctx)
    rows = ctx.con.execute(
        """
        WITH node_amount AS (
            SELECT m.node, t.amount_group
            FROM translated_balance t
            JOIN node_member m ON m.period = t.period AND m.entity = t.entity
            WHERE t.period = $period
            UNION ALL
            SELECT node, amount_group FROM consolidation_entry WHERE period = $period
        )
        SELECT node, sum(amount_group) FROM node_amount
        GROUP BY node HAVING sum(amount_group) <> 0 ORDER BY node
        """,
        {"period": ctx.period},
    ).fetchall()
    if not rows:
        count = len(consolidation_nodes(ctx.con, ctx.period))
        return CheckResult("consolidated_bs", "pass", f"{count} node(s) balance")
    off = [Finding(f"{node} {total}", (node,)) for node, total in rows]
    return failed("consolidated_bs", off, "node TB out of balance: ")


CHECKS: list[Check] = [fx_rates, translated_tb, ic_matched, consolidated_bs]

"""Checks of the management stage (SPEC section 9)."""

from __future__ import annotations

from decimal import Decimal

from closekit.checks.base import Check, CheckContext, CheckResult, Finding
from closekit.ledger import PNL_TYPES, Basis

_SHOWN = 5  # differing accounts named in the detail


def _vertical_by_account(ctx: CheckContext) -> dict[str, tuple[Decimal, Decimal]]:
    """The management view's group P&L per account: (month, YTD); allocation
    postings net to zero on their account."""
    rows = ctx.con.execute(
        "SELECT account, sum(month_amount), sum(ytd_amount) FROM management_line "
        "WHERE period = ? GROUP BY account",
        [ctx.period],
    ).fetchall()
    return {account: (month, ytd) for account, month, ytd in rows}


def vertical_horizontal(ctx: CheckContext) -> CheckResult:
    """The vertical total (business units + Unallocated + Unassigned +
    Eliminations) equals the group's consolidated P&L before NCI, account by
    account, for the month and the year to date."""
    from closekit.consolidation import node_trial_balance
    from closekit.master.tree import top_entity

    name = "vertical_horizontal"
    managed = ctx.con.execute(
        "SELECT managed_at IS NOT NULL FROM period_status WHERE period = ?", [ctx.period]
    ).fetchone()
    if not managed or not managed[0]:
        text = f"the management view of {ctx.period} is not built"
        return CheckResult(name, "fail", text, (Finding(text),))

    vertical = _vertical_by_account(ctx)
    top = top_entity(ctx.con)
    nci_profit = ctx.settings.accounts.nci_profit
    horizontal: dict[str, list[Decimal]] = {}
    bases: tuple[Basis, ...] = ("period", "ytd")
    for index, basis in enumerate(bases):
        for tb in node_trial_balance(ctx.con, ctx.settings, ctx.period, top, basis):
            if tb.type in PNL_TYPES and tb.account != nci_profit:
                horizontal.setdefault(tb.account, [Decimal(0), Decimal(0)])[index] = tb.amount

    zero = (Decimal(0), Decimal(0))
    differing = sorted(
        account
        for account in {*vertical, *horizontal}
        if tuple(vertical.get(account, zero)) != tuple(horizontal.get(account, zero))
    )
    # Presented as profit (credit positive), as on the income statement.
    v_month, v_ytd = (-sum((v[i] for v in vertical.values()), Decimal(0)) for i in (0, 1))
    h_month, h_ytd = (-sum((h[i] for h in horizontal.values()), Decimal(0)) for i in (0, 1))
    figures = (
        f"group profit before NCI: management view {v_ytd:.2f} YTD ({v_month:.2f} month), "
        f"consolidated {h_ytd:.2f} YTD ({h_month:.2f} month)"
    )
    if not differing:
        return CheckResult(name, "pass", figures)
    # The group's profit by account: findings about the group as a whole.
    off = [
        Finding(
            f"{a}: {vertical.get(a, zero)[1]:.2f} vs {horizontal.get(a, zero)[1]:.2f} YTD, "
            f"{vertical.get(a, zero)[0]:.2f} vs {horizontal.get(a, zero)[0]:.2f} month"
        )
        for a in differing
    ]
    accounts = "; ".join(f.text for f in off[:_SHOWN])
    more = f" and {len(differing) - _SHOWN} more" if len(differing) > _SHOWN else ""
    return CheckResult(name, "fail", f"{figures}; accounts differ: {accounts}{more}", tuple(off))


CHECKS: list[Check] = [vertical_horizontal]

"""The `structure` check (SPEC 20): the period's events have what they need.

fail: an acquisition without consideration (its holder's investment in the
entity did not move), or an event whose rule this version does not apply.
warn: a bargain purchase (IFRS 3.36 asks for a reassessment), a migration
that does not add up, negative goodwill kept from the first period.
"""

from __future__ import annotations

from closekit.checks.base import Check, CheckContext, CheckResult, Finding, failed
from closekit.checks.consolidation import is_consolidated, not_consolidated
from closekit.consolidation.events import event_warnings
from closekit.consolidation.structure import Event, period_structure

# Events whose IFRS entries closekit does not write: the period is a draft
# until they are entered (as top-side journals) and the rule exists.
_NOT_APPLIED = {
    "equity_change": (
        "SPEC 16.2 (IAS 28.22, an associate passing to another group holder with a "
        "change of holding)"
    ),
}


def _not_applied(e: Event) -> bool:
    # a change of an associate's holding by the same holder, and its transfer
    # to another group holder at the same holding, are applied
    # (associate_change.py); a transfer that also changes the holding is not
    return (
        e.kind in _NOT_APPLIED
        and e.before.parent != e.after.parent
        and e.before.ownership != e.after.ownership
    )


def structure(ctx: CheckContext) -> CheckResult:
    if not is_consolidated(ctx):
        return not_consolidated("structure", ctx)
    failures = [
        Finding(
            f"{holder} acquired {entity} without consideration (no movement of its "
            f"investment with partner {entity})",
            (entity, holder),
        )
        for entity, holder in ctx.con.execute(
            "SELECT entity, holder FROM consolidation_event WHERE period = ? "
            "AND kind = 'acquisition' AND sub_group_of = '' AND consideration = 0 "
            "ORDER BY entity",
            [ctx.period],
        ).fetchall()
    ]
    events = period_structure(ctx.settings, ctx.con, ctx.period).events
    failures += [
        Finding(
            f"{e.kind} of {e.entity} ({e.before.ownership.normalize():f}% -> "
            f"{e.after.ownership.normalize():f}%): "
            f"{_NOT_APPLIED[e.kind]} is not applied by this version; enter its entries "
            "as top-side journals",
            (e.entity, e.before.parent, e.after.parent),
        )
        for e in events
        if _not_applied(e)
    ]
    if failures:
        return failed("structure", failures)
    # The warnings are sentences about the period's events, not keyed to an
    # entity: the group's (a node's workbook points to group.xlsx for them).
    warnings = event_warnings(ctx.con, ctx.settings, ctx.period)
    if warnings:
        return CheckResult("structure", "warn", "; ".join(warnings), tuple(map(Finding, warnings)))
    kinds = sorted(f"{e.kind} of {e.entity}" for e in events)
    return CheckResult(
        "structure", "pass", ", ".join(kinds) + " measured" if kinds else "no events"
    )


CHECKS: list[Check] = [structure]

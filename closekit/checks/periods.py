"""Checks about the sequence of periods (SPEC section 9)."""

from __future__ import annotations

from closekit.checks.base import Check, CheckContext, CheckResult, Finding
from closekit.periods import period_folders, previous


def prior_period_locked(ctx: CheckContext) -> CheckResult:
    """Warn when the previous period (with a folder) is not locked yet."""
    prior = previous(ctx.period)
    if prior not in period_folders(ctx.settings.ledgers_dir):
        return CheckResult("prior_period_locked", "pass", f"no prior period {prior}")
    row = ctx.con.execute(
        "SELECT locked_at FROM period_status WHERE period = ?", [prior]
    ).fetchone()
    if row is None or row[0] is None:
        text = f"prior period {prior} is not locked"
        return CheckResult("prior_period_locked", "warn", text, (Finding(text),))
    return CheckResult("prior_period_locked", "pass", f"prior period {prior} is locked")


CHECKS: list[Check] = [prior_period_locked]

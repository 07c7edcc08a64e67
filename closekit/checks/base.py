"""Check records and the runner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb

from closekit.workspace import Settings

Status = Literal["pass", "warn", "fail"]


@dataclass(frozen=True)
class CheckContext:
    settings: Settings
    con: duckdb.DuckDBPyConnection
    period: str


@dataclass(frozen=True)
class Finding:
    """One thing a check found wrong: ``text`` as its detail names it, and
    the entities or consolidation nodes it is ``about`` (none: the group as a
    whole, e.g. a missing rate of the period or the management view). A node's
    workbook shows the findings about its subtree (docs/reports.md)."""

    text: str
    about: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    """check: SPEC check id; status: pass | warn | fail; detail: one line for
    people (a fail or warn lists at most a few findings, then counts them);
    findings: every finding of a fail or warn, each with what it is about."""

    check: str
    status: Status
    detail: str
    findings: tuple[Finding, ...] = ()


Check = Callable[[CheckContext], CheckResult]


def failed(
    check: str, findings: Sequence[Finding], head: str = "", shown: int | None = None
) -> CheckResult:
    """A failed check whose detail is ``head`` and its findings: all of them,
    or the first ``shown`` and how many more."""
    texts = [f.text for f in findings]
    more = ""
    if shown is not None and len(texts) > shown:
        texts, more = texts[:shown], f"; and {len(texts) - shown} more"
    return CheckResult(check, "fail", head + "; ".join(texts) + more, tuple(findings))


def all_checks() -> list[Check]:
    # Imported here so that each area's module may import from this one.
    from closekit.checks import (
        consolidation,
        management,
        periods,
        posting,
        statements,
        structure,
    )

    return [
        *posting.CHECKS,
        *consolidation.CHECKS,
        *structure.CHECKS,
        *statements.CHECKS,
        *management.CHECKS,
        *periods.CHECKS,
    ]


def run_checks(ctx: CheckContext) -> list[CheckResult]:
    """Run every check in SPEC order; does not record them (see :func:`record`)."""
    order = [
        "rows_accounted",
        "entries_balanced",
        "subledger_gl",
        "fx_rates",
        "translated_tb",
        "ic_matched",
        "consolidated_bs",
        "structure",
        "flows_tie",
        "equity_statement",
        "cash_flow",
        "vertical_horizontal",
        "prior_period_locked",
    ]
    results = [check(ctx) for check in all_checks()]
    return sorted(results, key=lambda r: order.index(r.check) if r.check in order else len(order))


def record(ctx: CheckContext, results: list[CheckResult]) -> None:
    """Replace the period's recorded check results and their findings."""
    ctx.con.execute("DELETE FROM check_result WHERE period = ?", [ctx.period])
    ctx.con.execute("DELETE FROM check_finding WHERE period = ?", [ctx.period])
    for seq, r in enumerate(results):
        ctx.con.execute(
            "INSERT INTO check_result VALUES (?, ?, ?, ?, ?)",
            [ctx.period, seq, r.check, r.status, r.detail],
        )
    findings = [
        [ctx.period, seq, n, list(f.about), f.text]
        for seq, r in enumerate(results)
        for n, f in enumerate(r.findings)
    ]
    if findings:
        ctx.con.executemany("INSERT INTO check_finding VALUES (?, ?, ?, ?, ?)", findings)

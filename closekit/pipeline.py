"""The close: load, post, consolidate, manage, check, report — one period.

Each step is a library function that writes its own tables; this module only
runs them in order, times them, and collects what they return.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from closekit import db, status
from closekit.checks import CheckContext, CheckResult, record, run_checks
from closekit.consolidation import ConsolidationReport, consolidate_period
from closekit.load import LoadReport, load_period
from closekit.manage import ManagementReport, manage_period
from closekit.post import PostReport, post_period
from closekit.report import ReportSummary, write_reports
from closekit.workspace import Settings

Progress = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class CloseResult:
    """What one close produced.

    load: files read, accepted and rejected, with every error.
    posting: journal lines per entity and module, each entity's TB total.
    consolidation: nodes, the group's key figures, IC exceptions, warnings.
    management: allocations and their warnings.
    checks: the SPEC section 9 results, in SPEC order.
    reports: the files written to out/PERIOD.
    seconds: wall time per step, in the order the steps ran.
    """

    period: str
    load: LoadReport
    posting: PostReport
    consolidation: ConsolidationReport
    management: ManagementReport
    checks: tuple[CheckResult, ...]
    reports: ReportSummary
    seconds: dict[str, float]

    @property
    def clean(self) -> bool:
        """No rejected row and no failed check (warnings allowed)."""
        return self.load.clean and all(c.status != "fail" for c in self.checks)


def check_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> list[CheckResult]:
    """Run and record the checks of a period whose management step ran."""
    status.require_step(con, period, "managed")
    ctx = CheckContext(settings, con, period)
    results = run_checks(ctx)
    with db.transaction(con):
        record(ctx, results)
        status.mark(con, period, "checked")
    return results


def close_period(
    settings: Settings, period: str, progress: Progress | None = None, full: bool = False
) -> CloseResult:
    """Load, post, consolidate, manage, check and report ``period``.

    Posting rebuilds only the entities whose rows changed since the period
    was last posted, unless ``full``.

    Rejected rows do not stop the close: the accepted rows are posted, the
    ``rows_accounted`` check fails and every report says DRAFT.
    """
    say = progress or (lambda _message: None)
    seconds: dict[str, float] = {}

    def timed(name: str, step: Callable[[], T]) -> T:
        say(f"{name} {period} ...")
        start = time.perf_counter()
        outcome = step()
        seconds[name] = round(time.perf_counter() - start, 3)
        return outcome

    con = db.connect(settings)
    try:
        loaded = timed("load", lambda: load_period(settings, con, period))
        posted = timed("post", lambda: post_period(settings, con, period, full))
        consolidated = timed("consolidate", lambda: consolidate_period(settings, con, period))
        managed = timed("management", lambda: manage_period(settings, con, period))
        checks = timed("checks", lambda: check_period(settings, con, period))
        reports = timed("reports", lambda: write_reports(settings, con, period))
    finally:
        con.close()
    return CloseResult(
        period, loaded, posted, consolidated, managed, tuple(checks), reports, seconds
    )

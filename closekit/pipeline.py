"""The close and its steps, for one period or a range of periods in one process.

The steps are load, post, consolidate, manage, check and report; ``close``
runs them in order. Each step is a library function that writes its own
tables; this module runs them, checks first what every command checks first
(the period has a folder, so that an unknown period is named as such rather
than as a missing step), times them and shows their progress
(:mod:`closekit.progress`).

A range (``2026-01..2026-12``) is processed in period order over one
database connection, and stops at the first refusal, naming the period
(:class:`StoppedAt`); the periods before it stay done. A range's load runs
ahead (:func:`load_ahead`): every period's files are staged, validated and
written in one pass before the first period is posted, as many months cost
barely more than one; when a period of the range would refuse to load, the
range loads period by period instead and meets the refusal in its turn.
So does a range's post (:func:`post_ahead`): the periods' journals in one
transaction, one append and one checkpoint; a close of a range posts ahead
too, once its loads are done and the periods before it closed. A close
stopping at a later step (a period that does not consolidate) leaves the
periods after it loaded and posted, not closed: a load or a post changes no
other period's state, and the next run takes them from there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from closekit import db, progress, status
from closekit.errors import ClosekitError
from closekit.periods import parse_period, period_folders
from closekit.workspace import Settings

# Each step's module is imported when the step runs: a command pays only for
# the steps it runs (``closekit tb`` imports no report writer).
if TYPE_CHECKING:
    import duckdb

    from closekit.checks import CheckResult
    from closekit.consolidation import ConsolidationReport
    from closekit.load import LoadReport
    from closekit.manage import ManagementReport
    from closekit.post import PostReport
    from closekit.report import ReportSummary

T = TypeVar("T")
Step = Callable[[Settings, "duckdb.DuckDBPyConnection", str], T]
# What a range does before its first period: the results of the periods it
# did then (by period), which the range then hands on without running them.
Ahead = Callable[[Settings, "duckdb.DuckDBPyConnection", Sequence[str]], Mapping[str, T]]
# Which periods of a range close writes out/PERIOD for.
Reports = Literal["all", "last", "none"]
REPORTS: tuple[Reports, ...] = ("all", "last", "none")


class StoppedAt(ClosekitError):
    """A range stopped at ``period``, refused for ``cause``; ``done`` holds the
    results of the periods before it, which stay done."""

    def __init__(
        self, command: str, period: str, cause: ClosekitError, done: Sequence[object]
    ) -> None:
        self.command, self.period, self.cause, self.done = command, period, cause, tuple(done)
        super().__init__(f"{command} stopped at {period}: {cause.lines()[0]}")

    def lines(self) -> list[str]:
        return [str(self), *self.cause.lines()[1:]]


# ---- periods --------------------------------------------------------------


def periods_between(settings: Settings, first: str, last: str) -> list[str]:
    """The periods from ``first`` to ``last`` that have a folder, in order.
    Both ends must have one (a month between without a folder has no
    movements and is skipped, SPEC section 1)."""
    for end in (first, last):
        status.require_period_folder(settings, end)
    return [p for p in period_folders(settings.ledgers_dir) if first <= p <= last]


# ---- one step, one period ---------------------------------------------------


def _source_rows(con: duckdb.DuckDBPyConnection, period: str) -> int | None:
    """Accepted rows of the period, for the progress of posting (only counted
    when progress is shown)."""
    if not progress.active():
        return None
    row = con.execute("SELECT count(*) FROM source_row WHERE period = ?", [period]).fetchone()
    return int(row[0]) if row else None


def load(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> LoadReport:
    """Master data and ``ledgers/PERIOD`` (SPEC section 5)."""
    status.require_period_folder(settings, period)
    with progress.step("load", period, con):
        from closekit.load import load_period

        return load_period(settings, con, period)


def load_ahead(
    settings: Settings, con: duckdb.DuckDBPyConnection, periods: Sequence[str]
) -> dict[str, LoadReport]:
    """Load every period of a range in one pass (:func:`closekit.load.load_periods`),
    their reports by period; nothing for a single period, and nothing when a
    period of the range refuses (locked, invalid master data): loading period
    by period then stops at that period with the periods before it done.

    A later step's refusal in a range (a close stopping at a period that does
    not post) leaves the periods after it loaded, which a range loading
    month by month would not have loaded yet: a load changes no other
    period's state, so they are simply loaded when the range runs again.
    """
    if len(periods) < 2:
        return {}
    from closekit.load import load_periods

    try:
        with progress.step("load", f"{periods[0]}..{periods[-1]}", con):
            return {r.period: r for r in load_periods(settings, con, periods)}
    except ClosekitError:
        return {}


def post(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, full: bool = False
) -> PostReport:
    """The period's loaded rows to the journal (SPEC section 6); ``full``
    rebuilds every entity, not only those whose rows changed."""
    status.require_period_folder(settings, period)
    with progress.step("post", period, con, _source_rows(con, period)):
        from closekit.post import post_period

        return post_period(settings, con, period, full)


def post_ahead(
    settings: Settings, con: duckdb.DuckDBPyConnection, periods: Sequence[str], full: bool = False
) -> dict[str, PostReport]:
    """Post every period of a range in one pass (:func:`closekit.post.post_periods`),
    their reports by period; nothing for a single period, and nothing when
    the range refuses (a period locked or not loaded, a missing rate): its
    transaction is rolled back, and posting period by period then stops at
    the period that refuses, the periods before it done."""
    if len(periods) < 2:
        return {}
    from closekit.post import post_periods

    try:
        with progress.step("post", f"{periods[0]}..{periods[-1]}", con):
            return {r.period: r for r in post_periods(settings, con, periods, full)}
    except ClosekitError:
        return {}


def consolidate(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> ConsolidationReport:
    """Translation, eliminations and NCI at every node (SPEC section 7)."""
    status.require_period_folder(settings, period)
    with progress.step("consolidate", period, con):
        from closekit.consolidation import consolidate_period

        return consolidate_period(settings, con, period)


def manage(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> ManagementReport:
    """The management view and allocations (SPEC section 8)."""
    status.require_period_folder(settings, period)
    with progress.step("manage", period, con):
        from closekit.manage import manage_period

        return manage_period(settings, con, period)


@dataclass(frozen=True)
class Checked:
    """A period's checks as run and recorded, in SPEC order."""

    period: str
    results: tuple[CheckResult, ...]

    @property
    def failed(self) -> bool:
        return any(r.status == "fail" for r in self.results)


def check(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> Checked:
    """Run and record the checks of a managed period (SPEC section 9).

    A check run that records the results already recorded leaves the
    period's report valid: ``reported`` means that out/PERIOD shows the
    period as it stands, and a check changes nothing else.
    """
    status.require_period_folder(settings, period)
    status.require_step(con, period, "managed")
    from closekit import snapshot
    from closekit.checks import CheckContext, record, run_checks

    with progress.step("check", period, con):
        ctx = CheckContext(settings, con, period)
        before = con.execute(
            "SELECT check_id, status, detail FROM check_result WHERE period = ? ORDER BY seq",
            [period],
        ).fetchall()
        with snapshot.locked_master(con, period):  # a locked period: its own master data
            results = run_checks(ctx)
        unchanged = before == [(r.check, r.status, r.detail) for r in results]
        with db.transaction(con):
            record(ctx, results)
            status.mark(con, period, "checked", keep_later=unchanged)
    return Checked(period, tuple(results))


def report(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> ReportSummary:
    """out/PERIOD: workbooks, audit site, journal.parquet, manifest (SPEC section 10)."""
    status.require_period_folder(settings, period)
    with progress.step("report", period, con):
        from closekit.report import write_reports

        return write_reports(settings, con, period)


def check_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> list[CheckResult]:
    """:func:`check`'s results as a list (the one-period API)."""
    return list(check(settings, con, period).results)


# ---- ranges -----------------------------------------------------------------


def run_range(
    settings: Settings,
    periods: Sequence[str],
    command: str,
    step: Step[T],
    on_result: Callable[[T], None] | None = None,
    ahead: Ahead[T] | None = None,
) -> list[T]:
    """Run ``step`` for each period in order over one connection; hand each
    result to ``on_result`` as it is done. Stops at the first refusal: a
    single period's refusal as it is, a range's as :class:`StoppedAt`.

    ``ahead`` runs first, over all the periods: a period it returns a result
    for is not run again (:func:`load_ahead` for the load of a range)."""
    results: list[T] = []
    con = db.connect(settings)
    try:
        done = ahead(settings, con, periods) if ahead is not None else {}
        for period in periods:
            try:
                result = done[period] if period in done else step(settings, con, period)
            except ClosekitError as exc:
                if len(periods) == 1:
                    raise
                raise StoppedAt(command, period, exc, results) from exc
            results.append(result)
            if on_result is not None:
                on_result(result)
    finally:
        con.close()
    return results


@dataclass(frozen=True)
class CloseResult:
    """What one period's close produced.

    load: files read, accepted and rejected, with every error.
    posting: journal lines per entity and module, each entity's TB total.
    consolidation: nodes, the group's key figures, IC exceptions, warnings.
    management: allocations and their warnings.
    checks: the SPEC section 9 results, in SPEC order.
    draft: a check failed (the reports, when written, say DRAFT).
    reports: the files written to out/PERIOD, or None when the close of a
        range was told not to write this period's (``--reports``).
    seconds: wall time per step, in the order the steps ran.
    """

    period: str
    load: LoadReport
    posting: PostReport
    consolidation: ConsolidationReport
    management: ManagementReport
    checks: tuple[CheckResult, ...]
    draft: bool
    reports: ReportSummary | None
    seconds: dict[str, float]

    @property
    def clean(self) -> bool:
        """No rejected row and no failed check (warnings allowed)."""
        return self.load.clean and all(c.status != "fail" for c in self.checks)


def close(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    full: bool = False,
    write: bool = True,
    loaded: LoadReport | None = None,
    posted: PostReport | None = None,
) -> CloseResult:
    """Load, post, consolidate, manage, check and (when ``write``) report
    ``period``, whose earlier periods must be closed; ``loaded`` and
    ``posted``: the period was loaded or posted already, with this report (a
    range's :func:`load_ahead` and :func:`post_ahead`).

    Posting rebuilds only the entities whose rows changed since the period
    was last posted, unless ``full``. Rejected rows do not stop the close:
    the accepted rows are posted, the ``rows_accounted`` check fails and
    every report says DRAFT.
    """
    status.require_period_folder(settings, period)
    status.require_earlier_closed(settings, con, period)
    seconds: dict[str, float] = {}

    def timed(name: str, run: Callable[[], T]) -> T:
        start = time.perf_counter()
        outcome = run()
        seconds[name] = round(time.perf_counter() - start, 3)
        return outcome

    if loaded is None:
        loaded = timed("load", lambda: load(settings, con, period))
    if posted is None:
        posted = timed("post", lambda: post(settings, con, period, full))
    consolidated = timed("consolidate", lambda: consolidate(settings, con, period))
    managed = timed("management", lambda: manage(settings, con, period))
    checks = timed("checks", lambda: check(settings, con, period).results)
    reports = timed("reports", lambda: report(settings, con, period)) if write else None
    from closekit.report import is_draft

    return CloseResult(
        period,
        loaded,
        posted,
        consolidated,
        managed,
        checks,
        is_draft(con, period),
        reports,
        seconds,
    )


def close_range(
    settings: Settings,
    periods: Sequence[str],
    full: bool = False,
    reports: Reports = "all",
    on_result: Callable[[CloseResult], None] | None = None,
) -> list[CloseResult]:
    """Close ``periods`` in order in one process (see :func:`close`), writing
    out/PERIOD for every period (``all``), the last one only (``last``: a
    history closed in one run, whose intermediate months need no pack) or
    none. Stops at the first refusal, naming the period."""
    if reports not in REPORTS:
        raise ValueError(f"reports must be one of {REPORTS}, not {reports!r}")
    last = periods[-1] if periods else None
    loaded: dict[str, LoadReport] = {}
    posted: dict[str, PostReport] = {}

    def ahead(
        s: Settings, con: duckdb.DuckDBPyConnection, chosen: Sequence[str]
    ) -> dict[str, CloseResult]:
        loaded.update(load_ahead(s, con, chosen))
        if loaded and _closed_before(s, con, chosen[0]):
            posted.update(post_ahead(s, con, chosen, full))
        return {}

    def one(s: Settings, con: duckdb.DuckDBPyConnection, period: str) -> CloseResult:
        write = reports == "all" or (reports == "last" and period == last)
        return close(s, con, period, full, write, loaded.get(period), posted.get(period))

    return run_range(settings, periods, "close", one, on_result, ahead)


def _closed_before(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> bool:
    """Whether every period before ``period`` is closed: a range posts ahead
    only then, so that a close refused at its first period posts nothing."""
    try:
        status.require_earlier_closed(settings, con, period)
    except ClosekitError:
        return False
    return True


def close_period(settings: Settings, period: str, full: bool = False) -> CloseResult:
    """Close one period (see :func:`close`) over a connection of its own."""
    (result,) = close_range(settings, [parse_period(period)], full)
    return result

"""`closekit check` and `closekit close`, for a period or a range FIRST..LAST."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from closekit import pipeline
from closekit.cli.base import (
    COMMANDS,
    EXIT_NOT_CLEAN,
    EXIT_OK,
    Context,
    echo_json,
    echo_table,
    format_option,
    handles_errors,
    main,
    periods_argument,
    progress_shown,
    run_steps,
    terminal_width,
)
from closekit.cli.consolidation_commands import echo_report
from closekit.cli.ledger_commands import echo_post_report, full_option
from closekit.cli.load_commands import echo_load_report, load_report_json
from closekit.pipeline import REPORTS, Checked, CloseResult, Reports, periods_between
from closekit.workspace import Settings

if TYPE_CHECKING:
    from closekit.checks import CheckResult

__all__ = ["main"]

# Lines of a check's detail in the table; the rest is summarised with a
# pointer to where it is in full.
DETAIL_LINES = 4


def _summarised(result: CheckResult, period: str, width: int) -> str:
    """The detail as it fits in DETAIL_LINES lines of ``width``: a long list
    (every IC pair beyond tolerance, every file with rejects) is cut after
    the last item that fits, with where to read it whole."""
    if len(textwrap.wrap(result.detail, width)) <= DETAIL_LINES:
        return result.detail
    if result.check == "ic_matched" and "ic" in COMMANDS:
        where = f"`closekit ic {period}` lists every pair"
    else:
        where = f"in full: `closekit check {period} --format json`, html/index.html#checks"
    tail = f"; ... ({where})"
    room = DETAIL_LINES * width - len(tail) - DETAIL_LINES * 2  # wrapping loses a little
    head = result.detail[:room]
    cut = head.rfind("; ")
    return (head[:cut] if cut > 0 else head) + tail


def echo_checks(results: Sequence[CheckResult], period: str) -> None:
    """The check table; the detail column wraps to the terminal's width."""
    indent = max(len(r.check) for r in results) + 2 + len("status") + 2 if results else 0
    width = max(terminal_width() - 1 - indent, 30)
    echo_table(
        ["check", "status", "detail"],
        [[r.check, r.status, _summarised(r, period, width)] for r in results],
        wrap=2,
    )


def checks_json(results: Sequence[CheckResult]) -> list[dict[str, str]]:
    return [asdict(r) for r in results]


@main.command()
@periods_argument
@format_option("table", "json")
@click.pass_obj
@handles_errors
def check(obj: Context, periods: tuple[str, str], fmt: str) -> int:
    """Run the checks of PERIOD (or of each period of FIRST..LAST) and record
    them (exit 1 if one fails)."""
    single = periods[0] == periods[1]

    def show(checked: Checked) -> None:
        if fmt == "table":
            if not single:
                click.echo(f"{checked.period}:")
            echo_checks(checked.results, checked.period)

    done = run_steps(obj.settings(), periods, "check", pipeline.check, show)
    if fmt == "json":
        shown = [{"period": c.period, "checks": checks_json(c.results)} for c in done]
        echo_json(shown[0]["checks"] if single else shown)
    return EXIT_NOT_CLEAN if any(c.failed for c in done) else EXIT_OK


def close_json(settings: Settings, result: CloseResult) -> dict[str, Any]:
    """SPEC section 11: the load's files, the checks and the output paths."""
    figures = result.consolidation.figures
    return {
        "period": result.period,
        "load": load_report_json(result.load),
        "checks": checks_json(result.checks),
        "key_figures": {
            "group": result.consolidation.group,
            "currency": settings.currency,
            "total_assets": figures.total_assets,
            "profit": figures.profit,
            "attributable_to_owners": figures.owners,
            "attributable_to_nci": figures.nci,
        },
        "draft": result.draft,
        "outputs": [settings.relative(p) for p in result.reports.paths] if result.reports else [],
        "steps": result.seconds,
    }


def echo_close(settings: Settings, result: CloseResult) -> None:
    """One period's close in full: load, post, consolidation, checks, where
    the reports are."""
    echo_load_report(result.load)
    click.echo()
    echo_post_report(result.posting)
    click.echo()
    echo_report(result.consolidation, settings.currency)
    click.echo()
    echo_checks(result.checks, result.period)
    click.echo()
    steps = ", ".join(f"{name} {sec:.2f}s" for name, sec in result.seconds.items())
    click.echo(f"Closed {result.period} in {sum(result.seconds.values()):.2f}s ({steps}).")
    if result.reports is not None:
        click.echo(f"Reports: {result.reports.out_dir}")
        click.echo(f"Audit site: {result.reports.out_dir / 'html' / 'index.html'}")
    if result.draft or not result.clean:
        click.echo("DRAFT: rows were rejected or a check failed; see above.")


def echo_close_line(settings: Settings, result: CloseResult) -> None:
    """One period of a range: one line, then its failed or warned checks."""
    read = sum(f.read for f in result.load.files)
    rejected = sum(f.rejected for f in result.load.files)
    counts = {s: sum(c.status == s for c in result.checks) for s in ("pass", "warn", "fail")}
    checks = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    reports = settings.relative(result.reports.out_dir) if result.reports else "no reports"
    click.echo(
        f"{result.period}  {'DRAFT' if result.draft or not result.clean else 'clean':5}  "
        f"{read:,} rows ({rejected:,} rejected)  checks {checks}  "
        f"{sum(result.seconds.values()):.2f}s  {reports}"
    )
    for c in result.checks:
        if c.status != "pass":
            click.echo(f"  {c.check} {c.status}: {c.detail}")


@main.command()
@periods_argument
@format_option("table", "json")
@click.option(
    "--reports",
    type=click.Choice(REPORTS, case_sensitive=False),
    default="all",
    show_default=True,
    help="Which periods of a range get out/PERIOD: every one, the last, or none.",
)
@full_option
@click.pass_obj
@handles_errors
def close(obj: Context, periods: tuple[str, str], fmt: str, reports: Reports, full: bool) -> int:
    """Load, post, consolidate, manage, check and report PERIOD, or each period
    of FIRST..LAST in order (stopping at the first refusal).

    Exit 1 when rows were rejected or a check failed (the reports are still
    written, marked DRAFT).
    """
    single = periods[0] == periods[1]
    settings = obj.settings()

    def show(result: CloseResult) -> None:
        if fmt == "table":
            (echo_close if single else echo_close_line)(settings, result)
            for line in result.load.error_lines():
                click.echo(line, err=True)
        for warning in result.management.warnings:
            click.echo(f"Warning: {warning}", err=True)

    chosen = periods_between(settings, *periods)
    with progress_shown():
        results = pipeline.close_range(settings, chosen, full, reports, show)
    if fmt == "json":
        shown = [close_json(settings, r) for r in results]
        echo_json(shown[0] if single else shown)
    elif not single:
        seconds = sum(sum(r.seconds.values()) for r in results)
        click.echo(f"Closed {len(results)} period(s) {periods[0]}..{periods[1]} in {seconds:.2f}s.")
    return EXIT_OK if all(r.clean for r in results) else EXIT_NOT_CLEAN

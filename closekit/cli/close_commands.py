"""`closekit check` and `closekit close`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import click

from closekit import db
from closekit.checks import CheckResult
from closekit.cli.base import (
    EXIT_NOT_CLEAN,
    EXIT_OK,
    Context,
    echo_json,
    echo_table,
    format_option,
    handles_errors,
    is_terminal,
    main,
    period_argument,
)
from closekit.cli.consolidation_commands import echo_report
from closekit.cli.ledger_commands import echo_post_report, full_option
from closekit.cli.load_commands import echo_load_report, load_report_json
from closekit.pipeline import CloseResult, check_period, close_period
from closekit.workspace import Settings

__all__ = ["main"]


def echo_checks(results: Sequence[CheckResult]) -> None:
    echo_table(["check", "status", "detail"], [[r.check, r.status, r.detail] for r in results])


def checks_json(results: Sequence[CheckResult]) -> list[dict[str, str]]:
    return [asdict(r) for r in results]


def failed(results: Sequence[CheckResult]) -> bool:
    return any(r.status == "fail" for r in results)


@main.command()
@period_argument
@format_option("table", "json")
@click.pass_obj
@handles_errors
def check(obj: Context, period: str, fmt: str) -> int:
    """Run the checks of PERIOD and record them (exit 1 if one fails)."""
    settings = obj.settings()
    con = db.connect(settings)
    try:
        results = check_period(settings, con, period)
    finally:
        con.close()
    if fmt == "json":
        echo_json(checks_json(results))
    else:
        echo_checks(results)
    return EXIT_NOT_CLEAN if failed(results) else EXIT_OK


def close_json(settings: Settings, result: CloseResult) -> dict[str, Any]:
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
        "draft": result.reports.draft,
        "outputs": [settings.relative(p) for p in result.reports.paths],
        "steps": result.seconds,
    }


@main.command()
@period_argument
@format_option("table", "json")
@full_option
@click.pass_obj
@handles_errors
def close(obj: Context, period: str, fmt: str, full: bool) -> int:
    """Load, post, consolidate, manage, check and report PERIOD.

    Exit 1 when rows were rejected or a check failed (the reports are still
    written, marked DRAFT).
    """
    settings = obj.settings()
    progress = (lambda message: click.echo(message, err=True)) if is_terminal() else None
    result = close_period(settings, period, progress, full=full)
    if fmt == "json":
        echo_json(close_json(settings, result))
    else:
        echo_load_report(result.load)
        click.echo()
        echo_post_report(result.posting)
        click.echo()
        echo_report(result.consolidation, settings.currency)
        click.echo()
        echo_checks(result.checks)
        click.echo()
        steps = ", ".join(f"{name} {sec:.2f}s" for name, sec in result.seconds.items())
        click.echo(f"Closed {period} in {sum(result.seconds.values()):.2f}s ({steps}).")
        click.echo(f"Reports: {result.reports.out_dir}")
        click.echo(f"Audit site: {result.reports.out_dir / 'html' / 'index.html'}")
        if result.reports.draft or not result.clean:
            click.echo("DRAFT: rows were rejected or a check failed; see above.")
        for line in result.load.error_lines():
            click.echo(line, err=True)
    for warning in result.management.warnings:
        click.echo(f"Warning: {warning}", err=True)
    return EXIT_OK if result.clean else EXIT_NOT_CLEAN

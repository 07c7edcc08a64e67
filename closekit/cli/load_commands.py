"""`closekit load`, `lock`, `reopen` and `status` (SPEC section 11).

Thin commands over closekit.load: open the workspace database, call one
library function, print what it returns.
"""

from __future__ import annotations

from typing import Any

import click

from closekit import db, pipeline
from closekit.cli.base import (
    EXIT_NOT_CLEAN,
    EXIT_OK,
    Context,
    echo_json,
    echo_table,
    format_option,
    handles_errors,
    main,
    period_argument,
    periods_argument,
    run_steps,
)
from closekit.load import LoadReport, close_progress, lock_period, reopen_period
from closekit.periods import parse_period

__all__ = ["echo_load_report", "load_report_json", "main"]


def load_report_json(report: LoadReport) -> list[dict[str, Any]]:
    """SPEC section 11: the JSON of `closekit load`, a list of files."""
    return [f.as_json() for f in report.files]


def echo_load_report(report: LoadReport) -> None:
    """The load summary per file (read, accepted, rejected); warnings on stderr.
    Error lines are the caller's to print (on stderr)."""
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    echo_table(
        ["file", "module", "read", "accepted", "rejected"],
        [[f.file, f.module, f.read, f.accepted, f.rejected] for f in report.files],
        right=(2, 3, 4),
    )
    if not report.changed:
        click.echo("(nothing changed since the last load)")


@main.command()
@periods_argument
@format_option("table", "json")
@click.pass_obj
@handles_errors
def load(obj: Context, periods: tuple[str, str], fmt: str) -> int:
    """Load master data and ledgers/PERIOD (or each period of FIRST..LAST);
    exit 1 when any row is rejected."""
    single = periods[0] == periods[1]

    def show(report: LoadReport) -> None:
        if fmt == "json":
            for warning in report.warnings:
                click.echo(f"Warning: {warning}", err=True)
            return
        if not single:
            click.echo(f"{report.period}:")
        echo_load_report(report)
        for line in report.error_lines():
            click.echo(line, err=True)

    reports = run_steps(obj.settings(), periods, "load", pipeline.load, show)
    if fmt == "json":
        # SPEC section 11: a list of files (a range's files, period after period)
        echo_json([f for report in reports for f in load_report_json(report)])
    return EXIT_OK if all(r.clean for r in reports) else EXIT_NOT_CLEAN


@main.command()
@period_argument
@click.pass_obj
@handles_errors
def lock(obj: Context, period: str) -> int:
    """Lock PERIOD: loads, posting and consolidation are refused until reopened."""
    settings = obj.settings()
    con = db.connect(settings)
    try:
        lock_period(settings, con, period)
    finally:
        con.close()
    click.echo(f"{period} locked")
    return EXIT_OK


@main.command()
@period_argument
@click.option("--reason", required=True, help="Why the period is reopened (audit log).")
@click.pass_obj
@handles_errors
def reopen(obj: Context, period: str, reason: str) -> int:
    """Reopen a locked PERIOD; the reason is recorded in the audit log."""
    settings = obj.settings()
    con = db.connect(settings)
    try:
        reopen_period(settings, con, period, reason)
    finally:
        con.close()
    click.echo(f"{period} reopened")
    return EXIT_OK


@main.command("status")
@click.argument("period", required=False)
@format_option("table", "json")
@click.pass_obj
@handles_errors
def status_command(obj: Context, period: str | None, fmt: str) -> int:
    """Close progress per period and step, and rows loaded / lines posted per entity."""
    settings = obj.settings()
    chosen = parse_period(period) if period else None
    con = db.connect(settings, read_only=True)
    try:
        periods, entities = close_progress(settings, con, chosen)
    finally:
        con.close()
    if fmt == "json":
        echo_json(
            [
                {
                    "period": p.period,
                    "steps": dict(p.steps),
                    "locked_at": p.locked_at,
                    "stale_reason": p.stale_reason,
                    "entities": [
                        {
                            "entity": e.entity,
                            "rows_loaded": e.rows_loaded,
                            "lines_posted": e.lines_posted,
                        }
                        for e in entities
                        if e.period == p.period
                    ],
                }
                for p in periods
            ]
        )
        return EXIT_OK
    echo_table(
        ["period", *(s for s, _ in periods[0].steps)] if periods else ["period"],
        [[p.period, *(_when(at) for _, at in p.steps)] for p in periods],
    )
    notes = [f"{p.period}: locked since {p.locked_at[:19]}" for p in periods if p.locked_at]
    notes += [f"{p.period}: stale ({p.stale_reason})" for p in periods if p.stale_reason]
    for note in notes:
        click.echo(note)
    if entities:
        click.echo("")
        echo_table(
            ["period", "entity", "rows loaded", "lines posted"],
            [[e.period, e.entity, e.rows_loaded, e.lines_posted] for e in entities],
            right=(2, 3),
        )
    return EXIT_OK


def _when(at: str | None) -> str:
    return at[:19] if at else "-"

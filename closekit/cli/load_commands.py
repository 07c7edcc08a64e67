"""`closekit load`, `lock`, `reopen` and `status` (SPEC section 11).

Thin commands over closekit.load: open the workspace database, call one
library function, print what it returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from closekit import db
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
from closekit.periods import parse_period

# close_status re-hashes the inputs as load does (the readers): imported by
# the commands that use it.
if TYPE_CHECKING:
    from closekit.close_status import PeriodState
    from closekit.load import EntityProgress, LoadReport

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

    from closekit import pipeline  # imported here: status, lock and reopen run no step

    reports = run_steps(obj.settings(), periods, "load", pipeline.load, show, pipeline.load_ahead)
    if fmt == "json":
        # SPEC section 11: a list of files (a range's files, period after period)
        echo_json([f for report in reports for f in load_report_json(report)])
    return EXIT_OK if all(r.clean for r in reports) else EXIT_NOT_CLEAN


@main.command()
@period_argument
@click.option("--force", is_flag=True, help="Lock a period that is not closed clean.")
@click.option("--reason", help="Why it is locked anyway (with --force; audit log).")
@click.pass_obj
@handles_errors
def lock(obj: Context, period: str, force: bool, reason: str | None) -> int:
    """Lock PERIOD after a clean close: loads, posting and consolidation are
    refused until it is reopened. --force --reason TEXT locks it anyway,
    recording the reason and what was not clean in the audit log."""
    if force != (reason is not None):
        raise click.UsageError("--force and --reason TEXT go together")
    from closekit import close_status

    settings = obj.settings()
    con = db.connect(settings)
    try:
        close_status.lock(settings, con, period, reason if force else None)
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
        from closekit.load import reopen_period

        reopen_period(settings, con, period, reason)
    finally:
        con.close()
    click.echo(f"{period} reopened")
    return EXIT_OK


def _status_json(state: PeriodState, entities: list[EntityProgress]) -> dict[str, Any]:
    return {
        "period": state.period,
        "stage": state.stage,
        "result": state.result,
        "steps": dict(state.steps),
        "locked_at": state.locked_at,
        "stale_reason": state.stale_reason,
        "rows_read": state.rows_read,
        "rows_rejected": state.rows_rejected,
        "checks_failed": list(state.checks_failed),
        "checks_warned": list(state.checks_warned),
        "inputs_changed": list(state.inputs_changed),
        "held_by": state.held_by,
        "master_changed_since_lock": list(state.master_changed),
        "entities": [
            {"entity": e.entity, "rows_loaded": e.rows_loaded, "lines_posted": e.lines_posted}
            for e in entities
            if e.period == state.period
        ],
    }


def _echo_status(states: list[PeriodState]) -> None:
    """One line a period; why a period is stale or its inputs changed under it."""
    echo_table(
        ["period", "stage", "result", "rows", "rejected", "failed", "warned", "locked"],
        [
            [
                s.period,
                s.stage,
                s.result or "-",
                f"{s.rows_read:,}",
                f"{s.rows_rejected:,}",
                ", ".join(s.checks_failed) or "-",
                ", ".join(s.checks_warned) or "-",
                _when(s.locked_at)[:10],
            ]
            for s in states
        ],
        right=(3, 4),
    )
    for s in states:
        if s.held_by:
            click.echo(
                f"{s.period}: held by the lock of {s.held_by} (reopen {s.held_by} to change it)"
            )
        if s.master_changed:
            click.echo(
                f"{s.period}: reads the master data it was locked with"
                f" (changed since: {', '.join(s.master_changed)})"
            )
        if s.stale_reason:
            click.echo(f"{s.period}: stale ({s.stale_reason}); close it again")
        if s.inputs_changed:
            click.echo(f"{s.period}: inputs changed since the close: {'; '.join(s.inputs_changed)}")


@main.command("status")
@click.argument("period", required=False)
@format_option("table", "json")
@click.pass_obj
@handles_errors
def status_command(obj: Context, period: str | None, fmt: str) -> int:
    """Where each period's close stands: stage, DRAFT or final, rows rejected,
    checks failed or warned, locked, stale, inputs changed since the close.
    With PERIOD, also when each step ran and rows loaded / lines posted per
    entity."""
    settings = obj.settings()
    chosen = parse_period(period) if period else None
    from closekit import close_status

    con = db.connect(settings, read_only=True)
    try:
        states, entities = close_status.period_states(settings, con, chosen)
    finally:
        con.close()
    if fmt == "json":
        echo_json([_status_json(s, entities) for s in states])
        return EXIT_OK
    _echo_status(states)
    if chosen is None:
        return EXIT_OK
    for s in states:
        click.echo("")
        echo_table(["step", "ran at"], [[step, _when(at)] for step, at in s.steps])
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

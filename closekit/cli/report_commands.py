"""`closekit report PERIOD`, `closekit verify PATH` and `closekit log [PERIOD]`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from closekit import audit_log, db, pipeline
from closekit.audit_log import Recorded
from closekit.cli.base import (
    EXIT_NOT_CLEAN,
    EXIT_OK,
    Context,
    echo_json,
    echo_table,
    format_option,
    handles_errors,
    main,
    periods_argument,
    run_steps,
)
from closekit.errors import ClosekitError
from closekit.periods import parse_period

if TYPE_CHECKING:
    from closekit.report import ReportSummary

__all__ = ["main"]


def echo_summary(summary: ReportSummary) -> None:
    click.echo(f"Reports: {summary.out_dir} ({len(summary.paths)} files)")
    click.echo(f"Audit site: {summary.out_dir / 'html' / 'index.html'}")
    if summary.draft:
        click.echo("DRAFT: a check failed; see html/index.html#checks.")


@main.command()
@periods_argument
@click.pass_obj
@handles_errors
def report(obj: Context, periods: tuple[str, str]) -> int:
    """Write out/PERIOD (or out/ of each period of FIRST..LAST): workbooks, HTML
    audit site, journal.parquet, manifest.json (exit 1 when a check failed
    and the reports say DRAFT)."""
    summaries = run_steps(obj.settings(), periods, "report", pipeline.report, echo_summary)
    # Reports that say DRAFT ran, but their result is not clean (SPEC 11).
    return EXIT_NOT_CLEAN if any(s.draft for s in summaries) else EXIT_OK


def _recorded(obj: Context, path: Path) -> list[Recorded] | None:
    """The reports of the pack's period in the workspace's audit log; None
    (with a note on stderr) when there is no workspace to check against.

    The workspace is the one given (``-w``, ``CLOSEKIT_WORKSPACE``), or the
    one found from the current folder when the pack lies in its ``out/``:
    a copy elsewhere is checked against a workspace only when one is named.
    """
    from closekit.report.manifest import MANIFEST_FILE, period_of

    try:
        settings = obj.settings()
    except ClosekitError:
        settings = None
    named = obj.option is not None or bool(os.environ.get("CLOSEKIT_WORKSPACE"))
    pack = path.parent if path.name == MANIFEST_FILE else path
    if settings is None or not (
        named or pack.resolve().is_relative_to(settings.output_dir.resolve())
    ):
        click.echo(
            "Note: the manifest is checked against the pack only; run verify in the"
            " workspace that wrote it (or give -w) to check it against its audit log",
            err=True,
        )
        return None
    if not settings.database.exists():
        return []
    con = db.connect(settings, read_only=True)
    try:
        return audit_log.reports(con, period_of(path))
    finally:
        con.close()


def _echo_inputs_changed(obj: Context, path: Path) -> None:
    """Name the workspace's input files (ledgers of the periods the pack
    read, master data) that no longer match those its manifest lists."""
    from closekit.inputs import changed_since_manifest
    from closekit.report.manifest import MANIFEST_FILE

    pack = path.parent if path.name == MANIFEST_FILE else path
    manifest = json.loads((pack / MANIFEST_FILE).read_text(encoding="utf-8"))
    changed = changed_since_manifest(obj.settings(), manifest)
    if changed:
        # A note beside the result (stderr, as the note outside a workspace):
        # the pack is still what closekit wrote.
        click.echo(
            f"Note: the workspace's inputs no longer match this pack ({len(changed)} file(s)); "
            "closing again could give other figures:",
            err=True,
        )
        for line in changed:
            click.echo(f"  {line}", err=True)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_obj
@handles_errors
def verify(obj: Context, path: Path) -> int:
    """Re-hash out/PERIOD against its manifest.json, and the manifest against
    the SHA-256 its index page shows and, in the workspace, the one the audit
    log recorded at the last report (exit 1 on any difference). In the
    workspace, also name the input files that no longer match the manifest
    (the pack's result is unchanged: closing again could give other figures)."""
    recorded = _recorded(obj, path)
    from closekit.report.manifest import verify as verify_pack

    differences = verify_pack(path, recorded)
    for line in differences:
        click.echo(line)
    if differences:
        click.echo(f"{len(differences)} difference(s) from the manifest", err=True)
    else:
        anchored = " and the workspace's audit log" if recorded is not None else ""
        click.echo(f"OK: every output of {path} matches its manifest{anchored}")
    if recorded is not None:
        _echo_inputs_changed(obj, path)
    return EXIT_NOT_CLEAN if differences else EXIT_OK


@main.command("log")
@click.argument("period", required=False)
@format_option("table", "json")
@click.pass_obj
@handles_errors
def log(obj: Context, period: str | None, fmt: str) -> int:
    """The workspace's audit log, oldest first: loads, locks, reopens with
    their reasons, reports with the SHA-256 of their manifest.json (of PERIOD
    when given)."""
    if period is not None:
        period = parse_period(period)
    con = db.connect(obj.settings(), read_only=True)
    try:
        entries = audit_log.entries(con, period)
    finally:
        con.close()
    if fmt == "json":
        echo_json([e._asdict() for e in entries])
    else:
        echo_table(("logged_at", "period", "action", "detail"), entries, wrap=3)
    return EXIT_OK

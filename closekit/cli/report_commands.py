"""`closekit report PERIOD` and `closekit verify PATH`."""

from __future__ import annotations

from pathlib import Path

import click

from closekit import pipeline
from closekit.cli.base import (
    EXIT_NOT_CLEAN,
    EXIT_OK,
    Context,
    handles_errors,
    main,
    periods_argument,
    run_steps,
)
from closekit.report import ReportSummary
from closekit.report.manifest import verify as verify_pack

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


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@handles_errors
def verify(path: Path) -> int:
    """Re-hash out/PERIOD against its manifest.json (exit 1 on any difference)."""
    differences = verify_pack(path)
    for line in differences:
        click.echo(line)
    if differences:
        click.echo(f"{len(differences)} difference(s) from the manifest", err=True)
        return EXIT_NOT_CLEAN
    click.echo(f"OK: every output of {path} matches its manifest")
    return EXIT_OK

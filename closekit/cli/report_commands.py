"""`closekit report PERIOD` and `closekit verify PATH`."""

from __future__ import annotations

from pathlib import Path

import click

from closekit import db
from closekit.cli.base import (
    EXIT_NOT_CLEAN,
    EXIT_OK,
    Context,
    handles_errors,
    main,
    period_argument,
)
from closekit.report import write_reports
from closekit.report.manifest import verify as verify_pack

__all__ = ["main"]


@main.command()
@period_argument
@click.pass_obj
@handles_errors
def report(obj: Context, period: str) -> int:
    """Write out/PERIOD: workbooks, HTML audit site, journal.parquet, manifest.json
    (exit 1 when a check failed and the reports say DRAFT)."""
    settings = obj.settings()
    con = db.connect(settings)
    try:
        summary = write_reports(settings, con, period)
    finally:
        con.close()
    click.echo(f"Reports: {summary.out_dir} ({len(summary.paths)} files)")
    click.echo(f"Audit site: {summary.out_dir / 'html' / 'index.html'}")
    if summary.draft:
        # The reports ran but say DRAFT: a result that is not clean (SPEC 11).
        click.echo("DRAFT: a check failed; see html/index.html#checks.")
        return EXIT_NOT_CLEAN
    return EXIT_OK


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

"""Commands of the workspace area: ``init`` and ``sample`` (SPEC section 11)."""

from __future__ import annotations

from pathlib import Path

import click

from closekit.cli.base import handles_errors, main
from closekit.errors import ClosekitError
from closekit.workspace import SETTINGS_FILE

__all__ = ["main"]


def _refuse_existing(root: Path) -> None:
    if (root / SETTINGS_FILE).exists():
        raise ClosekitError(f"{root}: already a closekit workspace ({SETTINGS_FILE} exists)")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--sample", is_flag=True, help="Fill it with the Lotus Group demo (two periods).")
@handles_errors
def init(directory: Path, sample: bool) -> int:
    """Create a new workspace in DIRECTORY (with the demo group if --sample)."""
    from closekit.sample import write_blank, write_demo

    _refuse_existing(directory)
    files = write_demo(directory) if sample else write_blank(directory, directory.resolve().name)
    click.echo(f"Workspace {directory}: {len(files)} files written.")
    if sample:
        click.echo(f"Next: closekit -w {directory} close 2026-10")
    return 0

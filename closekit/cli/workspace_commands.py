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
    from closekit.sample.demo import write_blank, write_demo

    _refuse_existing(directory)
    files = write_demo(directory) if sample else write_blank(directory, directory.resolve().name)
    click.echo(f"Workspace {directory}: {len(files)} files written.")
    if sample:
        click.echo(f"Next: closekit -w {directory} close 2026-10")
    return 0


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--entities", default=44, show_default=True, help="Legal entities.")
@click.option("--business-units", default=15, show_default=True, help="Business units.")
@click.option("--profit-centers", default=179, show_default=True, help="Profit centers.")
@click.option("--cost-centers", default=1400, show_default=True, help="Cost centers.")
@click.option("--lines", default=250_000, show_default=True, help="Source rows per month (about).")
@click.option("--periods", default=2, show_default=True, help="Months, from 2026-10.")
@click.option("--seed", default=1, show_default=True, help="Same seed, same files.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"], case_sensitive=False),
    default="csv",
    show_default=True,
    help="Format of the ledger files.",
)
@click.option(
    "--events",
    is_flag=True,
    help="Group events in the second month: an acquisition, a step-up, a sale keeping an "
    "associate (master/ownership.csv and the holders' journals).",
)
@handles_errors
def sample(
    directory: Path,
    entities: int,
    business_units: int,
    profit_centers: int,
    cost_centers: int,
    lines: int,
    periods: int,
    seed: int,
    fmt: str,
    events: bool,
) -> int:
    """Write a synthetic workspace of any size into DIRECTORY."""
    from closekit.sample.synthetic import write_synthetic
    from closekit.sample.synthetic_master import Size

    size = Size(entities, business_units, profit_centers, cost_centers, lines, periods, seed)
    size.check()
    _refuse_existing(directory)
    result = write_synthetic(
        directory, size, "parquet" if fmt.lower() == "parquet" else "csv", events=events
    )
    total = sum(result.rows.values())
    click.echo(
        f"Workspace {directory}: {result.files} files, {total:,} source rows "
        f"({', '.join(f'{p}: {n:,}' for p, n in result.rows.items())})."
    )
    return 0

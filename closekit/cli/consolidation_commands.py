"""`closekit consolidate PERIOD` (SPEC section 11): translate, eliminate, NCI."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from closekit import pipeline
from closekit.cli.base import (
    EXIT_OK,
    Context,
    echo_table,
    handles_errors,
    main,
    periods_argument,
    run_steps,
)

if TYPE_CHECKING:
    from closekit.consolidation import ConsolidationReport

__all__ = ["main"]


def echo_report(report: ConsolidationReport, currency: str) -> None:
    """Nodes with their member count, the group's key figures, IC exceptions."""
    echo_table(
        ["node", "name", "members"], [[n.node, n.name, n.members] for n in report.nodes], right=(2,)
    )
    f = report.figures
    click.echo("")
    echo_table(
        [f"group {report.group} ({currency}, year to date)", "amount"],
        [
            ["total assets", f.total_assets],
            ["profit for the period", f.profit],
            ["  attributable to owners of the parent", f.owners],
            ["  attributable to non-controlling interests", f.nci],
        ],
        right=(1,),
    )
    if report.ic_exceptions:
        click.echo("")
        click.echo("intercompany pairs outside tolerance:")
        echo_table(
            ["entity", "partner", "plug", "entity side", "partner side", "difference"],
            [
                [p.entity, p.partner, p.plug_account, p.entity_side, p.partner_side, p.difference]
                for p in report.ic_exceptions
            ],
            right=(3, 4, 5),
        )
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)


@main.command()
@periods_argument
@click.pass_obj
@handles_errors
def consolidate(obj: Context, periods: tuple[str, str]) -> int:
    """Translate every entity of PERIOD (or of each period of FIRST..LAST)
    into the group currency, eliminate intercompany balances and investments,
    and compute NCI at every node."""
    settings = obj.settings()
    single = periods[0] == periods[1]

    def show(report: ConsolidationReport) -> None:
        if not single:
            click.echo(f"{report.period}:")
        echo_report(report, settings.currency)

    run_steps(settings, periods, "consolidate", pipeline.consolidate, show)
    return EXIT_OK

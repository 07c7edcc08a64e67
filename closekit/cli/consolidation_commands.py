"""`closekit consolidate PERIOD` (SPEC section 11): translate, eliminate, NCI."""

from __future__ import annotations

import click

from closekit import db
from closekit.cli.base import EXIT_OK, Context, echo_table, handles_errors, main, period_argument
from closekit.consolidation import ConsolidationReport, consolidate_period

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
@period_argument
@click.pass_obj
@handles_errors
def consolidate(obj: Context, period: str) -> int:
    """Translate every entity of PERIOD into the group currency, eliminate
    intercompany balances and investments, and compute NCI at every node."""
    settings = obj.settings()
    con = db.connect(settings)
    try:
        report = consolidate_period(settings, con, period)
    finally:
        con.close()
    echo_report(report, settings.currency)
    return EXIT_OK

"""`closekit post`, `closekit tb` and `closekit drill` (SPEC section 11).

Thin commands: ``post`` runs the pipeline's step; ``tb`` and ``drill`` print
what :mod:`closekit.queries` answers (the Python API's DataFrames come from
the same tables).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import click

from closekit import queries
from closekit.cli.base import (
    EXIT_NOT_CLEAN,
    EXIT_OK,
    Context,
    echo_query,
    echo_table,
    format_option,
    handles_errors,
    main,
    period_argument,
    periods_argument,
    query,
    run_steps,
)

if TYPE_CHECKING:
    from closekit.ledger import Basis
    from closekit.post import PostReport

__all__ = ["main"]

CENT = Decimal("0.01")


# Posting again rebuilds only the entities whose rows changed (closekit.post).
full_option = click.option(
    "--full",
    is_flag=True,
    help="Rebuild every entity's journal lines, not only those whose rows changed.",
)


@main.command()
@periods_argument
@full_option
@click.pass_obj
@handles_errors
def post(obj: Context, periods: tuple[str, str], full: bool) -> int:
    """Post PERIOD's (or each period of FIRST..LAST's) loaded rows to the
    general ledger, with month-end revaluation."""
    from closekit import pipeline  # imported here: tb and drill run no step

    single = periods[0] == periods[1]

    def show(report: PostReport) -> None:
        if not single:
            click.echo(f"{report.period}:")
        echo_post_report(report)

    reports = run_steps(
        obj.settings(),
        periods,
        "post",
        lambda settings, con, period: pipeline.post(settings, con, period, full),
        show,
        lambda settings, con, chosen: pipeline.post_ahead(settings, con, chosen, full),
    )
    # Every trial balance sums to zero by construction; anything else is not clean.
    clean = all(t.total == 0 for report in reports for t in report.totals)
    return EXIT_OK if clean else EXIT_NOT_CLEAN


def echo_post_report(report: PostReport) -> None:
    """Lines posted per entity and each entity's trial balance total (0.00)."""
    echo_table(
        ["entity", "lines", "revaluation lines", "TB total"],
        [
            [
                t.entity,
                report.entity_lines(t.entity),
                report.entity_lines(t.entity, "revaluation"),
                t.total.quantize(CENT),
            ]
            for t in report.totals
        ],
        right=(1, 2),
    )
    if report.kept:
        rebuilt = ", ".join(report.posted) or "none"
        click.echo(
            f"Rebuilt {len(report.posted)} of {len(report.posted) + len(report.kept)} entities"
            f" ({rebuilt}); the others' rows had not changed."
        )


def _exclusive(entity: str | None, node: str | None, currency: str | None) -> None:
    if entity is not None and node is not None:
        raise click.UsageError("give --entity or --node, not both")
    if currency is not None and entity is None:
        raise click.UsageError("--currency goes with --entity only (a node is in group currency)")


@main.command()
@period_argument
@click.option("--entity", help="A legal entity (functional currency unless --currency group).")
@click.option("--node", help="A consolidation node, in group currency (default: the group).")
@click.option(
    "--currency",
    type=click.Choice(["functional", "group"], case_sensitive=False),
    help="Currency of an --entity trial balance.  [default: functional]",
)
@click.option(
    "--basis",
    type=click.Choice(["ytd", "period"], case_sensitive=False),
    default="ytd",
    show_default=True,
    help="Year-to-date balances, or the period's movement.",
)
@format_option("table", "csv", "json")
@click.pass_obj
@handles_errors
def tb(
    obj: Context,
    period: str,
    entity: str | None,
    node: str | None,
    currency: str | None,
    basis: Basis,
    fmt: str,
) -> int:
    """Trial balance of PERIOD: of an entity, of a node, or of the group."""
    _exclusive(entity, node, currency)
    echo_query(
        query(obj, lambda s, con: queries.tb(s, con, period, entity, node, currency, basis)),
        fmt,
    )
    return EXIT_OK


@main.command("drill")
@period_argument
@click.option("--account", required=True, help="The account whose balance to explain.")
@click.option("--entity", help="A legal entity: its journal lines with their source rows.")
@click.option("--node", help="A consolidation node: member balances and entries (default: group).")
@click.option("--profit-center", help="Only this profit center.")
@click.option("--cost-center", help="Only this cost center.")
@format_option("table", "csv", "json")
@click.pass_obj
@handles_errors
def drill_command(
    obj: Context,
    period: str,
    account: str,
    entity: str | None,
    node: str | None,
    profit_center: str | None,
    cost_center: str | None,
    fmt: str,
) -> int:
    """The journal lines (or, for a node, the balances and entries) behind an
    account, with their total: the balance."""
    _exclusive(entity, node, None)
    echo_query(
        query(
            obj,
            lambda s, con: queries.drill(
                s, con, period, account, entity, node, profit_center, cost_center
            ),
        ),
        fmt,
    )
    return EXIT_OK

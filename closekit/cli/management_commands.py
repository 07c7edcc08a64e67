"""`closekit manage`, `closekit bu` and `closekit costcenters` (SPEC sections 8 and 11).

``manage`` runs the pipeline's management step; ``bu`` and ``costcenters``
print what :mod:`closekit.queries` answers over the management view of a
managed period. Money is signed as
presented (revenue and result positive as income, cost positive); CSV and
JSON give it with exactly two decimals (JSON as strings).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import click

from closekit import pipeline, queries
from closekit.cli.base import (
    EXIT_OK,
    Context,
    echo_json,
    echo_query,
    echo_table,
    format_option,
    handles_errors,
    main,
    money,
    period_argument,
    periods_argument,
    query,
    run_steps,
)

if TYPE_CHECKING:
    from closekit.manage import ManagementReport
    from closekit.queries import Table

__all__ = ["main"]


def echo_management(report: ManagementReport, currency: str) -> None:
    """What the management step wrote; cycles that sent nothing on stderr."""
    click.echo(
        f"Management view {report.period}: {report.lines:,} ledger lines; "
        f"{report.allocations:,} allocation postings sent {money(report.allocated)} {currency}; "
        f"left on shared-service cost centers YTD {money(report.unallocated_ytd)} {currency}."
    )
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)


@main.command()
@periods_argument
@click.pass_obj
@handles_errors
def manage(obj: Context, periods: tuple[str, str]) -> int:
    """Build the management view of a consolidated PERIOD (or of each period
    of FIRST..LAST): the management ledger by business unit, profit center and
    cost center, and the allocation cycles."""
    settings = obj.settings()
    run_steps(
        settings,
        periods,
        "manage",
        pipeline.manage,
        lambda report: echo_management(report, settings.currency),
    )
    return EXIT_OK


def _bu_json(table: Table) -> list[dict[str, Any]]:
    """SPEC section 11: one object a row, each period's figures nested."""
    figures, periods = queries.BU_FIGURES, queries.BU_PERIODS
    out = []
    for row in table.rows:
        record = dict(zip(table.header, row, strict=True))
        out.append(
            {
                **{k: record[k] for k in ("kind", "level", "code", "name", "business_unit")},
                **{c: {f: record[f"{c}_{f}"] for f in figures} for c in periods},
            }
        )
    return out


def _echo_bu_table(table: Table) -> None:
    """For people: the tree indented, the month's figures, YTD and prior month results."""
    click.echo(table.title)
    click.echo()
    echo_table(
        [
            "business unit / profit center",
            "name",
            "month revenue",
            "month expense",
            "month allocations",
            "month result",
            "YTD result",
            "prior month result",
        ],
        [
            [
                "  " * r["level"] + (r["code"] or r["name"]),
                r["name"] if r["code"] else "",
                *(r[f"month_{f}"] for f in queries.BU_FIGURES),
                r["ytd_result"],
                r["prior_month_result"],
            ]
            for r in (dict(zip(table.header, row, strict=True)) for row in table.rows)
        ],
    )


def _echo_allocations(table: Table, period: str, listed: bool) -> None:
    """The month's allocations: listed (shares as percentages, exact in CSV
    and the API), or one line saying how to list them."""
    click.echo()
    if not listed:
        total = table.total[-2] if table.total else Decimal(0)
        click.echo(
            f"{len(table.rows):,} allocation posting(s) in {period} sent {money(total)}; "
            f"`closekit bu {period} --allocations` lists them."
        )
        return
    click.echo(table.title)
    click.echo()
    rows = [[*row[:5], f"{row[5] * 100:.2f}%", *row[6:]] for row in table.rows]
    echo_table(
        [h.replace("_", " ") for h in table.header],
        [*rows, list(table.total or ())],
        right=(5,),
    )


@main.command()
@period_argument
@format_option("table", "csv", "json")
@click.option(
    "--allocations",
    "listed",
    is_flag=True,
    help="List the month's allocation postings (table format).",
)
@click.pass_obj
@handles_errors
def bu(obj: Context, period: str, fmt: str, listed: bool) -> int:
    """Management P&L of PERIOD by business unit and profit center (month,
    YTD, prior month), with Unallocated, Unassigned, Eliminations and the
    group total; the table also sums up the month's allocations."""
    table = query(obj, lambda s, con: queries.bu(s, con, period))
    if fmt == "json":
        for warning in table.warnings:
            click.echo(f"Warning: {warning}", err=True)
        echo_json(_bu_json(table))
    elif fmt == "csv":
        echo_query(table, fmt)
    else:
        for warning in table.warnings:
            click.echo(f"Warning: {warning}", err=True)
        _echo_bu_table(table)
        allocations = query(obj, lambda s, con: queries.allocations(s, con, period))
        if allocations.rows:
            _echo_allocations(allocations, period, listed)
    return EXIT_OK


@main.command()
@period_argument
@format_option("table", "csv", "json")
@click.pass_obj
@handles_errors
def costcenters(obj: Context, period: str, fmt: str) -> int:
    """Cost of PERIOD by department, cost center and account (month, YTD,
    prior month; debit positive), allocation postings included."""
    echo_query(query(obj, lambda s, con: queries.costcenters(s, con, period)), fmt)
    return EXIT_OK

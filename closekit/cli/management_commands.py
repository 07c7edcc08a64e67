"""`closekit bu` and `closekit costcenters` (SPEC sections 8 and 11).

Thin commands over :mod:`closekit.vertical`: they read the management view of
a period that went through `closekit close` and print it. Money is signed as
presented (revenue and result positive as income, cost positive); CSV and
JSON give it with exactly two decimals (JSON as strings).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import click

from closekit import db, pipeline
from closekit.cli.base import (
    EXIT_OK,
    Context,
    echo_csv,
    echo_json,
    echo_table,
    format_option,
    handles_errors,
    main,
    money,
    period_argument,
    periods_argument,
    run_steps,
)
from closekit.manage import ManagementReport
from closekit.vertical import (
    BusinessUnitLine,
    Figures,
    allocation_report,
    bu_pnl,
    cost_center_report,
    management_warnings,
)

__all__ = ["main"]

CENT = Decimal("0.01")
COLUMNS = ("month", "ytd", "prior_month")
FIGURES = ("revenue", "expense", "allocations", "result")
BU_HEADER = (
    "kind",
    "level",
    "code",
    "name",
    "business_unit",
    *(f"{c}_{f}" for c in COLUMNS for f in FIGURES),
)
CC_HEADER = (
    "department",
    "cost_center",
    "name",
    "entity",
    "account",
    "account_name",
    "month",
    "ytd",
    "prior_month",
)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _figures(figures: Figures) -> list[Decimal]:
    return [_cents(getattr(figures, f)) for f in FIGURES]


def _bu_json(line: BusinessUnitLine) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "level": line.level,
        "code": line.code,
        "name": line.name,
        "business_unit": line.business_unit,
        **{c: dict(zip(FIGURES, _figures(getattr(line, c)), strict=True)) for c in COLUMNS},
    }


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


@main.command()
@period_argument
@format_option("table", "csv", "json")
@click.pass_obj
@handles_errors
def bu(obj: Context, period: str, fmt: str) -> int:
    """Management P&L of PERIOD by business unit and profit center (month,
    YTD, prior month), with Unallocated, Unassigned, Eliminations and the
    group total; the table also lists the month's allocations."""
    settings = obj.settings()
    con = db.connect(settings, read_only=True)
    try:
        lines = bu_pnl(con, settings, period)
        allocations = allocation_report(con, settings, period)
        warnings = management_warnings(con, period)
    finally:
        con.close()
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if fmt == "csv":
        echo_csv(
            BU_HEADER,
            [
                [x.kind, x.level, x.code, x.name, x.business_unit]
                + [v for c in COLUMNS for v in _figures(getattr(x, c))]
                for x in lines
            ],
        )
    elif fmt == "json":
        echo_json([_bu_json(x) for x in lines])
    else:
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
                    "  " * x.level + (x.code or x.name),
                    x.name if x.code else "",
                    *_figures(x.month),
                    _cents(x.ytd.result),
                    _cents(x.prior_month.result),
                ]
                for x in lines
            ],
        )
        if allocations:
            click.echo("")
            echo_table(
                [
                    "cycle",
                    "sender",
                    "receiver",
                    "basis",
                    "share",
                    "sender cost",
                    "amount",
                    "amount YTD",
                ],
                [
                    [
                        a.cycle,
                        a.sender,
                        a.receiver,
                        a.basis,
                        f"{a.share.normalize():f}",
                        _cents(a.sender_cost),
                        _cents(a.amount),
                        _cents(a.ytd_amount),
                    ]
                    for a in allocations
                ],
                right=(4,),
            )
    return EXIT_OK


@main.command()
@period_argument
@format_option("table", "csv", "json")
@click.pass_obj
@handles_errors
def costcenters(obj: Context, period: str, fmt: str) -> int:
    """Cost of PERIOD by department, cost center and account (month, YTD,
    prior month; debit positive), allocation postings included."""
    settings = obj.settings()
    con = db.connect(settings, read_only=True)
    try:
        lines = cost_center_report(con, settings, period)
    finally:
        con.close()
    rows: list[list[Any]] = [
        [
            x.department,
            x.cost_center,
            x.cost_center_name,
            x.entity,
            x.account,
            x.account_name,
            _cents(x.month),
            _cents(x.ytd),
            _cents(x.prior_month),
        ]
        for x in lines
    ]
    if fmt == "csv":
        echo_csv(CC_HEADER, rows)
    elif fmt == "json":
        echo_json([dict(zip(CC_HEADER, row, strict=True)) for row in rows])
    else:
        total = ["total", "", "", "", "", ""] + [
            sum((row[i] for row in rows), Decimal("0.00")) for i in (6, 7, 8)
        ]
        echo_table(
            [
                "department",
                "cost center",
                "name",
                "entity",
                "account",
                "account name",
                "month",
                "YTD",
                "prior month",
            ],
            [*rows, total],
        )
    return EXIT_OK

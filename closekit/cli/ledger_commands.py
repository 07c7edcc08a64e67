"""`closekit post`, `closekit tb` and `closekit drill` (SPEC section 11).

Thin commands: each opens the workspace database, calls one library function
and prints what it returns. Entity figures in functional currency come from
:mod:`closekit.ledger`; group-currency figures (an entity translated, or a
consolidation node) from :mod:`closekit.consolidation`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import click
import duckdb

from closekit import db, pipeline
from closekit.cli.base import (
    EXIT_NOT_CLEAN,
    EXIT_OK,
    Context,
    echo_csv,
    echo_json,
    echo_table,
    format_option,
    handles_errors,
    main,
    period_argument,
    periods_argument,
    run_steps,
)
from closekit.consolidation.structure import top_entity
from closekit.ledger import Basis, TBLine, drill, trial_balance
from closekit.post import PostReport
from closekit.workspace import Settings

__all__ = ["main"]

CENT = Decimal("0.01")
TB_HEADER = ("account", "name", "type", "amount")


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


def _trial_balance(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    entity: str | None,
    node: str | None,
    currency: str | None,
    basis: Basis,
) -> list[TBLine]:
    if entity is not None and currency != "group":
        return trial_balance(con, settings, period, entity, basis)
    if entity is not None:
        from closekit.consolidation.translation import translated_trial_balance

        return translated_trial_balance(con, settings, period, entity, basis)
    from closekit.consolidation import node_trial_balance

    return node_trial_balance(con, settings, period, node or top_entity(con), basis)


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
    settings = obj.settings()
    con = db.connect(settings, read_only=True)
    try:
        lines = _trial_balance(con, settings, period, entity, node, currency, basis)
    finally:
        con.close()
    rows = [[t.account, t.name, t.type.lower(), t.amount.quantize(CENT)] for t in lines]
    if fmt == "csv":
        echo_csv(TB_HEADER, rows)
    elif fmt == "json":
        echo_json([dict(zip(TB_HEADER, row, strict=True)) for row in rows])
    else:
        total = sum((t.amount for t in lines), Decimal(0)).quantize(CENT)
        echo_table(TB_HEADER, [*rows, ["", "total", "", total]])
    return EXIT_OK


def _cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return value.quantize(CENT)
    return "" if value is None else value


def _echo_records(records: Sequence[Any], record_type: type, fmt: str) -> None:
    """Print dataclass records generically: one column per field."""
    header = [f.name for f in dataclasses.fields(record_type)]
    rows = [[_cell(getattr(r, name)) for name in header] for r in records]
    if fmt == "csv":
        echo_csv(header, rows)
    elif fmt == "json":
        echo_json([dict(zip(header, row, strict=True)) for row in rows])
    else:
        echo_table(header, rows)


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
    """The journal lines (or, for a node, the balances and entries) behind an account."""
    _exclusive(entity, node, None)
    settings = obj.settings()
    con = db.connect(settings, read_only=True)
    try:
        if entity is not None:
            from closekit.ledger import DrillLine

            lines = drill(con, settings, period, account, entity, profit_center, cost_center)
            _echo_records(lines, DrillLine, fmt)
        else:
            from closekit.consolidation import NodeDrillRow, node_drill

            target = node or top_entity(con)
            rows = node_drill(con, settings, period, target, account, profit_center, cost_center)
            _echo_records(rows, NodeDrillRow, fmt)
    finally:
        con.close()
    return EXIT_OK

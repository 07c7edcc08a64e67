"""`closekit flows PERIOD` (SPEC 19.1): the flows of every balance key."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import click

from closekit import queries
from closekit.cli.base import (
    EXIT_OK,
    Context,
    echo_query,
    echo_table,
    format_option,
    handles_errors,
    main,
    period_argument,
    query,
)

__all__ = ["main"]


def _with_closing(rows: tuple[tuple[Any, ...], ...]) -> list[list[object]]:
    """Table rows (node, entity, account, partner, flow, amount): each key's
    flows, then its closing balance."""
    out: list[list[object]] = []
    for n, row in enumerate(rows):
        out.append(list(row))
        key = row[1:4]
        if n + 1 == len(rows) or rows[n + 1][1:4] != key:
            closing = sum((r[5] for r in rows if r[1:4] == key), Decimal(0))
            out.append(["", "", "", "", "= closing", closing])
    return out


@main.command()
@period_argument
@click.option("--node", help="A consolidation node (default: the group).")
@click.option("--account", help="An account; the accounts under it are included.")
@format_option("table", "csv", "json")
@click.pass_obj
@handles_errors
def flows(obj: Context, period: str, node: str | None, account: str | None, fmt: str) -> int:
    """Flows of PERIOD (SPEC 19.1): per node, entity, account and partner,
    every group-currency movement from the prior fiscal year end (opening,
    profit, oci, translation, acquisition, disposal, ownership_change,
    dividend, capital, movement); opening + flows = closing for every key."""
    table = query(obj, lambda s, con: queries.flows(s, con, period, node, account))
    if fmt == "table":
        click.echo(table.title)
        click.echo()
        echo_table(list(table.header), _with_closing(table.rows))
    else:
        echo_query(table, fmt)
    return EXIT_OK

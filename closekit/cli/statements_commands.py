"""`closekit flows PERIOD` (SPEC 19.1): the flows of every balance key."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import click

from closekit.cli.base import (
    EXIT_OK,
    Context,
    echo_csv,
    echo_json,
    echo_table,
    format_option,
    handles_errors,
    main,
    period_argument,
)

if TYPE_CHECKING:
    from closekit.statements.queries import Flow

__all__ = ["main"]

FLOW_HEADER = ["node", "entity", "account", "partner", "flow", "amount"]


def _with_closing(flows: list[Flow]) -> list[list[object]]:
    """Table rows: each key's flows, then its closing balance."""
    rows: list[list[object]] = []
    for n, f in enumerate(flows):
        rows.append([f.node, f.entity, f.account, f.partner, f.flow, f.amount])
        key = (f.entity, f.account, f.partner)
        if (
            n + 1 == len(flows)
            or (flows[n + 1].entity, flows[n + 1].account, flows[n + 1].partner) != key
        ):
            closing = sum(
                (g.amount for g in flows if (g.entity, g.account, g.partner) == key), Decimal(0)
            )
            rows.append(["", "", "", "", "= closing", closing])
    return rows


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
    settings = obj.settings()
    from closekit import db  # imported when the command runs (closekit --help stays fast)

    con = db.connect(settings, read_only=True)
    try:
        from closekit.statements.queries import node_flows  # imported when it runs

        found = node_flows(con, period, node, account)
    finally:
        con.close()
    rows = [[f.node, f.entity, f.account, f.partner, f.flow, f.amount] for f in found]
    if fmt == "csv":
        echo_csv(FLOW_HEADER, rows)
    elif fmt == "json":
        echo_json([dict(zip(FLOW_HEADER, row, strict=True)) for row in rows])
    else:
        echo_table(FLOW_HEADER, _with_closing(found))
    return EXIT_OK

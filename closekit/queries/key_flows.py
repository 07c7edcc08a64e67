"""``flows``: the flows of every balance-sheet key of a node (SPEC 19.1)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from closekit import status
from closekit.queries.table import Column, Table, cents
from closekit.snapshot import reads_period
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

FLOW_COLUMNS = (
    Column("node"),
    Column("entity"),
    Column("account"),
    Column("partner"),
    Column("flow"),
    Column("amount", "money"),
)


@reads_period
def flows(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    node: str | None = None,
    account: str | None = None,
) -> Table:
    """SPEC 19.1: the flows of every balance-sheet key of a node (default:
    the group), from the prior fiscal year end to ``period``, by entity,
    account and partner; ``account`` keeps it and the accounts under it.
    Opening + flows = closing for every key (the total is the closing of
    the keys shown)."""
    status.require_period_folder(settings, period)
    # imported here: only the flows need the statements (and consolidation)
    from closekit.statements.flows import prior_year_end
    from closekit.statements.queries import node_flows, require_node

    code = require_node(con, period, node)
    found = node_flows(con, period, code, account)
    since = prior_year_end(settings, period) or "the opening rows (first fiscal year)"
    title = (
        f"Flows of node {code}{f' on {account} and below' if account else ''}: group currency "
        f"{settings.currency}, from {since} to {period} (debit positive)"
    )
    rows = tuple((f.node, f.entity, f.account, f.partner, f.flow, cents(f.amount)) for f in found)
    total = cents(sum((f.amount for f in found), Decimal(0)))
    return Table(title, FLOW_COLUMNS, rows, total=("", "", "", "", "total", total))

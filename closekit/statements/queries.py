"""Reading the flows (SPEC 19.1): ``closekit flows`` and the statements
built on them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.consolidation import consolidation_nodes
from closekit.errors import UnknownCode
from closekit.snapshot import reads_period
from closekit.statements.flows import FLOWS
from closekit.status import require_step

if TYPE_CHECKING:
    import duckdb

# The flows in the order statements show them, as SQL.
FLOW_ORDER = "list_position([" + ", ".join(f"'{f}'" for f in FLOWS) + "], {column})"


@dataclass(frozen=True)
class Flow:
    """One flow of a balance key at a node, group currency, debit positive
    (SPEC 19.1: the CSV columns of ``closekit flows``)."""

    node: str
    entity: str
    account: str
    partner: str
    flow: str
    amount: Decimal


def require_node(con: duckdb.DuckDBPyConnection, period: str, node: str | None) -> str:
    """``node`` if it is a consolidation node of ``period`` (default: the
    group), once the period is consolidated."""
    require_step(con, period, "consolidated")
    nodes = consolidation_nodes(con, period)
    if node is None:
        if not nodes:
            raise UnknownCode(f"{period} has no consolidation node")
        return nodes[0]
    if node not in nodes:
        raise UnknownCode(
            f"{node} is not a consolidation node in {period} (nodes: {', '.join(nodes)})"
        )
    return node


@reads_period
def node_flows(
    con: duckdb.DuckDBPyConnection, period: str, node: str | None = None, account: str | None = None
) -> list[Flow]:
    """The flows of every key of ``node`` (default: the group) from the prior
    fiscal year end to ``period``, by entity, account, partner and flow;
    ``account`` keeps that account and the accounts under it."""
    node = require_node(con, period, node)
    if (
        account is not None
        and not con.execute("SELECT 1 FROM account WHERE account = ?", [account]).fetchone()
    ):
        raise UnknownCode(f"unknown account {account}")
    rows = con.execute(
        f"""
        WITH RECURSIVE under(account) AS (
            SELECT account FROM account WHERE account = $account OR $account = ''
            UNION
            SELECT a.account FROM account a JOIN under u ON a.parent = u.account
        )
        SELECT node, entity, account, partner, flow, amount
        FROM node_flow
        WHERE period = $period AND node = $node AND account IN (SELECT account FROM under)
        ORDER BY entity, account, partner, {FLOW_ORDER.format(column="flow")}
        """,
        {"period": period, "node": node, "account": account or ""},
    ).fetchall()
    return [
        Flow(node, entity, account, partner, flow, Decimal(amount))
        for node, entity, account, partner, flow, amount in rows
    ]

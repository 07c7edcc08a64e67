"""``tb`` and ``drill``: an entity's trial balance and journal lines, a
node's (default: the group's) consolidated trial balance and what makes up
a balance (SPEC section 11)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from closekit import status
from closekit.errors import ClosekitError, UnknownCode
from closekit.ledger import Basis, DrillLine, require_account, require_entity
from closekit.ledger import drill as entity_drill
from closekit.ledger import trial_balance as entity_tb
from closekit.queries.table import Column, Table, cents, entity_name, record_rows
from closekit.snapshot import reads_period
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

TB_COLUMNS = (Column("account"), Column("name"), Column("type"), Column("amount", "money"))


@reads_period
def tb(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    entity: str | None = None,
    node: str | None = None,
    currency: str | None = None,
    basis: Basis = "ytd",
) -> Table:
    """SPEC section 11: an entity's trial balance (functional currency, or
    group with ``currency="group"``), a node's consolidated one (group
    currency, eliminations and NCI included), or the group's (no entity, no
    node). A leaf entity is a valid node: its own translated trial balance,
    which the title says."""
    if entity is not None and node is not None:
        raise ClosekitError("give an entity or a node, not both")
    if currency is not None and entity is None:
        raise ClosekitError("the currency goes with an entity only (a node is in group currency)")
    status.require_period_folder(settings, period)
    when = f"year to date at {period}" if basis == "ytd" else f"movement of {period}"
    if entity is not None:
        if currency in (None, "functional"):
            lines = entity_tb(con, settings, period, entity, basis)
            name, functional = entity_name(con, entity)
            title = f"Trial balance of {entity} {name}: functional currency {functional}, {when}"
        else:
            from closekit.consolidation import translated_trial_balance as translated_tb

            lines = translated_tb(con, settings, period, entity, basis)
            name, _ = entity_name(con, entity)
            title = (
                f"Trial balance of {entity} {name}: translated into group currency "
                f"{settings.currency}, {when}"
            )
    else:
        status.require_step(con, period, "consolidated")
        # imported here: an entity's figures need no consolidation module
        from closekit.consolidation import consolidation_nodes
        from closekit.consolidation import node_trial_balance as node_tb
        from closekit.master.tree import top_entity

        code = node or top_entity(con)
        lines = node_tb(con, settings, period, code, basis)
        name, _ = entity_name(con, code)
        if code in consolidation_nodes(con, period):
            title = (
                f"Consolidated trial balance of node {code} {name}: group currency "
                f"{settings.currency}, {when}, eliminations and NCI included"
            )
        else:
            title = (
                f"Trial balance of {code} {name}, a leaf entity (no consolidation node): "
                f"its own, translated into group currency {settings.currency}, {when}"
            )
    rows = tuple((t.account, t.name, t.type.lower(), cents(t.amount)) for t in lines)
    total = cents(sum((t.amount for t in lines), Decimal(0)))
    return Table(title, TB_COLUMNS, rows, total=("", "total", "", total))


# ---- drill ------------------------------------------------------------------


def require_drillable(
    con: duckdb.DuckDBPyConnection,
    account: str,
    profit_center: str | None,
    cost_center: str | None,
) -> None:
    """The account exists and is a posting account; the profit center and
    cost center given exist (an unknown code is a refusal, not an empty list)."""
    require_account(con, account)
    summary = con.execute(
        "SELECT name FROM account WHERE account = ? AND is_summary", [account]
    ).fetchone()
    if summary is not None:
        children = [
            c
            for (c,) in con.execute(
                "SELECT account FROM account WHERE parent = ? ORDER BY account", [account]
            ).fetchall()
        ]
        raise UnknownCode(
            f"account {account!r} {summary[0]} is a summary account (nothing posts to it); "
            f"drill one of the accounts under it: {', '.join(children)}"
        )
    for code, table, label, file in (
        (profit_center, "profit_center", "profit center", "profit_centers"),
        (cost_center, "cost_center", "cost center", "cost_centers"),
    ):
        if code is None:
            continue
        known = con.execute(f"SELECT 1 FROM {table} WHERE {table} = ?", [code]).fetchone()
        if known is None:
            raise UnknownCode(f"unknown {label} {code!r}; see master/{file}.csv")


@reads_period
def drill(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    account: str,
    entity: str | None = None,
    node: str | None = None,
    profit_center: str | None = None,
    cost_center: str | None = None,
) -> Table:
    """The journal lines behind an entity's balance on ``account`` (with
    their source ``file:row``), or, for a node (default: the group), the
    members' translated balances and the node's entries; optionally of one
    profit center and/or cost center. The total is the balance."""
    if entity is not None and node is not None:
        raise ClosekitError("give an entity or a node, not both")
    status.require_period_folder(settings, period)
    require_drillable(con, account, profit_center, cost_center)
    where = "".join(
        f", {label} {code}"
        for label, code in (("profit center", profit_center), ("cost center", cost_center))
        if code is not None
    )
    records: list[Any]
    if entity is not None:
        records = entity_drill(con, settings, period, account, entity, profit_center, cost_center)
        columns, rows = record_rows(records, DrillLine)
        _, functional = entity_name(con, entity)
        title = f"Lines of {entity} on {account}{where}: functional currency {functional}"
    else:
        status.require_step(con, period, "consolidated")
        from closekit.consolidation import NodeDrillRow, node_drill
        from closekit.master.tree import top_entity

        code = node or top_entity(con)
        require_entity(con, code)
        records = node_drill(con, settings, period, code, account, profit_center, cost_center)
        columns, rows = record_rows(records, NodeDrillRow)
        title = f"Balance of node {code} on {account}{where}: group currency {settings.currency}"
    amount = [c.name for c in columns].index("amount")
    total: list[Any] = [""] * len(columns)
    total[0], total[amount] = "total", cents(sum((r[amount] for r in rows), Decimal(0)))
    return Table(f"{title}, year to date at {period}", columns, tuple(rows), total=tuple(total))

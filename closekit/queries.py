"""What the query commands answer (``tb``, ``drill``, ``flows``, ``bu``, ``costcenters``),
as typed tables: the one source of the CLI's table, CSV and JSON output and
of the Python API's DataFrames, so that they cannot differ.

Each query checks first what every command checks first: the period has a
folder (else it is unknown), then every code it is given exists and can be
asked for (a summary account has no lines to drill). Money is ``Decimal``
with exactly two places. A locked period is answered on the master data it
was locked with (``snapshot.reads_period``, SPEC section 5).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from closekit import status
from closekit.errors import ClosekitError, UnknownCode
from closekit.ledger import Basis, DrillLine, require_account, require_entity
from closekit.ledger import drill as entity_drill
from closekit.ledger import trial_balance as entity_tb
from closekit.snapshot import reads_period
from closekit.vertical import (
    Figures,
    allocation_report,
    bu_pnl,
    cost_center_report,
    management_warnings,
)
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

CENT = Decimal("0.01")
Kind = Literal["text", "int", "bool", "float", "money", "decimal", "date"]


@dataclass(frozen=True)
class Column:
    """A column: its name (the CSV header, the DataFrame column) and kind:
    text, int, bool, float (never money: seconds), money (Decimal, two
    places), decimal (exact, more places) or date."""

    name: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """A query's answer.

    title: what the rows are, in words (printed above the table on a terminal).
    columns, rows: the data, the same in every format.
    total: a total row for people (the table format only; not a data row).
    notes: lines for people under the table; warnings: for stderr.
    """

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: tuple[Any, ...] | None = None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> list[Any]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


# Field annotations (strings, as written) -> column kinds.
_KINDS: dict[str, Kind] = {"Decimal": "money", "date": "date", "int": "int"}


def _records(records: list[Any], record_type: type) -> tuple[tuple[Column, ...], list[tuple]]:  # type: ignore[type-arg]
    """Dataclass records as columns (one a field) and rows; money in cents."""
    fields = dataclasses.fields(record_type)
    columns = tuple(Column(f.name, _KINDS.get(str(f.type), "text")) for f in fields)
    rows = [
        tuple(
            _cents(v) if isinstance(v, Decimal) else v for v in (getattr(r, f.name) for f in fields)
        )
        for r in records
    ]
    return columns, rows


def _entity(con: duckdb.DuckDBPyConnection, code: str) -> tuple[str, str]:
    """(name, functional currency) of an entity known to exist."""
    row = con.execute("SELECT name, currency FROM entity WHERE entity = ?", [code]).fetchone()
    return (str(row[0]), str(row[1])) if row else ("", "")


# ---- trial balances ---------------------------------------------------------

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
            name, functional = _entity(con, entity)
            title = f"Trial balance of {entity} {name}: functional currency {functional}, {when}"
        else:
            from closekit.consolidation import translated_trial_balance as translated_tb

            lines = translated_tb(con, settings, period, entity, basis)
            name, _ = _entity(con, entity)
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
        name, _ = _entity(con, code)
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
    rows = tuple((t.account, t.name, t.type.lower(), _cents(t.amount)) for t in lines)
    total = _cents(sum((t.amount for t in lines), Decimal(0)))
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
        columns, rows = _records(records, DrillLine)
        _, functional = _entity(con, entity)
        title = f"Lines of {entity} on {account}{where}: functional currency {functional}"
    else:
        status.require_step(con, period, "consolidated")
        from closekit.consolidation import NodeDrillRow, node_drill
        from closekit.master.tree import top_entity

        code = node or top_entity(con)
        require_entity(con, code)
        records = node_drill(con, settings, period, code, account, profit_center, cost_center)
        columns, rows = _records(records, NodeDrillRow)
        title = f"Balance of node {code} on {account}{where}: group currency {settings.currency}"
    amount = [c.name for c in columns].index("amount")
    total: list[Any] = [""] * len(columns)
    total[0], total[amount] = "total", _cents(sum((r[amount] for r in rows), Decimal(0)))
    return Table(f"{title}, year to date at {period}", columns, tuple(rows), total=tuple(total))


# ---- flows --------------------------------------------------------------------

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
    rows = tuple((f.node, f.entity, f.account, f.partner, f.flow, _cents(f.amount)) for f in found)
    total = _cents(sum((f.amount for f in found), Decimal(0)))
    return Table(title, FLOW_COLUMNS, rows, total=("", "", "", "", "total", total))


# ---- management view --------------------------------------------------------

BU_FIGURES = ("revenue", "expense", "allocations", "result")
BU_PERIODS = ("month", "ytd", "prior_month")
BU_COLUMNS = (
    Column("kind"),
    Column("level", "int"),
    Column("code"),
    Column("name"),
    Column("business_unit"),
    *(Column(f"{c}_{f}", "money") for c in BU_PERIODS for f in BU_FIGURES),
)


def _figures(figures: Figures) -> list[Decimal]:
    return [_cents(getattr(figures, f)) for f in BU_FIGURES]


@reads_period
def bu(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> Table:
    """SPEC section 8: the management P&L by business unit and profit center
    (month, YTD, prior month; revenue and result positive as income), with
    Unallocated, Unassigned, Eliminations and the group total."""
    status.require_period_folder(settings, period)
    lines = bu_pnl(con, settings, period)
    rows = tuple(
        (
            x.kind,
            x.level,
            x.code,
            x.name,
            x.business_unit,
            *(v for c in BU_PERIODS for v in _figures(getattr(x, c))),
        )
        for x in lines
    )
    title = (
        f"Management P&L by business unit and profit center: group currency "
        f"{settings.currency}, {period} (month, year to date, prior month)"
    )
    return Table(title, BU_COLUMNS, rows, warnings=tuple(management_warnings(con, period)))


ALLOCATION_COLUMNS = (
    Column("cycle"),
    Column("sender"),
    Column("sender_entity"),
    Column("receiver"),
    Column("basis"),
    Column("share", "decimal"),
    Column("sender_cost", "money"),
    Column("amount", "money"),
    Column("ytd_amount", "money"),
)


@reads_period
def allocations(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> Table:
    """The allocation postings of the period's month (SPEC section 8): each
    cycle's sender, receiver, exact share, amount and fiscal-year-to-date amount."""
    status.require_period_folder(settings, period)
    lines = allocation_report(con, settings, period)
    rows = tuple(
        (
            a.cycle,
            a.sender,
            a.sender_entity,
            a.receiver,
            a.basis,
            a.share,
            _cents(a.sender_cost),
            _cents(a.amount),
            _cents(a.ytd_amount),
        )
        for a in lines
    )
    total = _cents(sum((a.amount for a in lines), Decimal(0)))
    title = f"Allocations of {period}: group currency {settings.currency}"
    return Table(title, ALLOCATION_COLUMNS, rows, total=("total", *[""] * 6, total, ""))


CC_COLUMNS = (
    Column("department"),
    Column("cost_center"),
    Column("name"),
    Column("entity"),
    Column("account"),
    Column("account_name"),
    Column("month", "money"),
    Column("ytd", "money"),
    Column("prior_month", "money"),
)


@reads_period
def costcenters(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> Table:
    """Cost by department, cost center and account (month, YTD, prior
    month; debit positive), allocation postings included."""
    status.require_period_folder(settings, period)
    lines = cost_center_report(con, settings, period)
    rows = tuple(
        (
            x.department,
            x.cost_center,
            x.cost_center_name,
            x.entity,
            x.account,
            x.account_name,
            _cents(x.month),
            _cents(x.ytd),
            _cents(x.prior_month),
        )
        for x in lines
    )
    totals = [
        _cents(sum((getattr(x, c) for x in lines), Decimal(0)))
        for c in ("month", "ytd", "prior_month")
    ]
    title = (
        f"Cost by department, cost center and account: group currency "
        f"{settings.currency}, {period} (debit positive)"
    )
    return Table(title, CC_COLUMNS, rows, total=("total", "", "", "", "", "", *totals))

"""``bu``, ``allocations``, ``costcenters``: the management view of a period
(SPEC section 8)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from closekit import status
from closekit.queries.table import Column, Table, cents
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
    return [cents(getattr(figures, f)) for f in BU_FIGURES]


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
            cents(a.sender_cost),
            cents(a.amount),
            cents(a.ytd_amount),
        )
        for a in lines
    )
    total = cents(sum((a.amount for a in lines), Decimal(0)))
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
            cents(x.month),
            cents(x.ytd),
            cents(x.prior_month),
        )
        for x in lines
    )
    totals = [
        cents(sum((getattr(x, c) for x in lines), Decimal(0)))
        for c in ("month", "ytd", "prior_month")
    ]
    title = (
        f"Cost by department, cost center and account: group currency "
        f"{settings.currency}, {period} (debit positive)"
    )
    return Table(title, CC_COLUMNS, rows, total=("total", "", "", "", "", "", *totals))

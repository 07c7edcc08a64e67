"""The management step: build the vertical view of a period (SPEC section 8).

The management ledger (table ``management_line``) holds, for one reported
period, every group-currency P&L line of the group's members (the top node's
``node_member``, translated at average rates: ``translated_balance`` on
revenue and expense accounts), the allocation postings, and the group's
intercompany P&L eliminations. Each line carries three figures: the month,
the fiscal year to date, and the prior month.

Where a line lands (the vertical rule):

1. its own profit center;
2. else its cost center's profit center;
3. else it sits on a shared-service cost center and reaches profit centers
   only through allocation cycles (:mod:`closekit.allocate`); what remains
   there is "Unallocated";
4. a line with neither profit center nor cost center is "Unassigned";
5. the top node's ``ic_elimination`` entries on P&L accounts are
   "Eliminations"; its other P&L entries but NCI (unrealised profit,
   top-side journals, event entries) are "Consolidation adjustments" (SPEC
   20), each keeping its profit center (``reached_pc``) for its business
   unit; an entity's own P&L that an event moves lands as its books did.
   So the vertical total equals the consolidated income statement of
   the group before NCI (``nci_profit`` is left out).

Month figures are YTD(P) - YTD(P-1) inside a fiscal year (the first month of
a fiscal year is its YTD). A month without a ledger folder has no movements,
so YTD at any month is the translated balance of the latest consolidated
folder period of that fiscal year at or before it (zero when there is none).
Every figure is an integer combination of such snapshots, so it stays exact
DECIMAL. The allocations of every month of the fiscal year up to the period
(and of the prior month) are recomputed and stored with the period, so the
YTD allocation is the sum of the year's monthly allocations, each month run
on its own month's costs and revenue; a month a locked period's run already
allocated keeps that run's postings (:mod:`closekit.manage_locked`).

Allocation postings go to the ``allocation`` account of ``closekit.toml`` in
this ledger only: credit the sender cost center, debit the receiving profit
centers, both under the sender's legal entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pyarrow as pa

from closekit import db, status
from closekit.allocate import Allocation, AllocationRule, AllocationWarning, run_cycles
from closekit.manage_lines import PNL_ACCOUNTS, REACHED_PC, query, write_lines
from closekit.manage_locked import locked_months, reuse_locked, run_months
from closekit.master.tree import top_entity
from closekit.periods import fiscal_year_start, period_folders, previous
from closekit.workspace import Settings


@dataclass(frozen=True)
class ManagementReport:
    """What one management run produced.

    lines: management ledger lines written for the period.
    allocations: allocation postings of the period's month.
    allocated: total sent by the month's cycles (group currency).
    unallocated_ytd: cost left on shared-service cost centers, YTD.
    warnings: the month's cycles that sent nothing, in words.
    """

    period: str
    lines: int
    allocations: int
    allocated: Decimal
    unallocated_ytd: Decimal
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Plan:
    """Which consolidated snapshots make up each figure (integer coefficients)."""

    figures: list[tuple[str, int, int, int]]  # (snapshot, month, ytd, prior month)
    alloc_months: list[str]  # the fiscal year up to the period, and the prior month
    months: list[tuple[str, str, int]]  # (month, snapshot, coefficient) for allocations
    needed: list[str]  # snapshots that must be consolidated


def _snapshot(folders: list[str], month: str, fy_start_month: int) -> str | None:
    """Latest folder period of ``month``'s fiscal year at or before it."""
    start = fiscal_year_start(month, fy_start_month)
    inside = [p for p in folders if start <= p <= month]
    return inside[-1] if inside else None


def _month_terms(folders: list[str], month: str, fy_start_month: int) -> dict[str, int]:
    """Month movement = YTD(month) - YTD(month - 1), or YTD at a fiscal-year start."""
    terms: dict[str, int] = {}
    current = _snapshot(folders, month, fy_start_month)
    if current is not None:
        terms[current] = 1
    if month != fiscal_year_start(month, fy_start_month):
        before = _snapshot(folders, previous(month), fy_start_month)
        if before is not None:
            terms[before] = terms.get(before, 0) - 1
    return {snap: coef for snap, coef in terms.items() if coef}


def _plan(settings: Settings, period: str) -> _Plan:
    folders = period_folders(settings.ledgers_dir)
    fy = settings.fiscal_year_start
    month_terms = _month_terms(folders, period, fy)
    prior_terms = _month_terms(folders, previous(period), fy)
    ytd = _snapshot(folders, period, fy)
    snaps = sorted({*month_terms, *prior_terms, *([ytd] if ytd else [])})
    figures = [
        (s, month_terms.get(s, 0), 1 if s == ytd else 0, prior_terms.get(s, 0)) for s in snaps
    ]
    alloc_months = run_months(period, fy)
    months = [
        (m, snap, coef) for m in alloc_months for snap, coef in _month_terms(folders, m, fy).items()
    ]
    needed = sorted({*snaps, *(snap for _m, snap, _c in months)})
    return _Plan(figures, alloc_months, months, needed)


@db.amounts_fit("management")
def manage_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> ManagementReport:
    """Rebuild the management ledger and allocations of a consolidated period."""
    status.require_unlocked(con, period)
    status.require_step(con, period, "consolidated")
    plan = _plan(settings, period)
    for snapshot in plan.needed:
        status.require_step(con, snapshot, "consolidated")
    top = top_entity(con)
    params = {"period": period, "top": top, "nci_profit": settings.accounts.nci_profit}

    with db.transaction(con):
        for table in ("management_line", "allocation_posting", "management_warning"):
            con.execute(f"DELETE FROM {table} WHERE period = ?", [period])
        con.execute(
            "CREATE OR REPLACE TEMP TABLE mgmt_figure "
            "(snapshot VARCHAR, month_coef INTEGER, ytd_coef INTEGER, prior_coef INTEGER)"
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE mgmt_month "
            "(month VARCHAR, snapshot VARCHAR, coef INTEGER)"
        )
        if plan.figures:
            con.executemany("INSERT INTO mgmt_figure VALUES (?, ?, ?, ?)", plan.figures)
        if plan.months:
            con.executemany("INSERT INTO mgmt_month VALUES (?, ?, ?)", plan.months)

        locked = locked_months(settings, con, period, plan.alloc_months)
        months = [m for m in plan.alloc_months if m not in locked]
        postings, warnings = _allocate(con, params, months)
        _store_allocations(con, period, top, postings, warnings)
        reuse_locked(con, period, locked)
        write_lines(settings, con, params)
        con.execute("DROP TABLE mgmt_figure")
        con.execute("DROP TABLE mgmt_month")
        status.mark(con, period, "managed")

    return _summary(con, period, postings, warnings)


def _allocate(
    con: duckdb.DuckDBPyConnection, params: dict[str, str], months: list[str]
) -> tuple[list[Allocation], list[AllocationWarning]]:
    """Run the cycles of every month on the month's aggregated costs and revenue."""
    rules = [
        AllocationRule(cycle, sender, receiver, basis, share)
        for cycle, sender, receiver, basis, share in con.execute(
            "SELECT cycle, sender, receiver, lower(basis), share FROM allocation "
            "ORDER BY cycle, sender, receiver"
        ).fetchall()
    ]
    if not rules:
        return [], []
    # A sender's cost of the month: the net of the member lines sitting on the
    # cost center itself (lines with an own profit center went there instead).
    costs = query(
        con,
        f"""
        SELECT w.month, t.cost_center, sum(t.amount_group * w.coef)
        FROM translated_balance t
        JOIN mgmt_month w ON t.period = w.snapshot
        JOIN node_member n ON n.period = $period AND n.node = $top AND n.entity = t.entity
        WHERE t.account IN ({PNL_ACCOUNTS})
          AND t.profit_center = ''
          AND t.cost_center IN (SELECT sender FROM allocation)
        GROUP BY ALL
        """,
        params,
    ).fetchall()
    # A receiver's revenue of the month, presented positive, intercompany included.
    revenue = query(
        con,
        f"""
        SELECT w.month, {REACHED_PC.format(line="t", cc="cc")} AS pc, -sum(t.amount_group * w.coef)
        FROM translated_balance t
        JOIN mgmt_month w ON t.period = w.snapshot
        JOIN node_member n ON n.period = $period AND n.node = $top AND n.entity = t.entity
        LEFT JOIN cost_center cc ON cc.cost_center = t.cost_center
        WHERE t.account IN (SELECT account FROM account WHERE type = 'revenue')
          AND t.account <> $nci_profit
        GROUP BY ALL
        HAVING pc IN (SELECT receiver FROM allocation)
        """,
        params,
    ).fetchall()
    postings: list[Allocation] = []
    warnings: list[AllocationWarning] = []
    for month in months:
        sent, warned = run_cycles(
            month,
            rules,
            {cc: amount for m, cc, amount in costs if m == month},
            {pc: amount for m, pc, amount in revenue if m == month},
        )
        postings += sent
        warnings += warned
    return postings, warnings


def _store_allocations(
    con: duckdb.DuckDBPyConnection,
    period: str,
    top: str,
    postings: list[Allocation],
    warnings: list[AllocationWarning],
) -> None:
    """Bulk-insert the postings through an Arrow table (exact decimals; DuckDB's
    executemany goes row by row)."""
    entity_of = dict(con.execute("SELECT cost_center, entity FROM cost_center").fetchall())
    text, share, money = pa.string(), pa.decimal128(38, 18), pa.decimal128(18, 2)
    columns: list[tuple[str, pa.DataType, list[object]]] = [
        ("period", text, [period] * len(postings)),
        ("month", text, [a.month for a in postings]),
        ("cycle", text, [a.cycle for a in postings]),
        ("sender", text, [a.sender for a in postings]),
        ("sender_entity", text, [entity_of.get(a.sender, top) for a in postings]),
        ("receiver", text, [a.receiver for a in postings]),
        ("basis", text, [a.basis for a in postings]),
        ("share", share, [a.share for a in postings]),
        ("sender_cost", money, [a.sender_cost for a in postings]),
        ("amount", money, [a.amount for a in postings]),
    ]
    arrow_postings = pa.table({name: pa.array(values, kind) for name, kind, values in columns})
    con.register("mgmt_postings", arrow_postings)
    con.execute("INSERT INTO allocation_posting SELECT * FROM mgmt_postings")
    con.unregister("mgmt_postings")
    if warnings:
        con.executemany(
            "INSERT INTO management_warning VALUES (?, ?, ?, ?, ?)",
            [(period, w.month, w.cycle, w.sender, w.message) for w in warnings],
        )


def _summary(
    con: duckdb.DuckDBPyConnection,
    period: str,
    postings: list[Allocation],
    warnings: list[AllocationWarning],
) -> ManagementReport:
    lines, unallocated = con.execute(
        "SELECT count(*), coalesce(sum(ytd_amount) FILTER (bucket = 'unallocated'), 0) "
        "FROM management_line WHERE period = ?",
        [period],
    ).fetchone() or (0, Decimal(0))
    month = [a for a in postings if a.month == period]
    return ManagementReport(
        period=period,
        lines=int(lines),
        allocations=len(month),
        allocated=sum((a.amount for a in month), Decimal("0.00")),
        unallocated_ytd=Decimal(unallocated),
        warnings=tuple(w.message for w in warnings if w.month == period),
    )

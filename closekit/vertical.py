"""Queries of the management (vertical) view, for the CLI and the reports.

They read the finished management ledger of a managed period (built by
:func:`closekit.manage.manage_period`) and never recompute accounting. The
records are frozen and stable; amounts are :class:`~decimal.Decimal` in
group currency.

Presented signs (SPEC section 1: reports present, the data never flips):
revenue and result are positive when they are income, expense and
allocations positive when they are cost; ``result = revenue - expense -
allocations``. The department report shows cost signed debit positive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from closekit import status
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

ZERO = Decimal("0.00")

LineKind = Literal[
    "business_unit",
    "profit_center",
    "unallocated",
    "unassigned",
    "eliminations",
    "adjustments",
    "total",
]

LABELS = {
    "en": {
        "unallocated": "Unallocated",
        "unassigned": "Unassigned",
        "eliminations": "Eliminations",
        "adjustments": "Consolidation adjustments",
        "total": "Group total",
    },
    "zh": {
        "unallocated": "未分摊",
        "unassigned": "未分配",
        "eliminations": "内部抵销",
        "adjustments": "合并调整",
        "total": "集团合计",
    },
}


@dataclass(frozen=True)
class Figures:
    """One column group of the management P&L, presented signs.

    revenue: income on revenue accounts (positive = income).
    expense: cost on expense accounts (positive = cost), allocations excluded.
    allocations: net allocation charged (positive = received, negative = sent).
    result: revenue - expense - allocations (positive = profit).
    """

    revenue: Decimal = ZERO
    expense: Decimal = ZERO
    allocations: Decimal = ZERO
    result: Decimal = ZERO

    @classmethod
    def of(cls, revenue: Decimal, expense: Decimal, allocations: Decimal) -> Figures:
        return cls(revenue, expense, allocations, revenue - expense - allocations)

    def __add__(self, other: Figures) -> Figures:
        return Figures.of(
            self.revenue + other.revenue,
            self.expense + other.expense,
            self.allocations + other.allocations,
        )


@dataclass(frozen=True)
class BusinessUnitLine:
    """One row of the management P&L by business unit and profit center.

    kind: ``business_unit`` (a subtotal over its profit centers and
        sub-units), ``profit_center``, ``unallocated`` (left on shared-service
        cost centers), ``unassigned`` (neither profit center nor cost center),
        ``eliminations`` (the group's intercompany P&L eliminations),
        ``adjustments`` (its other P&L entries but NCI: unrealised profit,
        top-side journals, event entries; SPEC 20) or
        ``total`` (the group: equals the consolidated P&L before NCI).
    code: the business unit or profit center code ('' for the other kinds).
    name: its name in the output language, or the row's label.
    level: depth for indentation: root business units 0, their profit centers
        and sub-units 1, ...; the other kinds 0.
    business_unit: the parent business unit ('' for roots and other kinds).
    month, ytd, prior_month: the figures.
    """

    kind: LineKind
    code: str
    name: str
    level: int
    business_unit: str
    month: Figures
    ytd: Figures
    prior_month: Figures


@dataclass(frozen=True)
class CostCenterLine:
    """Cost of one account on one cost center (debit positive = cost).

    Allocation postings are included (a fully allocated shared service nets
    to zero); eliminations are not (they belong to the group, not to a
    department).
    """

    department: str
    cost_center: str
    cost_center_name: str
    entity: str
    account: str
    account_name: str
    month: Decimal
    ytd: Decimal
    prior_month: Decimal


@dataclass(frozen=True)
class AllocationLine:
    """One allocation posting of the period's month.

    share: the share used: the fixed share, or the receiver's revenue over
        the receivers' revenue (18 places).
    sender_cost: the sender's cost of the month that the cycle sent.
    amount: debited to the receiver, credited to the sender (month).
    ytd_amount: the same cycle, sender and receiver over the fiscal year.
    """

    cycle: str
    sender: str
    sender_entity: str
    receiver: str
    basis: str
    share: Decimal
    sender_cost: Decimal
    amount: Decimal
    ytd_amount: Decimal


def _name(settings: Settings, name: str, name_zh: str) -> str:
    return name_zh if settings.language == "zh" and name_zh else name


def _triple(rows: Iterable[tuple[str, Decimal, Decimal, Decimal]]) -> tuple[Figures, ...]:
    """(category, month, ytd, prior) sums -> Figures for month, ytd, prior month."""
    sums = {"revenue": [ZERO] * 3, "expense": [ZERO] * 3, "allocations": [ZERO] * 3}
    for category, *amounts in rows:
        sums[category] = [a + b for a, b in zip(sums[category], amounts, strict=True)]
    # Revenue is stored credit (negative): present it positive.
    return tuple(
        Figures.of(-sums["revenue"][i], sums["expense"][i], sums["allocations"][i])
        for i in range(3)
    )


def bu_pnl(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> list[BusinessUnitLine]:
    """The management P&L of a managed period, business-unit tree order.

    Rows: each business unit (depth first, codes in code-point order), then
    its profit centers, then its sub-units; profit centers not in master data
    (level 0); Unallocated; Unassigned; Eliminations; the group total.
    """
    status.require_step(con, period, "managed")
    rows = con.execute(
        """
        SELECT l.bucket, l.reached_pc,
               CASE WHEN l.source = 'allocation' THEN 'allocations'
                    WHEN a.type = 'revenue' THEN 'revenue'
                    ELSE 'expense' END AS category,
               sum(l.month_amount), sum(l.ytd_amount), sum(l.prior_amount)
        FROM management_line l LEFT JOIN account a ON a.account = l.account
        WHERE l.period = ?
        GROUP BY ALL
        """,
        [period],
    ).fetchall()
    by_key: dict[tuple[str, str], list[tuple[str, Decimal, Decimal, Decimal]]] = {}
    for bucket, pc, category, month, ytd, prior in rows:
        by_key.setdefault((bucket, pc), []).append((category, month, ytd, prior))

    units = con.execute(
        "SELECT business_unit, name, name_zh, parent FROM business_unit ORDER BY business_unit"
    ).fetchall()
    centers = con.execute(
        "SELECT profit_center, name, name_zh, business_unit FROM profit_center "
        "ORDER BY profit_center"
    ).fetchall()
    unit_codes = {u[0] for u in units}
    children: dict[str, list[tuple[str, str, str, str]]] = {}
    for unit in units:
        children.setdefault(unit[3] if unit[3] in unit_codes else "", []).append(unit)
    pcs_of: dict[str, list[tuple[str, str, str, str]]] = {}
    for pc in centers:
        pcs_of.setdefault(pc[3], []).append(pc)

    def pc_figures(code: str) -> tuple[Figures, ...]:
        return _triple(by_key.get(("profit_center", code), []))

    out: list[BusinessUnitLine] = []

    def visit(
        unit: tuple[str, str, str, str], level: int, seen: frozenset[str]
    ) -> tuple[Figures, ...]:
        code, name, name_zh, parent = unit
        at = len(out)
        total: tuple[Figures, ...] = (Figures(), Figures(), Figures())
        for pc_code, pc_name, pc_zh, _bu in pcs_of.get(code, []):
            figures = pc_figures(pc_code)
            total = tuple(a + b for a, b in zip(total, figures, strict=True))
            out.append(
                BusinessUnitLine(
                    "profit_center",
                    pc_code,
                    _name(settings, pc_name, pc_zh),
                    level + 1,
                    code,
                    *figures,
                )
            )
        for child in children.get(code, []):
            if child[0] not in seen:
                figures = visit(child, level + 1, seen | {child[0]})
                total = tuple(a + b for a, b in zip(total, figures, strict=True))
        shown_parent = parent if parent in unit_codes else ""
        out.insert(
            at,
            BusinessUnitLine(
                "business_unit", code, _name(settings, name, name_zh), level, shown_parent, *total
            ),
        )
        return total

    for root in children.get("", []):
        visit(root, 0, frozenset({root[0]}))

    # Profit centers reached by lines but missing from master data (or whose
    # business unit is missing) still count, so the total always ties.
    shown = {line.code for line in out if line.kind == "profit_center"}
    for bucket, pc in sorted(by_key):
        if bucket == "profit_center" and pc not in shown:
            out.append(BusinessUnitLine("profit_center", pc, pc, 0, "", *pc_figures(pc)))

    labels = LABELS.get(settings.language, LABELS["en"])
    special: tuple[LineKind, ...] = ("unallocated", "unassigned", "eliminations", "adjustments")
    for kind in special:
        figures = _triple(
            row for (bucket, _pc), found in by_key.items() if bucket == kind for row in found
        )
        out.append(BusinessUnitLine(kind, "", labels[kind], 0, "", *figures))
    total = _triple(row for found in by_key.values() for row in found)
    out.append(BusinessUnitLine("total", "", labels["total"], 0, "", *total))
    return out


def cost_center_report(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> list[CostCenterLine]:
    """Cost by department, cost center and account (month, YTD, prior month),
    sorted by department, cost center and account; all-zero rows left out."""
    status.require_step(con, period, "managed")
    rows = con.execute(
        """
        SELECT coalesce(cc.department, ''), l.cost_center,
               coalesce(cc.name, l.cost_center), coalesce(cc.name_zh, ''),
               coalesce(cc.entity, ''), l.account,
               coalesce(a.name, l.account), coalesce(a.name_zh, ''),
               sum(l.month_amount), sum(l.ytd_amount), sum(l.prior_amount)
        FROM management_line l
        LEFT JOIN cost_center cc ON cc.cost_center = l.cost_center
        LEFT JOIN account a ON a.account = l.account
        WHERE l.period = ? AND l.cost_center <> '' AND l.source NOT IN ('elimination', 'adjustment')
        GROUP BY ALL
        HAVING sum(l.month_amount) <> 0 OR sum(l.ytd_amount) <> 0 OR sum(l.prior_amount) <> 0
        ORDER BY 1, 2, 6
        """,
        [period],
    ).fetchall()
    return [
        CostCenterLine(
            dept,
            cc,
            _name(settings, cc_name, cc_zh),
            entity,
            account,
            _name(settings, acc_name, acc_zh),
            month,
            ytd,
            prior,
        )
        for dept, cc, cc_name, cc_zh, entity, account, acc_name, acc_zh, month, ytd, prior in rows
    ]


def allocation_report(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> list[AllocationLine]:
    """The allocation postings of the period's month, in cycle, sender and
    receiver order, with each one's fiscal-year-to-date amount."""
    status.require_step(con, period, "managed")
    rows = con.execute(
        """
        WITH ytd AS (
            SELECT cycle, sender, receiver, sum(amount) AS ytd_amount
            FROM allocation_posting
            WHERE period = $period AND month BETWEEN $fy AND $period
            GROUP BY ALL
        )
        SELECT a.cycle, a.sender, a.sender_entity, a.receiver, a.basis, a.share,
               a.sender_cost, a.amount, y.ytd_amount
        FROM allocation_posting a JOIN ytd y USING (cycle, sender, receiver)
        WHERE a.period = $period AND a.month = $period
        ORDER BY a.cycle, a.sender, a.receiver
        """,
        {"period": period, "fy": fiscal_year_start(period, settings.fiscal_year_start)},
    ).fetchall()
    return [AllocationLine(*row) for row in rows]


def management_warnings(con: duckdb.DuckDBPyConnection, period: str) -> list[str]:
    """Warnings of the period's month (cycles that sent nothing)."""
    rows = con.execute(
        "SELECT message FROM management_warning WHERE period = ? AND month = ? "
        "ORDER BY cycle, sender",
        [period, period],
    ).fetchall()
    return [str(r[0]) for r in rows]

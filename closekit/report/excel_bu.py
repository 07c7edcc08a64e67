"""``business_units.xlsx``: the vertical view (SPEC sections 8 and 10).

Business Units (the management P&L by business unit and profit center, with
Unallocated, Unassigned, Eliminations and the group total that ties to the
consolidated P&L), Cost Centers (cost by department, cost center and account)
and Allocations, all from :mod:`closekit.vertical`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from itertools import groupby
from pathlib import Path

import duckdb

from closekit.report import labels
from closekit.report.chart import ZERO
from closekit.report.excel_format import RATE, Sheet, cell, col_range, new_workbook
from closekit.report.queries import shared_allocations, shared_bu_pnl, shared_cost_centers
from closekit.report.sources import LedgerBalances
from closekit.report.vertical_columns import VerticalColumns, vertical_columns
from closekit.vertical import (
    AllocationLine,
    BusinessUnitLine,
    CostCenterLine,
    management_warnings,
)
from closekit.workspace import Settings

_MEASURES = ("revenue", "expense_cost", "allocations", "result")


def write_business_units_workbook(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    path: Path,
    draft: bool,
    ledger: LedgerBalances | None = None,
) -> Path:
    """``ledger`` shares the management queries with the site's pages."""
    shared = ledger or LedgerBalances(con, settings)
    language = settings.language
    workbook, formats = new_workbook(path, f"{settings.group_name} {period}", period)
    subtitle = f"{labels.text(language, 'period')} {period} · {settings.currency}"
    banner = (draft, language, settings.group_name, subtitle)
    columns = vertical_columns(con, settings, shared, period)
    _business_units(
        Sheet(workbook, formats, labels.text(language, "business_units")),
        language, banner, shared_bu_pnl(shared, con, settings, period), columns,
    )  # fmt: skip
    _cost_centers(
        Sheet(workbook, formats, labels.text(language, "cost_centers")),
        language, banner, shared_cost_centers(shared, con, settings, period), columns,
    )  # fmt: skip
    _allocations(
        Sheet(workbook, formats, labels.text(language, "allocations")),
        language, banner, shared_allocations(shared, con, settings, period),
        management_warnings(con, period),
    )  # fmt: skip
    workbook.close()
    return path


Banner = tuple[bool, str, str, str]


def _banner(sheet: Sheet, banner: Banner, what: str, note: str) -> None:
    draft, language, title, subtitle = banner
    sheet.banner(draft, language, f"{title} — {what}", f"{subtitle} · {note}")


def _business_units(
    sheet: Sheet,
    language: str,
    banner: Banner,
    lines: Sequence[BusinessUnitLine],
    columns: VerticalColumns,
) -> None:
    """Month and YTD revenue, expense, allocations and result, and the prior
    month's result. Result = revenue - expense - allocations, as a formula.
    A month the view cannot tell apart (the first period, when the members
    brought the year to date forward) is blank, with a note."""
    t = partial(labels.text, language)
    _banner(sheet, banner, t("management_pnl"), t("management_note"))
    measures = [t(m) for m in _MEASURES]
    month, ytd, prior = columns.columns
    sheet.header(
        [
            ["", "", t("month"), "", "", "", t("ytd"), "", "", "", t("prior_month")],
            ["", "", month.span(language), "", "", "", ytd.span(language), "", "", "",
             prior.span(language)],
            [t("business_unit") + " / " + t("profit_center"), t("name"), *measures, *measures,
             t("result")],
        ],
        right_from=2,
    )  # fmt: skip
    for line in lines:
        row = sheet.row
        bold = line.kind != "profit_center"
        ruled = {"top": 1, "bottom": 6} if line.kind == "total" else {}
        sheet.text(row, 0, line.code, bold=bold)
        sheet.text(row, 1, line.name, indent=line.level, bold=bold, **ruled)
        for start, figures, known in ((2, line.month, columns.month_known), (6, line.ytd, True)):
            if not known:
                for col in range(start, start + 4):
                    sheet.money(row, col, None, bold=bold, **ruled)
                continue
            sheet.money(row, start, figures.revenue, bold=bold, **ruled)
            sheet.money(row, start + 1, figures.expense, bold=bold, **ruled)
            sheet.money(row, start + 2, figures.allocations, bold=bold, **ruled)
            result = f"={cell(row, start)}-{cell(row, start + 1)}-{cell(row, start + 2)}"
            sheet.formula(row, start + 3, result, figures.result, bold=True, **ruled)
        shown = line.prior_month.result if columns.prior_known else None
        sheet.money(row, 10, shown, bold=True, **ruled)
        sheet.group(row, line.level)
        sheet.row += 1
    sheet.notes(columns.notes(language))
    sheet.finish(freeze_cols=2, min_widths={0: 12, 1: 34, **dict.fromkeys(range(2, 11), 14)})


def _cost_centers(
    sheet: Sheet,
    language: str,
    banner: Banner,
    lines: Sequence[CostCenterLine],
    columns: VerticalColumns,
) -> None:
    """Department, then cost center, then account, folded in that order; the
    department and cost-center rows total what is below them (SUBTOTAL)."""
    t = partial(labels.text, language)
    _banner(sheet, banner, t("cost_by_department"), t("cost_note"))
    sheet.header(
        [[t("department"), t("cost_center"), t("name"), t("entity"), t("account"), t("name"),
          *(t(c.key) for c in columns.columns)],
         ["", "", "", "", "", "", *(c.span(language) for c in columns.columns)]],
        right_from=6,
    )  # fmt: skip
    known = columns.known
    first = sheet.row
    for department, in_department in groupby(lines, key=lambda x: x.department):
        dept_lines = list(in_department)
        dept_row = sheet.row
        sheet.row += 1
        for _cc, in_cc in groupby(dept_lines, key=lambda x: x.cost_center):
            cc_lines = list(in_cc)
            cc_row = sheet.row
            sheet.row += 1
            for line in cc_lines:
                row = sheet.row
                sheet.text(row, 4, line.account)
                sheet.text(row, 5, line.account_name, indent=2)
                for col, amount, ok in zip((6, 7, 8), _figures(line), known, strict=True):
                    sheet.money(row, col, amount if ok else None)
                sheet.group(row, 2)
                sheet.row += 1
            head = cc_lines[0]
            sheet.text(cc_row, 1, head.cost_center, bold=True)
            sheet.text(cc_row, 2, head.cost_center_name, bold=True, indent=1)
            sheet.text(cc_row, 3, head.entity, bold=True)
            _subtotals(sheet, cc_row, sheet.row - 1, cc_lines, known, level=1)
        sheet.text(dept_row, 0, department, bold=True)
        _subtotals(sheet, dept_row, sheet.row - 1, dept_lines, known, level=0)
    row = sheet.row
    sheet.text(row, 2, t("total"), bold=True, top=1, bottom=6)
    _subtotals(sheet, row, row - 1, lines, known, level=0, first=first, top=1, bottom=6)
    sheet.row += 1
    sheet.notes(columns.notes(language))
    sheet.finish(
        freeze_cols=3, min_widths={0: 16, 1: 12, 2: 28, 3: 8, 4: 10, 5: 28, 6: 14, 7: 14, 8: 14}
    )


def _subtotals(
    sheet: Sheet,
    row: int,
    last: int,
    lines: Sequence[CostCenterLine],
    known: tuple[bool, bool, bool],
    level: int,
    first: int | None = None,
    **style: int,
) -> None:
    """SUBTOTAL(9, ...) of the rows below ``row`` (or from ``first``) through
    ``last``, for month, YTD and prior month; nested subtotals are skipped;
    a column not known is blank."""
    start = row + 1 if first is None else first
    values = [sum(column, ZERO) for column in zip(*(_figures(x) for x in lines), strict=True)]
    for col, value, ok in zip((6, 7, 8), values or [ZERO] * 3, known, strict=True):
        if not ok:
            sheet.money(row, col, None, bold=True, **style)
        elif last >= start:
            sheet.formula(row, col, f"=SUBTOTAL(9,{col_range(start, last, col)})", value,
                          bold=True, **style)  # fmt: skip
        else:
            sheet.money(row, col, value, bold=True, **style)
    sheet.group(row, level)


def _figures(line: CostCenterLine) -> tuple[Decimal, Decimal, Decimal]:
    return line.month, line.ytd, line.prior_month


def _allocations(
    sheet: Sheet,
    language: str,
    banner: Banner,
    lines: Sequence[AllocationLine],
    warnings: Sequence[str],
) -> None:
    t = partial(labels.text, language)
    _banner(sheet, banner, t("allocations"), t("management_note"))
    sheet.header(
        [[t(k) for k in ("cycle", "sender", "sender_entity", "receiver", "basis", "share",
                          "sender_cost", "month", "ytd")]],
        right_from=5,
    )  # fmt: skip
    first = sheet.row
    for line in lines:
        row = sheet.row
        sheet.text(row, 0, line.cycle)
        sheet.text(row, 1, line.sender)
        sheet.text(row, 2, line.sender_entity)
        sheet.text(row, 3, line.receiver)
        sheet.text(row, 4, line.basis)
        sheet.number(row, 5, line.share, RATE)
        sheet.money(row, 6, line.sender_cost)
        sheet.money(row, 7, line.amount)
        sheet.money(row, 8, line.ytd_amount)
        sheet.row += 1
    row = sheet.row
    sheet.text(row, 0, t("total"), bold=True, top=1, bottom=6)
    for col, value in ((7, sum((x.amount for x in lines), ZERO)),
                       (8, sum((x.ytd_amount for x in lines), ZERO))):  # fmt: skip
        if lines:
            sheet.formula(row, col, f"=SUM({col_range(first, row - 1, col)})", value,
                          bold=True, top=1, bottom=6)  # fmt: skip
        else:
            sheet.money(row, col, value, bold=True, top=1, bottom=6)
    sheet.row += 2
    if warnings:
        sheet.text(sheet.row, 0, t("warnings"), bold=True)
        sheet.row += 1
        for warning in warnings:
            sheet.text(sheet.row, 0, warning, font_color="#9C5700")
            sheet.row += 1
    sheet.finish(
        freeze_cols=1, min_widths={0: 12, 1: 12, 2: 10, 3: 12, 4: 9, 5: 14, 6: 16, 7: 16, 8: 16}
    )

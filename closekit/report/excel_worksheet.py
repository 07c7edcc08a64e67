"""The consolidation Worksheet of a node's workbook (SPEC section 10).

Accounts down, members across (translated), then Members total,
Eliminations, Top-side, NCI and Consolidated, with Excel formulas for the totals and
the Consolidated column so a controller can audit how the figures add up.
"""

from __future__ import annotations

from collections.abc import Sequence

from closekit.report import labels
from closekit.report.chart import ZERO
from closekit.report.excel_format import Sheet, cell, col_range
from closekit.report.excel_page import Page
from closekit.report.worksheet import NodeMember, WorksheetLine


def write_worksheet(
    sheet: Sheet,
    page: Page,
    members: Sequence[NodeMember],
    lines: Sequence[WorksheetLine],
) -> None:
    """Accounts down, members across (translated), then Members total,
    Eliminations, Top-side, NCI and Consolidated. Leaf rows: Members total =
    SUM of the members, Consolidated = Members total + Eliminations +
    Top-side + NCI. Summary rows
    and the bottom line: SUBTOTAL(9, ...) of the rows below, which skips
    nested subtotals, so every figure is counted once. Signed debit positive,
    so every column's bottom line is zero when its entries balance."""
    page.banner(sheet, "worksheet", page.t("signed_note"))
    t, language = page.t, page.language
    n = len(members)
    total_col, elim_col, top_col, nci_col, cons_col = 2 + n, 3 + n, 4 + n, 5 + n, 6 + n
    sheet.header(
        [
            [t("account"), t("name"), *(m.entity for m in members),
             t("members_total"), t("eliminations"), t("topside"), t("nci"),
             t("consolidated")],
            ["", "", *(labels.name(language, m.name, m.name_zh) for m in members),
             "", "", "", "", ""],
        ],
        right_from=2,
    )  # fmt: skip
    first = sheet.row
    last = first + len(lines) - 1
    for i, line in enumerate(lines):
        row = first + i
        bold = line.is_summary
        sheet.text(row, 0, line.account, bold=bold)
        sheet.text(row, 1, line.label, indent=line.level, bold=bold)
        values = [
            *line.members, line.members_total, line.eliminations, line.topside, line.nci,
            line.consolidated,
        ]  # fmt: skip
        if line.is_summary:
            end = _subtree_end(lines, i) + first
            for col, value in enumerate(values, start=2):
                if end > row:
                    rng = col_range(row + 1, end, col)
                    sheet.formula(row, col, f"=SUBTOTAL(9,{rng})", value, bold=True)
                else:
                    sheet.money(row, col, value, bold=True)
        else:
            for col, value in enumerate(line.members, start=2):
                sheet.money(row, col, value)
            members_sum = f"=SUM({cell(row, 2)}:{cell(row, 1 + n)})" if n else "=0"
            sheet.formula(row, total_col, members_sum, line.members_total)
            sheet.money(row, elim_col, line.eliminations)
            sheet.money(row, top_col, line.topside)
            sheet.money(row, nci_col, line.nci)
            consolidated = "=" + "+".join(
                cell(row, c) for c in (total_col, elim_col, top_col, nci_col)
            )
            sheet.formula(row, cons_col, consolidated, line.consolidated, bold=True)
        sheet.group(row, line.level)
    row = first + len(lines)
    sheet.text(row, 1, t("total"), bold=True, top=1, bottom=6)
    leaves = [x for x in lines if not x.is_summary]
    totals = [
        *(sum((x.members[i] for x in leaves), ZERO) for i in range(n)),
        sum((x.members_total for x in leaves), ZERO),
        sum((x.eliminations for x in leaves), ZERO),
        sum((x.topside for x in leaves), ZERO),
        sum((x.nci for x in leaves), ZERO),
        sum((x.consolidated for x in leaves), ZERO),
    ]
    for col, value in enumerate(totals, start=2):
        if lines:
            sheet.formula(row, col, f"=SUBTOTAL(9,{col_range(first, last, col)})", value,
                          bold=True, top=1, bottom=6)  # fmt: skip
        else:
            sheet.money(row, col, value, bold=True, top=1, bottom=6)
    sheet.row = row + 1
    sheet.finish(
        freeze_cols=2, min_widths={0: 10, 1: 32, **dict.fromkeys(range(2, cons_col + 1), 15)}
    )


def _subtree_end(lines: Sequence[WorksheetLine], index: int) -> int:
    """Index of the last line below ``lines[index]`` in the tree (depth-first
    order keeps an account's descendants right after it)."""
    end = index
    while end + 1 < len(lines) and lines[end + 1].level > lines[index].level:
        end += 1
    return end

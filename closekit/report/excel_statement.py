"""A balance sheet or income statement on one worksheet, and the trial balance."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from closekit.ledger import TBLine
from closekit.report import labels
from closekit.report.chart import ZERO
from closekit.report.excel_format import Formats, Sheet, col_range
from closekit.report.statements import Statement, StatementLine

# Computed totals get a rule above them; the statement's last total a double rule below.
_RULED = frozenset({
    "total_assets", "total_liabilities", "total_equity", "total_liabilities_equity",
    "profit_for_period", "equity_owners", "subtotal",
})  # fmt: skip
_FINAL = frozenset({"total_liabilities_equity", "profit_for_period"})


def _style(line: StatementLine) -> dict[str, int | bool]:
    style: dict[str, int | bool] = {"bold": line.is_subtotal}
    if line.key in _RULED:
        style["top"] = 1
    if line.key in _FINAL:
        style["bottom"] = 6  # double underline under the bottom line
    return style


def write_statement(
    workbook: Workbook,
    formats: Formats,
    statement: Statement,
    *,
    language: str,
    draft: bool,
    title: str,
    subtitle: str,
) -> None:
    """One line per account in tree order, indented and folded by depth,
    summary accounts and totals in bold; one amount column per period."""
    sheet = Sheet(workbook, formats, labels.text(language, statement.kind))
    sheet.banner(draft, language, title, subtitle)
    sheet.header(
        [
            [labels.text(language, "account"), labels.text(language, "name"),
             *(labels.text(language, c.key) for c in statement.columns)],
            ["", "", *(c.span(language) for c in statement.columns)],
        ],
        right_from=2,
    )  # fmt: skip
    for line in statement.lines:
        row, style = sheet.row, _style(line)
        sheet.text(row, 0, line.account, bold=line.is_subtotal)
        sheet.text(row, 1, line.label, indent=line.level, **style)
        for col, amount in enumerate(line.amounts, start=2):
            sheet.money(row, col, amount, **style)
        sheet.group(row, line.level)
        sheet.row += 1
    sheet.notes(statement.notes)
    sheet.finish(freeze_cols=2, min_widths={0: 10, 1: 36, **{2 + i: 16 for i in range(4)}})


def write_trial_balance(
    workbook: Workbook,
    formats: Formats,
    lines: Sequence[TBLine],
    names: dict[str, str],
    *,
    language: str,
    draft: bool,
    title: str,
    subtitle: str,
) -> None:
    """Posting accounts with a balance, debit and credit columns, and totals
    that are Excel formulas (debits equal credits when the ledger balances)."""
    sheet = Sheet(workbook, formats, labels.text(language, "trial_balance"))
    sheet.banner(draft, language, title, subtitle)
    sheet.header(
        [[labels.text(language, k) for k in ("account", "name", "type", "debit", "credit")]],
        right_from=3,
    )
    first = sheet.row
    for line in lines:
        row = sheet.row
        sheet.text(row, 0, line.account)
        sheet.text(row, 1, names.get(line.account, line.name))
        sheet.text(row, 2, labels.account_type(language, line.type))
        sheet.money(row, 3, line.amount if line.amount > 0 else None)
        sheet.money(row, 4, -line.amount if line.amount < 0 else None)
        sheet.row += 1
    row, last = sheet.row, max(sheet.row - 1, first)
    debit = sum((x.amount for x in lines if x.amount > 0), ZERO)
    credit = sum((-x.amount for x in lines if x.amount < 0), ZERO)
    sheet.text(row, 1, labels.text(language, "total"), bold=True, top=1, bottom=6)
    for col, value in ((3, debit), (4, credit)):
        if lines:
            sheet.formula(
                row, col, f"=SUM({col_range(first, last, col)})", value, bold=True, top=1, bottom=6
            )
        else:
            sheet.money(row, col, value, bold=True, top=1, bottom=6)
    sheet.row += 1
    sheet.finish(freeze_cols=2, min_widths={0: 10, 1: 36, 2: 10, 3: 16, 4: 16})

"""The complete statements' sheets of a node's workbook (SPEC 19.2): the
statement of comprehensive income, the statement of changes in equity, the
statement of cash flows, the roll-forwards (NCI, goodwill, CTA) and the
flows they are built on. The figures come from :mod:`closekit.statements`;
this module only lays them out.

Columns say the months they cover: the month (when the period before is in
the same fiscal year and consolidated), the year to date (from the fiscal
year's start, or the first period), and the same months a year earlier when
that period is consolidated.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
from xlsxwriter.workbook import Workbook

from closekit.errors import ClosekitError
from closekit.report.complete_columns import (
    CASH_TOTALS,
    StatementColumn,
    cash_figure,
    cash_keys,
    complete_columns,
    each,
    income_figure,
    years,
)
from closekit.report.excel_format import Formats, Sheet
from closekit.report.excel_page import Page
from closekit.report.node_statements import NodeStatements
from closekit.report.statement_labels import ROLL_TITLES, StatementWords, statement_words
from closekit.statements.cash_flow import SECTION_LABELS, CashFlowStatement
from closekit.statements.equity import COLUMNS, HEADINGS, EquityStatement
from closekit.statements.flows import prior_year_end
from closekit.statements.income import ComprehensiveIncome
from closekit.statements.queries import Flow
from closekit.statements.rollforward import RollForward
from closekit.workspace import Settings

# Sheet names and titles (English, Chinese).
_NAMES = {
    "income": ("Comprehensive Income", "综合收益表"),
    "equity": ("Changes in Equity", "所有者权益变动表"),
    "cash": ("Cash Flows", "现金流量表"),
    "roll": ("Roll-forwards", "变动表"),
    "flows": ("Flows", "变动明细"),
}


def _name(language: str, key: str) -> str:
    english, chinese = _NAMES[key]
    return chinese if language == "zh" else english


def write_complete_statements(
    workbook: Workbook,
    formats: Formats,
    page: Page,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    node: str,
    statements: NodeStatements,
) -> None:
    """The five sheets, after the income statement's; ``statements`` keeps
    the statements the site shows too."""
    language = settings.language
    words = statement_words(con, language)

    def sheet(key: str) -> Sheet:
        new = Sheet(workbook, formats, _name(language, key))
        new.banner(page.draft, language, f"{page.title} — {_name(language, key)}", page.subtitle)
        return new

    try:
        columns = complete_columns(statements, settings, period, node)
        _income(sheet("income"), words, columns, each(
            columns, lambda p: statements.income(p, node)
        ))  # fmt: skip
        # IAS 1.38, 34.20(c): the comparative is the same months a year earlier
        _equity(sheet("equity"), words, [
            (c.heading, statements.equity(c.period, node), prior_year_end(settings, c.period))
            for c in years(columns)
        ])  # fmt: skip
        _cash(sheet("cash"), words, columns, each(
            columns, lambda p: statements.cash_flow(p, node)
        ))  # fmt: skip
        _roll(sheet("roll"), words, [
            (c.heading, list(statements.rollforwards(c.period, node))) for c in years(columns)
        ])  # fmt: skip
        _flows(sheet("flows"), words, statements.flows(period, node))
    except ClosekitError as problem:  # e.g. flows not written: the prior year end not consolidated
        empty = sheet("flows")
        empty.text(empty.row, 0, str(problem), italic=True)
        empty.finish(freeze_cols=0)


def _income(
    sheet: Sheet,
    words: StatementWords,
    columns: list[StatementColumn],
    statements: Sequence[tuple[ComprehensiveIncome, ComprehensiveIncome | None]],
) -> None:
    """Per column: the total; the year to date also split owners / NCI."""
    heads = [c.heading for c in columns]
    ytd = next(n for n, c in enumerate(columns) if c.kind == "ytd")
    owners = words("head", "owners", "{}: owners of the parent").format(heads[ytd])
    sheet.header([["", *heads, owners, words("head", "nci", "{}: NCI").format(heads[ytd])]], 1)
    for line in statements[ytd][0].lines:
        row = sheet.row
        bold = line.line in ("profit", "oci", "comprehensive")
        heading = line.total is None
        label = words("income", line.line, line.label)
        sheet.text(row, 0, label, bold=bold or heading, indent=0 if bold or heading else 1)
        if not heading:
            for col, (now, before) in enumerate(statements, start=1):
                sheet.money(row, col, income_figure(now, before, line.line), bold=bold)
            sheet.money(row, len(columns) + 1, line.owners, bold=bold)
            sheet.money(row, len(columns) + 2, line.nci, bold=bold)
        sheet.row += 1
    sheet.notes([words("note", "income",
        "Presented credit positive (a profit, a gain). Exchange differences are the translation "
        "flows of the CTA and of NCI's share of it (closekit flows PERIOD --account CTA).",
    )])  # fmt: skip
    sheet.finish(freeze_cols=1, min_widths={0: 52})


def _equity(
    sheet: Sheet, words: StatementWords, blocks: Sequence[tuple[str, EquityStatement, str]]
) -> None:
    """One statement per (months, statement, its prior year end): the year
    to date, then the same months a year earlier."""
    heads = (words("equity_column", c, h) for c, h in zip(COLUMNS, HEADINGS, strict=True))
    sheet.header([["", *heads]], 1)
    for months, statement, prior in blocks:
        sheet.text(sheet.row, 0, months, bold=True, font_size=12)
        sheet.row += 1
        _equity_rows(sheet, words, statement, prior)
        sheet.row += 1
    sheet.notes([words("note", "equity",
        "IAS 1.106. Presented credit positive. Every column ends at the balance sheet's equity "
        "(check equity_statement).",
    )])  # fmt: skip
    sheet.finish(freeze_cols=1, min_widths={0: 52, **dict.fromkeys(range(1, 8), 16)})


def _equity_rows(
    sheet: Sheet, words: StatementWords, statement: EquityStatement, prior: str
) -> None:
    for row_data in statement.rows:
        row = sheet.row
        bold = row_data.row in ("opening", "comprehensive", "closing")
        if row_data.row in ("opening", "closing"):
            end = prior if row_data.row == "opening" else statement.period
            label = words.balance_at(end, row_data.label)
        else:
            label = words("equity", row_data.row, row_data.label)
        sheet.text(row, 0, label, bold=bold, indent=0 if bold else 1)
        for col, amount in enumerate(row_data.amounts, start=1):
            sheet.money(row, col, amount, bold=bold)
        sheet.row += 1


def _cash(
    sheet: Sheet,
    words: StatementWords,
    columns: list[StatementColumn],
    statements: Sequence[tuple[CashFlowStatement, CashFlowStatement | None]],
) -> None:
    sheet.header([["", *(c.heading for c in columns)]], 1)
    keys = cash_keys(statements)
    for section in SECTION_LABELS:
        in_section = [(s, line, label) for (s, line), label in keys.items() if s == section]
        if not in_section:
            continue
        if section != "fx":
            sheet.text(sheet.row, 0, words("section", section, SECTION_LABELS[section]), bold=True)
            sheet.row += 1
        for _, line, label in in_section:
            sheet.text(sheet.row, 0, words.cash_line(section, line, label), indent=1)
            for col, (now, before) in enumerate(statements, start=1):
                sheet.money(sheet.row, col, cash_figure(now, before, section, line))
            sheet.row += 1
        if section != "fx":
            net = words("net", section, f"Net cash from {section} activities")
            sheet.text(sheet.row, 0, net, bold=True)
            for col, (now, before) in enumerate(statements, start=1):
                sheet.money(sheet.row, col, cash_figure(now, before, section, None), bold=True)
            sheet.row += 1
    for key, english, of in CASH_TOTALS:
        sheet.text(sheet.row, 0, words("cash_total", key, english), bold=True)
        for col, (now, before) in enumerate(statements, start=1):
            sheet.money(sheet.row, col, of(now, before), bold=True)
        sheet.row += 1
    sheet.notes([words("note", "cash",
        "IAS 7, indirect method; cash in positive. Each line is the flows of the accounts of its "
        "cash_flow class (accounts.csv), opposite; the statement ends at the change in the cash "
        "accounts' balances (check cash_flow).",
    )])  # fmt: skip
    sheet.finish(freeze_cols=1, min_widths={0: 52})


def _roll(
    sheet: Sheet, words: StatementWords, blocks: Sequence[tuple[str, Sequence[RollForward]]]
) -> None:
    """Each roll-forward for each (months, roll-forwards): the year to date,
    then the same months a year earlier."""
    rolls = [(months, roll) for n in range(3) for months, of in blocks for roll in of[n : n + 1]]
    for months, roll in rolls:
        title = f"{words('roll', roll.kind, ROLL_TITLES[roll.kind])} — {months}"
        sheet.text(sheet.row, 0, title, bold=True, font_size=12)
        sheet.row += 1
        if not roll.lines:
            sheet.text(sheet.row, 0, words("roll", "none", "none"), italic=True)
            sheet.row += 2
            continue
        heads = ["", "", *(words("flow", f, f) for f in (*roll.flows, "closing"))]
        for col, head in enumerate(heads):
            sheet.text(
                sheet.row, col, head, bold=True, bottom=1, align="right" if col > 1 else "left"
            )
        sheet.row += 1
        for line in roll.lines:
            sheet.text(sheet.row, 0, line.item)
            sheet.text(sheet.row, 1, words.detail(line.detail))
            for col, value in enumerate(line.amounts, start=2):
                sheet.money(sheet.row, col, value, bold=col == len(line.amounts) + 1)
            sheet.row += 1
        sheet.row += 1
    sheet.notes(
        [words("note", "roll", "NCI and CTA presented credit positive, goodwill debit positive.")]
    )
    sheet.finish(freeze_cols=0, min_widths={0: 12, 1: 24})


def _flows(sheet: Sheet, words: StatementWords, flows: Sequence[Flow]) -> None:
    sheet.header(
        [[words("head", h, h) for h in ("entity", "account", "partner", "flow", "amount")]], 4
    )
    for flow in flows:
        sheet.text(sheet.row, 0, flow.entity)
        sheet.text(sheet.row, 1, flow.account)
        sheet.text(sheet.row, 2, flow.partner)
        sheet.text(sheet.row, 3, words("flow", flow.flow, flow.flow))
        sheet.money(sheet.row, 4, flow.amount)
        sheet.row += 1
    sheet.notes([words("note", "flows",
        "SPEC 19.1; debit positive; for every key opening + flows = closing (check flows_tie).",
    )])  # fmt: skip
    sheet.finish(freeze_cols=0, min_widths={0: 10, 1: 10, 2: 10, 3: 16, 4: 18})

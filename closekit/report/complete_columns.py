"""The columns of a node's complete statements (SPEC 19.2, 10; issue 13
item 6), shared by the workbooks (:mod:`closekit.report.excel_complete`) and
the site (:mod:`closekit.report.html_complete`) so both show the same figures
under the same headings.

The statements are fiscal year to date. Beside the year to date: the month
(when the period before is in the same fiscal year and its flows were
written: the difference of the two years to date), and the same months a
year earlier (when that period's flows were written: its own year to date).
Each column's heading says the months it covers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from closekit.periods import add_months, fiscal_year_start, period_folders
from closekit.report import labels
from closekit.report.node_statements import NodeStatements
from closekit.statements.cash_flow import CashFlowStatement
from closekit.statements.income import ComprehensiveIncome
from closekit.workspace import Settings

T = TypeVar("T")
ZERO = Decimal(0)


@dataclass(frozen=True)
class StatementColumn:
    """One column: ``kind`` ``month``, ``ytd`` or ``prior_year``; the
    statement at ``period`` (a year to date) less, for the month, the one at
    ``before``; ``heading`` the months it covers, in the report language."""

    kind: str
    period: str
    heading: str
    before: str = ""


def complete_columns(
    statements: NodeStatements, settings: Settings, period: str, node: str
) -> list[StatementColumn]:
    """The month (when it can be told), the year to date (from the fiscal
    year's start, or the first period), the same months a year earlier."""
    folders = period_folders(settings.ledgers_dir)
    start = fiscal_year_start(period, settings.fiscal_year_start)
    first = max([start, *folders[:1]])
    before = [p for p in folders if start <= p < period]
    language = settings.language
    out = []
    if before and statements.has_flows(before[-1], node):
        out.append(
            StatementColumn("month", period, labels.months(language, period, period), before[-1])
        )
    out.append(StatementColumn("ytd", period, labels.months(language, first, period)))
    prior = add_months(period, -12)
    if statements.has_flows(prior, node):
        prior_first = max([add_months(start, -12), *folders[:1]])
        out.append(
            StatementColumn("prior_year", prior, labels.months(language, prior_first, prior))
        )
    return out


def years(columns: Sequence[StatementColumn]) -> list[StatementColumn]:
    """The year-to-date columns: the year, then the same months a year
    earlier (IAS 1.38, 34.20(c): the statements shown as blocks, the
    equity statement and the roll-forwards)."""
    return [c for c in columns if c.kind != "month"]


def each(columns: Sequence[StatementColumn], build: Callable[[str], T]) -> list[tuple[T, T | None]]:
    """Per column: the statement at its period and, for the month, at the
    period before (subtracted)."""
    return [(build(c.period), build(c.before) if c.before else None) for c in columns]


def income_figure(
    now: ComprehensiveIncome, before: ComprehensiveIncome | None, line: str
) -> Decimal:
    """Line ``line``'s total in a column: the year to date less the one before."""
    return _income_total(now, line) - _income_total(before, line)


def _income_total(statement: ComprehensiveIncome | None, line: str) -> Decimal:
    if statement is None:
        return ZERO
    found = next((x for x in statement.lines if x.line == line), None)
    return ZERO if found is None or found.total is None else found.total


def cash_keys(
    statements: Sequence[tuple[CashFlowStatement, CashFlowStatement | None]],
) -> dict[tuple[str, str], str]:
    """(section, line) -> label of every line any column has, in order."""
    keys: dict[tuple[str, str], str] = {}
    for now, _ in statements:
        for item in now.lines:
            keys.setdefault((item.section, item.line), item.label)
    return keys


def cash_figure(
    now: CashFlowStatement, before: CashFlowStatement | None, section: str, line: str | None
) -> Decimal:
    """A line's (``line`` None: the section's) amount in a column."""
    return _cash_amount(now, section, line) - _cash_amount(before, section, line)


def _cash_amount(statement: CashFlowStatement | None, section: str, line: str | None) -> Decimal:
    if statement is None:
        return ZERO
    return sum(
        (x.amount for x in statement.lines if x.section == section and line in (None, x.line)),
        ZERO,
    )


# The totals below the sections: the change, the cash at the column's
# beginning (a month starts at the end of the period before) and at its end.
CASH_TOTALS: tuple[
    tuple[str, str, Callable[[CashFlowStatement, CashFlowStatement | None], Decimal]], ...
] = (
    ("change", "Net change in cash and cash equivalents",
     lambda now, before: now.total() - (before.total() if before else ZERO)),
    ("beginning", "Cash and cash equivalents at the beginning",
     lambda now, before: before.cash_closing if before else now.cash_opening),
    ("end", "Cash and cash equivalents at the end", lambda now, _: now.cash_closing),
)  # fmt: skip

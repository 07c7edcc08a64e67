"""The amount columns of a statement (SPEC section 10): which months each
covers and the stored balances behind it.

Every column says which months it covers (:meth:`Column.span`): a month, a
year to date from the fiscal year's first month, or a balance at a month
end. A column whose figures are not known (a period never closed, or the
first month of a consolidation whose members brought the year to date
forward in opening rows) is blank, and the statement says why in a note
(:func:`unknown_notes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from closekit.periods import add_months, fiscal_year_start, previous
from closekit.report import labels
from closekit.report.sources import Balances, BalanceSource


@dataclass(frozen=True)
class Column:
    """One amount column.

    key: its heading (labels.py): ``month``, ``ytd``, ``prior_month``,
        ``prior_year_ytd`` (flows of months), ``period_end``,
        ``prior_month_end``, ``prior_year_end`` (balances at a month end).
    period: the last month its figures cover, or the month at whose end
        the balances are.
    first: the first month a flow column covers; '' for a balance.
    """

    key: str
    period: str
    first: str = ""

    def span(self, language: str) -> str:
        """What the column covers: ``Nov 2026``, ``Jan–Nov 2026`` or ``30 Nov 2026``."""
        if self.first:
            return labels.months(language, self.first, self.period)
        return labels.month_end(language, self.period)


_MOVEMENTS = frozenset({"month", "prior_month"})


def balance_sheet_columns(source: BalanceSource, period: str) -> tuple[Column, ...]:
    """Period end and prior month end; the prior fiscal year end when it exists."""
    columns = [Column("period_end", period), Column("prior_month_end", previous(period))]
    year_end = previous(fiscal_year_start(period, source.fiscal_year_start))
    if year_end >= source.first_period and source.at(year_end) is not None:
        columns.append(Column("prior_year_end", year_end))
    return tuple(columns)


def income_statement_columns(source: BalanceSource, period: str) -> tuple[Column, ...]:
    """Month, YTD and prior month; the prior year's YTD when that period exists."""
    start = source.fiscal_year_start
    columns = [
        Column("month", period, period),
        Column("ytd", period, fiscal_year_start(period, start)),
        Column("prior_month", previous(period), previous(period)),
    ]
    last_year = add_months(period, -12)
    if last_year >= source.first_period and source.at(last_year) is not None:
        columns.append(Column("prior_year_ytd", last_year, fiscal_year_start(last_year, start)))
    return tuple(columns)


def column_balances(
    source: BalanceSource, columns: Sequence[Column], accounts: Iterable[str]
) -> list[Balances | None]:
    """Each column's stored balances: a month's movement of ``accounts``
    (the P&L), or the balances at a month end. The prior month end is the
    balances at the start of the period, which for an entity's first period
    are what its opening rows brought forward."""
    wanted = tuple(accounts)
    out: list[Balances | None] = []
    for column in columns:
        if column.key in _MOVEMENTS:
            out.append(source.movement(column.period, wanted))
        elif column.key == "prior_month_end":
            out.append(source.opening(add_months(column.period, 1)))
        else:
            out.append(source.at(column.period))
    return out


def unknown_notes(
    source: BalanceSource,
    columns: Sequence[Column],
    balances: Sequence[Balances | None],
    language: str,
) -> tuple[str, ...]:
    """Why a column is blank, when its period was never closed in closekit
    as such: the first month of a node whose members brought balances
    forward in opening rows."""
    notes = []
    for column, figures in zip(columns, balances, strict=True):
        if figures is not None:
            continue
        if column.period < source.first_period:
            key = "before_first" if column.key in _MOVEMENTS else "opening_unknown"
        elif column.key in _MOVEMENTS and source.brought_forward(column.period) is None:
            key = "month_unknown"
        else:
            continue  # a period not closed (yet)
        notes.append(labels.text(language, key).format(column.span(language)))
    return tuple(notes)

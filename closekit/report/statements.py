"""Statements drawn from the account tree (SPEC sections 1, 3, 7.3 and 10).

A statement is a list of :class:`StatementLine` in the tree's depth-first
order (:func:`closekit.report.chart.account_tree`), with a subtotal at every
summary account. The balance sheet holds asset, liability and equity
accounts; the income statement revenue and expense accounts. Lines carry
PRESENTED amounts (:func:`closekit.report.chart.presented`); stored data
never flips. Figures come from a :class:`closekit.report.sources.BalanceSource`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from closekit.periods import add_months, fiscal_year_start, previous
from closekit.report import labels
from closekit.report.chart import INCOME_TYPES, ZERO, Account, presented
from closekit.report.sources import Balances, BalanceSource

StatementKind = Literal["balance_sheet", "income_statement"]


@dataclass(frozen=True)
class Column:
    """One amount column: ``key`` names its label (labels.py), ``period`` the
    period end its figures belong to."""

    key: str
    period: str


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement.

    account: the account code, '' for a computed total.
    label: account name (or total text) in the report language.
    level: indent (depth in the account tree; totals at 0).
    is_subtotal: a summary account or a computed total (shown bold).
    amounts: presented amounts, one per column; None where the period has no
        finished balances.
    key: for computed totals, the labels.py key ('' for account lines).
    """

    account: str
    label: str
    level: int
    is_subtotal: bool
    amounts: tuple[Decimal | None, ...]
    key: str = ""


@dataclass(frozen=True)
class Statement:
    kind: StatementKind
    columns: tuple[Column, ...]
    lines: tuple[StatementLine, ...]

    def total(self, key: str) -> StatementLine:
        """The computed total line ``key`` (e.g. ``total_assets``)."""
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    def line(self, account: str) -> StatementLine:
        for line in self.lines:
            if line.account == account:
                return line
        raise KeyError(account)


def _column_balances(
    source: BalanceSource, columns: tuple[Column, ...], kind: StatementKind, accounts: Iterable[str]
) -> list[Balances | None]:
    wanted = tuple(accounts)
    out: list[Balances | None] = []
    for column in columns:
        if kind == "income_statement" and column.key in ("month", "prior_month"):
            out.append(source.movement(column.period, wanted))
        else:
            out.append(source.at(column.period))
    return out


def _sum(balances: Balances | None, accounts: Iterable[str]) -> Decimal | None:
    if balances is None:
        return None
    return sum((balances.get(a, ZERO) for a in accounts), ZERO)


def _neg(value: Decimal | None) -> Decimal | None:
    return None if value is None else -value


def _add(*values: Decimal | None) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), ZERO)


def _tree_lines(
    tree: tuple[Account, ...],
    types: tuple[str, ...],
    excluded: frozenset[str],
    balances: list[Balances | None],
    language: str,
) -> list[StatementLine]:
    """Every account of ``types`` in tree order, a subtotal at every summary
    account, lines with no balance in any column left out."""
    lines: list[StatementLine] = []
    for acc in tree:
        if acc.type not in types or acc.account in excluded:
            continue
        leaves = tuple(a for a in acc.leaves if a not in excluded)
        if not leaves:
            continue
        amounts = tuple(
            None if s is None else presented(acc.type, s)
            for s in (_sum(b, leaves) for b in balances)
        )
        has_balance = any(
            b is not None and any(b.get(a, ZERO) != 0 for a in leaves) for b in balances
        )
        if not has_balance:
            continue
        lines.append(
            StatementLine(
                account=acc.account,
                label=labels.name(language, acc.name, acc.name_zh),
                level=acc.level,
                is_subtotal=acc.is_summary,
                amounts=amounts,
            )
        )
    return lines


def _total(language: str, key: str, amounts: Iterable[Decimal | None]) -> StatementLine:
    return StatementLine("", labels.text(language, key), 0, True, tuple(amounts), key)


def _leaves_of(tree: tuple[Account, ...], types: Iterable[str]) -> tuple[str, ...]:
    wanted = set(types)
    return tuple(a.account for a in tree if not a.is_summary and a.type in wanted)


def balance_sheet_columns(source: BalanceSource, period: str) -> tuple[Column, ...]:
    """Period end and prior month end; the prior fiscal year end when it exists."""
    columns = [Column("period_end", period), Column("prior_month_end", previous(period))]
    year_end = previous(fiscal_year_start(period, source.fiscal_year_start))
    if year_end >= source.first_period and source.at(year_end) is not None:
        columns.append(Column("prior_year_end", year_end))
    return tuple(columns)


def income_statement_columns(source: BalanceSource, period: str) -> tuple[Column, ...]:
    """Month, YTD and prior month; the prior year's YTD when that period exists."""
    columns = [
        Column("month", period),
        Column("ytd", period),
        Column("prior_month", previous(period)),
    ]
    last_year = add_months(period, -12)
    if last_year >= source.first_period and source.at(last_year) is not None:
        columns.append(Column("prior_year_ytd", last_year))
    return tuple(columns)


def balance_sheet(
    tree: tuple[Account, ...],
    source: BalanceSource,
    period: str,
    language: str,
    consolidated: bool = False,
) -> Statement:
    """Assets, then liabilities, then equity with the year's result not yet
    closed to retained earnings, so that assets = liabilities + equity."""
    columns = balance_sheet_columns(source, period)
    balances = _column_balances(source, columns, "balance_sheet", ())
    lines: list[StatementLine] = []
    totals: dict[str, list[Decimal | None]] = {}
    for account_type, key in (
        ("asset", "total_assets"),
        ("liability", "total_liabilities"),
        ("equity", "total_equity"),
    ):
        leaves = _leaves_of(tree, [account_type])
        lines.extend(_tree_lines(tree, (account_type,), frozenset(), balances, language))
        section = [
            None if s is None else presented(account_type, s)
            for s in (_sum(b, leaves) for b in balances)
        ]
        if account_type == "equity":
            # The P&L is year to date until the fiscal-year roll moves it to
            # retained earnings: until then it is equity of its own line (all
            # P&L accounts, nci_profit included, because the NCI's share is
            # already in nci_equity).
            pnl = _leaves_of(tree, INCOME_TYPES)
            result = [_neg(_sum(b, pnl)) for b in balances]
            result_key = "current_year_owners" if consolidated else "current_year_result"
            lines.append(
                StatementLine("", labels.text(language, result_key), 1, False,
                              tuple(result), "current_year_result")
            )  # fmt: skip
            section = [_add(s, r) for s, r in zip(section, result, strict=True)]
        totals[key] = section
        lines.append(_total(language, key, section))
    both = [
        _add(a, b) for a, b in zip(totals["total_liabilities"], totals["total_equity"], strict=True)
    ]
    lines.append(_total(language, "total_liabilities_equity", both))
    return Statement("balance_sheet", columns, tuple(lines))


def income_statement(
    tree: tuple[Account, ...],
    source: BalanceSource,
    period: str,
    language: str,
    nci_profit: str,
    consolidated: bool,
) -> Statement:
    """Revenue and expenses in tree order, profit for the period, and for a
    consolidation node its split between the owners of the parent and the
    non-controlling interests (SPEC section 7.3). ``nci_profit`` sits below
    profit for the period, so it is left out of the tree."""
    columns = income_statement_columns(source, period)
    pnl = tuple(a for a in _leaves_of(tree, INCOME_TYPES) if a != nci_profit)
    balances = _column_balances(source, columns, "income_statement", (*pnl, nci_profit))
    lines = _tree_lines(tree, INCOME_TYPES, frozenset({nci_profit}), balances, language)
    profit = [_neg(_sum(b, pnl)) for b in balances]
    lines.append(_total(language, "profit_for_period", profit))
    if consolidated:
        # Dr nci_profit is the NCI's share of the profit (SPEC section 7.3).
        nci = [_sum(b, (nci_profit,)) for b in balances]
        owners = [_add(p, _neg(n)) for p, n in zip(profit, nci, strict=True)]
        lines.append(StatementLine("", labels.text(language, "attributable_owners"), 1, False,
                                   tuple(owners), "attributable_owners"))  # fmt: skip
        lines.append(StatementLine("", labels.text(language, "attributable_nci"), 1, False,
                                   tuple(nci), "attributable_nci"))  # fmt: skip
    return Statement("income_statement", columns, tuple(lines))

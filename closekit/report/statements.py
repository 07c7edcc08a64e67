"""Statements drawn from the account tree (SPEC sections 1, 3, 7.3 and 10).

A statement is a list of :class:`StatementLine` in the tree's depth-first
order (:func:`closekit.report.chart.account_tree`), with a subtotal at every
summary account. The balance sheet holds asset, liability and equity
accounts; the income statement revenue and expense accounts. Lines carry
PRESENTED amounts (:meth:`closekit.report.chart.Account.present`); stored
data never flips. Figures come from a
:class:`closekit.report.sources.BalanceSource`.

Its columns, each saying which months it covers, and the balances behind
them are in :mod:`closekit.report.statement_columns`.

How to add a statement: write a function that takes the tree, a source and
the period and returns a :class:`Statement` with its own ``kind`` (a labels.py
key naming it), its columns (:func:`balance_sheet_columns` or
:func:`income_statement_columns`, or new ones with a labels.py key) and its
lines; the Excel writer (``excel_statement.write_statement``) and the site's
``statement_table`` macro lay out any Statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from closekit.report import labels
from closekit.report.chart import INCOME_TYPES, ZERO, Account, presented
from closekit.report.sources import Balances, BalanceSource
from closekit.report.statement_columns import (
    Column,
    balance_sheet_columns,
    column_balances,
    income_statement_columns,
    unknown_notes,
)
from closekit.workspace import SpecialAccounts

# A labels.py key: balance_sheet, income_statement, and those added later.
StatementKind = str


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement.

    account: the account code, '' for a computed line.
    label: account name (or total text) in the report language.
    level: indent (depth in the account tree; totals at 0).
    is_subtotal: a summary account or a computed total (shown bold).
    amounts: presented amounts, one per column; None where the figures are
        not known.
    key: for computed lines, what they are: a labels.py key, or
        ``subtotal`` for a statement-layout subtotal ('' for account lines).
    """

    account: str
    label: str
    level: int
    is_subtotal: bool
    amounts: tuple[Decimal | None, ...]
    key: str = ""


@dataclass(frozen=True)
class Statement:
    """kind: a labels.py key naming it; notes: why a column is blank."""

    kind: StatementKind
    columns: tuple[Column, ...]
    lines: tuple[StatementLine, ...]
    notes: tuple[str, ...] = ()

    def total(self, key: str) -> StatementLine:
        """The computed line ``key`` (e.g. ``total_assets``)."""
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    def line(self, account: str) -> StatementLine:
        for line in self.lines:
            if line.account == account:
                return line
        raise KeyError(account)


# ---- lines -----------------------------------------------------------------------


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


def _account_line(
    acc: Account, excluded: frozenset[str], balances: Sequence[Balances | None], language: str
) -> StatementLine | None:
    """The line of one account (a subtotal of its posting accounts when it
    is a summary account); None when it has no balance in any column."""
    leaves = tuple(a for a in acc.leaves if a not in excluded)
    if not any(b is not None and any(b.get(a, ZERO) != 0 for a in leaves) for b in balances):
        return None
    amounts = tuple(
        None if s is None else acc.present(s) for s in (_sum(b, leaves) for b in balances)
    )
    label = labels.name(language, acc.name, acc.name_zh)
    return StatementLine(acc.account, label, acc.level, acc.is_summary, amounts)


def _tree_lines(
    tree: Sequence[Account],
    types: tuple[str, ...],
    balances: Sequence[Balances | None],
    language: str,
) -> list[StatementLine]:
    """Every account of ``types`` in tree order, a subtotal at every summary
    account, lines with no balance in any column left out."""
    lines = (_account_line(a, frozenset(), balances, language) for a in tree if a.type in types)
    return [line for line in lines if line is not None]


def _total(language: str, key: str, amounts: Iterable[Decimal | None]) -> StatementLine:
    return StatementLine("", labels.text(language, key), 0, True, tuple(amounts), key)


def _leaves_of(tree: Sequence[Account], types: Iterable[str]) -> tuple[str, ...]:
    wanted = set(types)
    return tuple(a.account for a in tree if not a.is_summary and a.type in wanted)


# ---- balance sheet ---------------------------------------------------------------


def balance_sheet(
    tree: Sequence[Account],
    source: BalanceSource,
    period: str,
    language: str,
    consolidated: bool = False,
    accounts: SpecialAccounts | None = None,
) -> Statement:
    """Assets, then liabilities, then equity with the year's result not yet
    closed to retained earnings, so that assets = liabilities + equity.
    ``accounts`` (closekit.toml) places the year's result beside retained
    earnings and NCI below the owners' equity."""
    columns = balance_sheet_columns(source, period)
    balances = column_balances(source, columns, ())
    lines: list[StatementLine] = []
    totals: dict[str, list[Decimal | None]] = {}
    for account_type, key in (("asset", "total_assets"), ("liability", "total_liabilities")):
        lines.extend(_tree_lines(tree, (account_type,), balances, language))
        leaves = _leaves_of(tree, [account_type])
        totals[key] = [_total_of(account_type, b, leaves) for b in balances]
        lines.append(_total(language, key, totals[key]))
    equity_lines, totals["total_equity"] = _equity_section(
        tree, balances, language, consolidated, accounts
    )
    lines.extend(equity_lines)
    both = [
        _add(a, b) for a, b in zip(totals["total_liabilities"], totals["total_equity"], strict=True)
    ]
    lines.append(_total(language, "total_liabilities_equity", both))
    notes = unknown_notes(source, columns, balances, language)
    return Statement("balance_sheet", columns, tuple(lines), notes)


def _total_of(
    account_type: str, balances: Balances | None, leaves: Iterable[str]
) -> Decimal | None:
    total = _sum(balances, leaves)
    return None if total is None else presented(account_type, total)


def _equity_section(
    tree: Sequence[Account],
    balances: Sequence[Balances | None],
    language: str,
    consolidated: bool,
    accounts: SpecialAccounts | None,
) -> tuple[list[StatementLine], list[Decimal | None]]:
    """Equity in tree order with the year's result (the P&L not yet rolled
    into retained earnings) on a line of its own right after retained
    earnings, counted in the subtotals of its summary accounts, so that the
    equity root's line equals total equity. On a consolidated balance sheet
    (or wherever NCI has a balance) the NCI line comes after "Equity
    attributable to owners of the parent" (IAS 1.54(q)-(r)): owners + NCI =
    total equity. All P&L accounts count in the result, nci_profit included:
    a node's NCI share of it is already in nci_equity (SPEC section 7.3)."""
    pnl = _leaves_of(tree, INCOME_TYPES)
    result = [_neg(_sum(b, pnl)) for b in balances]
    retained = accounts.retained_earnings if accounts else ""
    nci_equity = accounts.nci_equity if accounts else ""
    by_code = {a.account: a for a in tree}
    holder = by_code.get(retained)
    above: set[str] = set()
    parent = holder.parent if holder else ""
    while parent in by_code and parent not in above:
        above.add(parent)
        parent = by_code[parent].parent

    lines: list[StatementLine] = []
    for line in _tree_lines(tree, ("equity",), balances, language):
        if line.account in above:
            line = StatementLine(line.account, line.label, line.level, line.is_subtotal,
                                 tuple(_add(a, r) for a, r in zip(line.amounts, result,
                                                                  strict=True)))  # fmt: skip
        lines.append(line)
    place = {a.account: i for i, a in enumerate(tree)}
    after = place.get(retained, len(tree))
    at = sum(1 for line in lines if place.get(line.account, -1) <= after)
    result_key = "current_year_owners" if consolidated else "current_year_result"
    lines.insert(
        at,
        StatementLine("", labels.text(language, result_key), holder.level if holder else 1,
                      False, tuple(result), "current_year_result"),
    )  # fmt: skip

    leaves = _leaves_of(tree, ["equity"])
    total = [_add(_total_of("equity", b, leaves), r) for b, r in zip(balances, result, strict=True)]
    nci = [_neg(_sum(b, (nci_equity,))) for b in balances]
    nci_line = next((x for x in lines if nci_equity and x.account == nci_equity), None)
    if consolidated or nci_line is not None:
        owners = [_add(t, _neg(n)) for t, n in zip(total, nci, strict=True)]
        level = nci_line.level if nci_line else 1
        lines = [x for x in lines if x is not nci_line]
        lines.append(StatementLine("", labels.text(language, "equity_owners"), level, True,
                                   tuple(owners), "equity_owners"))  # fmt: skip
        if nci_line is not None:
            lines.append(nci_line)
    lines.append(_total(language, "total_equity", total))
    return lines, total


# ---- income statement ------------------------------------------------------------


def income_statement(
    tree: Sequence[Account],
    source: BalanceSource,
    period: str,
    language: str,
    nci_profit: str,
    consolidated: bool,
) -> Statement:
    """Revenue and expenses in tree order with the statement layout's
    running subtotals, profit for the period, and for a consolidation node
    its split between the owners of the parent and the non-controlling
    interests (SPEC section 7.3). ``nci_profit`` sits below profit for the
    period, so it is left out of the tree."""
    columns = income_statement_columns(source, period)
    pnl = tuple(a for a in _leaves_of(tree, INCOME_TYPES) if a != nci_profit)
    balances = column_balances(source, columns, (*pnl, nci_profit))
    lines = _income_lines(tree, frozenset({nci_profit}), balances, language)
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
    notes = unknown_notes(source, columns, balances, language)
    return Statement("income_statement", columns, tuple(lines), notes)


def _income_lines(
    tree: Sequence[Account],
    excluded: frozenset[str],
    balances: Sequence[Balances | None],
    language: str,
) -> list[StatementLine]:
    """The P&L accounts in tree order, and after the subtree of every
    account that names a subtotal (statement layout), that subtotal: the
    profit of every line above it (revenue less expenses, a loss negative)."""
    lines: list[StatementLine] = []
    above: list[str] = []  # posting accounts listed so far
    pending: list[Account] = []  # accounts whose subtotal follows their subtree

    def close(level: int) -> None:
        while pending and pending[-1].level >= level:
            acc = pending.pop()
            if lines:
                amounts = tuple(_neg(_sum(b, above)) for b in balances)
                label = labels.name(language, acc.subtotal, acc.subtotal_zh)
                lines.append(StatementLine("", label, acc.level, True, amounts, "subtotal"))

    for acc in tree:
        if acc.type not in INCOME_TYPES or acc.account in excluded:
            continue
        close(acc.level)
        line = _account_line(acc, excluded, balances, language)
        if line is not None:
            lines.append(line)
        if not acc.is_summary:
            above.append(acc.account)
        if acc.subtotal:
            pending.append(acc)
    close(0)
    return lines

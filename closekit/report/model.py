"""Statements drawn from the account tree (SPEC sections 1, 3, 7.3 and 10).

A statement is a list of :class:`StatementLine` in the tree's depth-first
order (``account.sort_key``), with a subtotal at every summary account. The
balance sheet holds asset, liability and equity accounts; the income
statement revenue and expense accounts. Lines carry PRESENTED amounts:
revenue, liabilities and equity are shown positive, which flips the stored
sign (debit positive) by the line's own account type; stored data never flips.

Figures come from a :class:`BalanceSource`: an entity's functional trial
balance (``ledger.trial_balance``) or a node's consolidated trial balance in
group currency (``consolidate.node_trial_balance``). A source only gives
finished balances at a period end (cumulative for the balance sheet,
year-to-date for the P&L); this module never recomputes accounting, it only
takes differences of year-to-date figures for the month columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Literal, TypeVar, cast

import duckdb

from closekit.periods import add_months, fiscal_year_start, period_folders, previous
from closekit.report import labels
from closekit.workspace import Settings

if TYPE_CHECKING:
    from closekit.ledger import TBLine

T = TypeVar("T")

ZERO = Decimal("0.00")

BALANCE_SHEET_TYPES = ("asset", "liability", "equity")
INCOME_TYPES = ("revenue", "expense")
# Credit-natured types are presented positive (SPEC section 1).
PRESENTED_NEGATED = frozenset({"revenue", "liability", "equity"})

StatementKind = Literal["balance_sheet", "income_statement"]
Balances = Mapping[str, Decimal]


def presented(account_type: str, stored: Decimal) -> Decimal:
    """The presented amount of a stored (debit positive) balance."""
    return -stored if account_type in PRESENTED_NEGATED else stored


@dataclass(frozen=True)
class Account:
    """One account of the chart with its place in the statement tree.

    level: depth in the tree (0 for a root), the indent of its line.
    leaves: the posting accounts at or below it (itself when it posts).
    """

    account: str
    name: str
    name_zh: str
    type: str
    parent: str
    is_summary: bool
    level: int
    leaves: tuple[str, ...]


def account_tree(con: duckdb.DuckDBPyConnection) -> tuple[Account, ...]:
    """The chart of accounts in statement order: depth first from the roots,
    siblings by ``sort_key`` then code. Walking the tree here (rather than
    trusting ``sort_key`` alone) guarantees that an account's descendants
    follow it contiguously, which the Excel subtotal formulas rely on."""
    rows = con.execute(
        "SELECT account, name, name_zh, type, parent FROM account ORDER BY sort_key, account"
    ).fetchall()
    by_code = {r[0]: r for r in rows}
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for code, *_, parent in rows:
        if parent and parent in by_code:
            children.setdefault(parent, []).append(code)
        else:
            roots.append(code)

    order: list[tuple[str, int]] = []
    seen: set[str] = set()
    stack = [(code, 0) for code in reversed(roots)]
    while stack:
        code, level = stack.pop()
        if code in seen:  # master data refuses cycles; never loop on one
            continue
        seen.add(code)
        order.append((code, level))
        stack.extend((child, level + 1) for child in reversed(children.get(code, [])))

    leaves: dict[str, tuple[str, ...]] = {}
    for code, _level in reversed(order):  # children before their parent
        below = children.get(code, [])
        found = [leaf for child in below for leaf in leaves.get(child, ())] if below else [code]
        leaves[code] = tuple(sorted(found))

    return tuple(
        Account(
            account=code, name=by_code[code][1], name_zh=by_code[code][2],
            type=by_code[code][3], parent=by_code[code][4], is_summary=code in children,
            level=level, leaves=leaves[code],
        )
        for code, level in order
    )  # fmt: skip


# ---- where the balances come from ------------------------------------------


@dataclass(frozen=True)
class BalanceSource:
    """Balances at a period end: account -> stored amount (debit positive).

    folders: the period folders (``ledgers/YYYY-MM``) in order; before the
        first every balance is zero.
    fiscal_year_start: month in which the P&L resets.
    fetch: balances at a folder period (balance sheet cumulative, P&L YTD).
    exists: whether a folder period has finished balances (posted or
        consolidated).
    """

    folders: tuple[str, ...]
    fiscal_year_start: int
    fetch: Callable[[str], Balances]
    exists: Callable[[str], bool]
    _cache: dict[str, Balances | None] = field(default_factory=dict, compare=False, repr=False)

    @property
    def first_period(self) -> str:
        return self.folders[0] if self.folders else ""

    def at(self, period: str) -> Balances | None:
        """Balances at ``period``; empty before the first period, None when unknown."""
        if period not in self._cache:
            self._cache[period] = self._load(period)
        return self._cache[period]

    def _load(self, period: str) -> Balances | None:
        if period < self.first_period:
            return {}
        if period in self.folders:
            return self.fetch(period) if self.exists(period) else None
        # A month without a folder has no movements (SPEC section 1): it holds
        # the balances of the latest earlier folder of the same fiscal year.
        # Across a fiscal-year start the P&L would have rolled: unknown here.
        earlier = [f for f in self.folders if f < period]
        year = fiscal_year_start(period, self.fiscal_year_start)
        if earlier and fiscal_year_start(earlier[-1], self.fiscal_year_start) == year:
            return self.at(earlier[-1])
        return None

    def movement(self, period: str, accounts: Iterable[str]) -> Balances | None:
        """P&L movement of the month: YTD(P) - YTD(P-1), or YTD(P) at the
        fiscal-year start, where the P&L starts again from zero."""
        current = self.at(period)
        if current is None:
            return None
        if fiscal_year_start(period, self.fiscal_year_start) == period:
            return {a: current.get(a, ZERO) for a in accounts}
        before = self.at(previous(period))
        if before is None:
            return None
        return {a: current.get(a, ZERO) - before.get(a, ZERO) for a in accounts}


def _status_exists(con: duckdb.DuckDBPyConnection, step: str) -> Callable[[str], bool]:
    assert step in ("posted", "consolidated"), step

    def exists(period: str) -> bool:
        row = con.execute(
            f"SELECT {step}_at IS NOT NULL FROM period_status WHERE period = ?", [period]
        ).fetchone()
        return bool(row and row[0])

    return exists


def _folders_through(settings: Settings, period: str) -> tuple[str, ...]:
    """The period folders a report of ``period`` may look back on."""
    return tuple(f for f in period_folders(settings.ledgers_dir) if f <= period)


class LedgerBalances:
    """Every entity's functional balances at a period, one ledger query per
    period for all entities (``ledger.balance_query``), so that writing the
    statements of 44 entities scans the journal a handful of times, not 44x.

    One report run passes one instance to the workbooks and the site, which
    show the same figures: :meth:`shared` keeps the other finished-table
    queries both need (node balances, intercompany pairs, translation, the
    management view) so that each runs once per report, not once per output.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
        self._con, self._settings = con, settings
        self._by_period: dict[str, dict[str, dict[str, Decimal]]] = {}
        self._keys: dict[str, frozenset[tuple[str, str]]] = {}
        self._posted_at = _status_exists(con, "posted")
        self._posted: dict[str, bool] = {}
        self._shared: dict[tuple[str, ...], tuple[object, ...]] = {}

    def shared(self, key: tuple[str, ...], fetch: Callable[[], Iterable[T]]) -> tuple[T, ...]:
        """``fetch()`` as a tuple, run the first time ``key`` is asked for.
        Reports read finished tables and write only files, so a query's
        answer cannot change within one report run."""
        if key not in self._shared:
            self._shared[key] = tuple(fetch())
        return cast("tuple[T, ...]", self._shared[key])

    def posted(self, period: str) -> bool:
        """Whether ``period`` is posted, asked once per period for all entities."""
        if period not in self._posted:
            self._posted[period] = self._posted_at(period)
        return self._posted[period]

    def at(self, period: str, entity: str) -> Balances:
        """``entity``'s non-zero account balances at ``period``."""
        self._fetch(period)
        return self._by_period[period].get(entity, {})

    def keys(self, period: str) -> frozenset[tuple[str, str]]:
        """(entity, account) of every non-zero balance at ``period`` by
        partner, profit and cost center, including accounts whose total is
        zero: the entity-account pages a report links to."""
        self._fetch(period)
        return self._keys[period]

    def _fetch(self, period: str) -> None:
        if period in self._by_period:
            return
        from closekit.ledger import balance_query

        # balance_query's rows are the non-zero balances by dimension; an
        # account's are summed here, and kept as a balance when not zero.
        rows = self._con.execute(
            f"""SELECT entity, account, sum(amount)::DECIMAL(18, 2)
                FROM ({balance_query(self._settings, period)})
                GROUP BY ALL"""
        ).fetchall()
        by_entity: dict[str, dict[str, Decimal]] = {}
        for code, account, amount in rows:
            if amount:
                by_entity.setdefault(code, {})[account] = amount
        self._by_period[period] = by_entity
        self._keys[period] = frozenset((str(code), str(account)) for code, account, _ in rows)


def entity_source(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    entity: str,
    period: str,
    ledger: LedgerBalances | None = None,
) -> BalanceSource:
    """An entity's functional-currency balances, as ``ledger.trial_balance``
    gives them, for a report of ``period``; pass one ``ledger`` to share its
    queries across entities."""
    shared = ledger or LedgerBalances(con, settings)
    return BalanceSource(
        _folders_through(settings, period),
        settings.fiscal_year_start,
        lambda at: shared.at(at, entity),
        shared.posted,
    )


def node_source(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    node: str,
    period: str,
    ledger: LedgerBalances | None = None,
) -> BalanceSource:
    """A node's consolidated group-currency balances
    (``consolidate.node_trial_balance``), for a report of ``period``; with
    ``ledger``, each trial balance is queried once per report run."""
    from closekit.consolidate import node_trial_balance

    def lines(at: str) -> list[TBLine]:
        return node_trial_balance(con, settings, at, node, "ytd")

    def fetch(at: str) -> Balances:
        if ledger is None:
            return {line.account: line.amount for line in lines(at)}
        shown = ledger.shared(("node_tb", node, at), partial(lines, at))
        return {line.account: line.amount for line in shown}

    return BalanceSource(
        _folders_through(settings, period),
        settings.fiscal_year_start,
        fetch,
        _status_exists(con, "consolidated"),
    )


# ---- statements ---------------------------------------------------------------


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


# ---- the consolidation worksheet ------------------------------------------------

# Consolidation entry steps shown in the worksheet's NCI column; every other
# step (intercompany and investment elimination) is an elimination.
NCI_STEPS = frozenset({"nci_result", "nci_reserves"})


@dataclass(frozen=True)
class NodeMember:
    """A member of a consolidation node (``node_member``) with its names."""

    entity: str
    name: str
    name_zh: str
    currency: str
    depth: int
    direct_parent: str
    ownership: Decimal
    effective: Decimal


def node_members(con: duckdb.DuckDBPyConnection, period: str, node: str) -> tuple[NodeMember, ...]:
    """The node itself first, then its members by depth and code."""
    rows = con.execute(
        """
        SELECT m.entity, e.name, e.name_zh, e.currency, m.depth, m.direct_parent,
               m.ownership, m.effective
        FROM node_member m JOIN entity e USING (entity)
        WHERE m.period = ? AND m.node = ?
        ORDER BY m.depth, m.entity
        """,
        [period, node],
    ).fetchall()
    return tuple(NodeMember(*row) for row in rows)


@dataclass(frozen=True)
class WorksheetLine:
    """One account of a node's consolidation worksheet, group currency, signed
    (debit positive): each member's translated balance, then the node's
    eliminations and NCI entries. A summary account carries the sums of its
    posting accounts."""

    account: str
    label: str
    level: int
    is_summary: bool
    members: tuple[Decimal, ...]
    eliminations: Decimal
    nci: Decimal

    @property
    def members_total(self) -> Decimal:
        return sum(self.members, ZERO)

    @property
    def consolidated(self) -> Decimal:
        """SPEC 7.2: the members' translated balances plus the node's entries."""
        return self.members_total + self.eliminations + self.nci


def consolidation_worksheet(
    tree: tuple[Account, ...],
    language: str,
    members: Sequence[str],
    balances: Iterable[tuple[str, str, Decimal]],
    entries: Iterable[tuple[str, str, Decimal]],
) -> tuple[WorksheetLine, ...]:
    """Lines in tree order for every account with a figure in any column.

    balances: (entity, account, translated amount) of the members.
    entries: (step, account, amount) of the node's consolidation entries.
    """
    column = {entity: i for i, entity in enumerate(members)}
    by_member: dict[str, list[Decimal]] = {}
    for entity, account, amount in balances:
        if entity in column:
            by_member.setdefault(account, [ZERO] * len(members))[column[entity]] += amount
    elim: dict[str, Decimal] = {}
    nci: dict[str, Decimal] = {}
    for step, account, amount in entries:
        target = nci if step in NCI_STEPS else elim
        target[account] = target.get(account, ZERO) + amount
    lines: list[WorksheetLine] = []
    for acc in tree:
        figures = [(by_member.get(a), elim.get(a, ZERO), nci.get(a, ZERO)) for a in acc.leaves]
        if not any((m is not None and any(m)) or e or n for m, e, n in figures):
            continue
        totals = [ZERO] * len(members)
        for m, _e, _n in figures:
            for i, amount in enumerate(m or ()):
                totals[i] += amount
        lines.append(
            WorksheetLine(
                account=acc.account,
                label=labels.name(language, acc.name, acc.name_zh),
                level=acc.level,
                is_summary=acc.is_summary,
                members=tuple(totals),
                eliminations=sum((e for _m, e, _n in figures), ZERO),
                nci=sum((n for _m, _e, n in figures), ZERO),
            )
        )
    return tuple(lines)

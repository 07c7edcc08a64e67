"""Where the statements' figures come from: finished balances at a period end.

A :class:`BalanceSource` gives account -> stored amount (debit positive) at a
period end, cumulative for the balance sheet and year to date for the P&L:
an entity's functional trial balance (``ledger.trial_balance``, through one
shared :class:`LedgerBalances` per report run) or a node's consolidated trial
balance in group currency (``consolidate.node_trial_balance``). Nothing here
recomputes accounting; :meth:`BalanceSource.movement` only takes differences
of year-to-date figures for the month columns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

import duckdb

from closekit.periods import fiscal_year_start, period_folders, previous
from closekit.report.chart import ZERO
from closekit.workspace import Settings

if TYPE_CHECKING:
    from closekit.ledger import TBLine

T = TypeVar("T")

Balances = Mapping[str, Decimal]


@dataclass(frozen=True)
class BalanceSource:
    """Balances at a period end: account -> stored amount (debit positive).

    folders: the period folders (``ledgers/YYYY-MM``) in order.
    fiscal_year_start: month in which the P&L resets.
    fetch: balances at a folder period (balance sheet cumulative, P&L YTD).
    exists: whether a folder period has finished balances (posted or
        consolidated).
    brought_forward: what a period's opening rows bring in (SPEC section 4:
        balances brought forward, not movements, SPEC section 11); None
        when they are not known apart from the period's movements.
    before_first: the balances at the end of the month before the first
        period: none when nothing was brought forward, None (unknown) when
        only the opening rows know them and this source cannot say
        (a consolidation node).
    """

    folders: tuple[str, ...]
    fiscal_year_start: int
    fetch: Callable[[str], Balances]
    exists: Callable[[str], bool]
    brought_forward: Callable[[str], Balances | None] = lambda _period: {}
    before_first: Balances | None = field(default_factory=dict)
    _cache: dict[str, Balances | None] = field(default_factory=dict, compare=False, repr=False)

    @property
    def first_period(self) -> str:
        return self.folders[0] if self.folders else ""

    def at(self, period: str) -> Balances | None:
        """Balances at the end of ``period``; None when unknown."""
        if period not in self._cache:
            self._cache[period] = self._load(period)
        return self._cache[period]

    def _load(self, period: str) -> Balances | None:
        if period < self.first_period:
            return self.before_first
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

    def opening(self, period: str) -> Balances | None:
        """The balances at the start of ``period``: those at the end of the
        month before, plus what the period's opening rows bring forward (an
        entity's balances before its first period in closekit)."""
        before, brought = self.at(previous(period)), self.brought_forward(period)
        if before is None or brought is None:
            return None
        return {a: before.get(a, ZERO) + brought.get(a, ZERO) for a in {*before, *brought}}

    def movement(self, period: str, accounts: Iterable[str]) -> Balances | None:
        """P&L movement of the month: YTD(P) - YTD(P-1) - what opening rows
        brought forward into P (SPEC section 11: a month column excludes
        them); at the fiscal-year start YTD(P-1) is zero, the P&L starts
        again."""
        accounts = tuple(accounts)
        if period < self.first_period:
            # Before closekit's first period: only what the first period's
            # opening rows brought forward is known, as one amount.
            first = self.brought_forward(self.first_period)
            if first is None or any(first.get(a, ZERO) for a in accounts):
                return None
            return dict.fromkeys(accounts, ZERO)
        current, brought = self.at(period), self.brought_forward(period)
        if current is None or brought is None:
            return None
        if fiscal_year_start(period, self.fiscal_year_start) == period:
            before: Balances | None = {}
        else:
            before = self.at(previous(period))
        if before is None:
            return None
        return {
            a: current.get(a, ZERO) - before.get(a, ZERO) - brought.get(a, ZERO) for a in accounts
        }


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
        self._shared: dict[tuple[str, ...], Future[tuple[object, ...]]] = {}
        self._lock = threading.Lock()
        self._opening: dict[str, Mapping[str, Balances]] = {}

    def shared(self, key: tuple[str, ...], fetch: Callable[[], Iterable[T]]) -> tuple[T, ...]:
        """``fetch()`` as a tuple, run the first time ``key`` is asked for.
        Reports read finished tables and write only files, so a query's
        answer cannot change within one report run.

        Thread-safe: the read-ahead thread (:mod:`closekit.report.read_ahead`)
        asks for the same keys on its own cursor; whichever thread asks first
        fetches, the other waits for its answer (or its error)."""
        with self._lock:
            found = self._shared.get(key)
            mine = found is None
            if found is None:
                found = self._shared[key] = Future()
        if mine:
            try:
                found.set_result(tuple(fetch()))
            except BaseException as problem:
                found.set_exception(problem)
        return cast("tuple[T, ...]", found.result())

    def pnl_accounts(self) -> frozenset[str]:
        """The revenue and expense accounts of the chart."""
        found = self.shared(
            ("pnl_accounts",),
            lambda: (str(a) for (a,) in self._con.execute(
                "SELECT account FROM account WHERE type IN ('revenue', 'expense')"
            ).fetchall()),
        )  # fmt: skip
        return frozenset(found)

    def posted(self, period: str) -> bool:
        """Whether ``period`` is posted, asked once per period for all entities."""
        if period not in self._posted:
            self._posted[period] = self._posted_at(period)
        return self._posted[period]

    def at(self, period: str, entity: str) -> Balances:
        """``entity``'s non-zero account balances at ``period``."""
        self._fetch(period)
        return self._by_period[period].get(entity, {})

    def opening_rows(self, period: str) -> Mapping[str, Balances]:
        """Per entity, what its opening rows posted in ``period`` bring
        forward, by account (functional; SPEC section 4: an entity's opening
        rows sit in the folder of its own first period)."""
        if period not in self._opening:
            rows = self._con.execute(
                """SELECT entity, account, sum(amount)::DECIMAL(18, 2) FROM journal
                   WHERE period = ? AND module = 'opening'
                   GROUP BY ALL HAVING sum(amount) <> 0""",
                [period],
            ).fetchall()
            found: dict[str, dict[str, Decimal]] = {}
            for code, account, amount in rows:
                found.setdefault(str(code), {})[str(account)] = amount
            self._opening[period] = found
        return self._opening[period]

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
    queries across entities. Its opening rows are its balances brought
    forward: the month columns leave them out, the balance sheet's prior
    month end of its first period shows them."""
    shared = ledger or LedgerBalances(con, settings)
    return BalanceSource(
        _folders_through(settings, period),
        settings.fiscal_year_start,
        lambda at: shared.at(at, entity),
        shared.posted,
        brought_forward=lambda at: shared.opening_rows(at).get(entity, {}),
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
    ``ledger``, each trial balance is queried once per report run.

    When members brought balances forward in the first period (opening
    rows), the node's balances before it were never consolidated: its prior
    month end is unknown there, and so is its first month's P&L when the
    opening rows carry a year-to-date result (the consolidation entries of
    that period cover the whole year to date). Later periods are differences
    of finished balances."""
    from closekit.consolidation import node_trial_balance

    shared = ledger or LedgerBalances(con, settings)

    def lines(at: str) -> list[TBLine]:
        return node_trial_balance(con, settings, at, node, "ytd")

    def fetch(at: str) -> Balances:
        shown = shared.shared(("node_tb", node, at), partial(lines, at))
        return {line.account: line.amount for line in shown}

    folders = _folders_through(settings, period)
    first = folders[0] if folders else ""
    brought, year_brought = _brought_forward(con, shared, node, first)
    return BalanceSource(
        folders,
        settings.fiscal_year_start,
        fetch,
        _status_exists(con, "consolidated"),
        brought_forward=lambda at: None if at == first and year_brought else {},
        before_first=None if brought else {},
    )


def _brought_forward(
    con: duckdb.DuckDBPyConnection, ledger: LedgerBalances, node: str, first: str
) -> tuple[bool, bool]:
    """Whether the node's members brought balances forward in opening rows
    in the first period ``first``, and whether those include P&L accounts
    (a year-to-date result before the first period)."""
    if not first:
        return False, False
    members = {
        str(e)
        for (e,) in con.execute(
            "SELECT entity FROM node_member WHERE period = ? AND node = ?", [first, node]
        ).fetchall()
    }
    brought = [b for e, b in ledger.opening_rows(first).items() if e in members]
    pnl = ledger.pnl_accounts()
    return bool(brought), any(account in pnl for b in brought for account in b)


def node_month_known(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    ledger: LedgerBalances,
    node: str,
    month: str,
) -> bool:
    """Whether a node's P&L movement of ``month`` is known (see
    :func:`node_source`): not before the first period when balances were
    brought forward, nor in the first period when they include the year's
    result. The management view (SPEC section 8) shows the group's members
    the same way."""
    folders = period_folders(settings.ledgers_dir)
    first = folders[0] if folders else ""
    brought, year_brought = _brought_forward(con, ledger, node, first)
    if month < first:
        return not brought
    return not (month == first and year_brought)

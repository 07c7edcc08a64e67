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

from collections.abc import Callable, Iterable, Mapping
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
    from closekit.consolidation import node_trial_balance

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

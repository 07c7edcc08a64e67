"""A node's complete statements (SPEC 19.2) as one report run shows them.

The workbooks (:mod:`closekit.report.excel_complete`) and the site
(:mod:`closekit.report.html_complete`) lay out the same statements of the
same nodes: each is built once per report run, by :mod:`closekit.statements`,
and kept by the run's :class:`~closekit.report.sources.LedgerBalances`
(:meth:`~closekit.report.sources.LedgerBalances.shared`). Building one costs
several queries and the statements' own guards (the period consolidated, the
node one of its nodes); at seeds a node's seven statements at three periods
were asked for twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import duckdb

from closekit.report.sources import LedgerBalances
from closekit.statements.cash_flow import CashFlowStatement, cash_flow_statement
from closekit.statements.equity import EquityStatement, equity_statement
from closekit.statements.income import ComprehensiveIncome, comprehensive_income
from closekit.statements.queries import Flow, node_flows
from closekit.statements.rollforward import (
    RollForward,
    cta_rollforward,
    goodwill_rollforward,
    nci_rollforward,
)
from closekit.workspace import Settings

T = TypeVar("T")


class NodeStatements:
    """The statements of the nodes of one report run, each built on first use.

    ``period`` is the period a statement is at (a month column also asks for
    the period before it, a prior-year column for the same month a year
    earlier)."""

    def __init__(
        self, ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, settings: Settings
    ) -> None:
        self._ledger, self._con, self._settings = ledger, con, settings

    def _once(self, kind: str, period: str, node: str, build: Callable[[], T]) -> T:
        return self._ledger.shared(("node_statement", kind, period, node), lambda: (build(),))[0]

    def has_flows(self, period: str, node: str) -> bool:
        """Whether the flows of ``node`` at ``period`` were written (they are
        not when the prior fiscal year end is not consolidated)."""
        return self._once("has_flows", period, node, lambda: bool(self._con.execute(
            "SELECT 1 FROM node_flow WHERE period = ? AND node = ? LIMIT 1", [period, node]
        ).fetchone()))  # fmt: skip

    def income(self, period: str, node: str) -> ComprehensiveIncome:
        return self._once("income", period, node, lambda: comprehensive_income(
            self._con, self._settings, period, node
        ))  # fmt: skip

    def equity(self, period: str, node: str) -> EquityStatement:
        return self._once("equity", period, node, lambda: equity_statement(
            self._con, self._settings, period, node
        ))  # fmt: skip

    def cash_flow(self, period: str, node: str) -> CashFlowStatement:
        return self._once("cash_flow", period, node, lambda: cash_flow_statement(
            self._con, self._settings, period, node
        ))  # fmt: skip

    def rollforwards(self, period: str, node: str) -> tuple[RollForward, ...]:
        """NCI per subsidiary, goodwill per acquisition, CTA per entity."""
        return self._once("rollforwards", period, node, lambda: tuple(
            roll(self._con, self._settings, period, node)
            for roll in (nci_rollforward, goodwill_rollforward, cta_rollforward)
        ))  # fmt: skip

    def flows(self, period: str, node: str) -> tuple[Flow, ...]:
        return self._once("flows", period, node, lambda: tuple(
            node_flows(self._con, period, node)
        ))  # fmt: skip


def node_statements(
    ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, settings: Settings
) -> NodeStatements:
    """The run's statements: one :class:`NodeStatements` per ``ledger``."""
    return ledger.shared(("node_statements",), lambda: (NodeStatements(ledger, con, settings),))[0]

"""The report run's queries, run ahead on a thread of their own.

The renderers are Python (the GIL), DuckDB is not: while the main thread
lays out one node's workbook, a second thread, on a cursor of its own, runs
the queries the next workbooks and the site will ask for, in the order they
will ask, and leaves each answer with the run's
:class:`~closekit.report.sources.LedgerBalances` under the key the renderers
ask for it by (:meth:`~closekit.report.sources.LedgerBalances.shared`).
Whichever thread asks for a key first fetches it; the other waits for that
answer, so nothing runs twice and a renderer never reads a half-built one.
A failing query fails where it is used, as if it had run there.

What runs ahead: each node's complete statements and intercompany pairs
(the group first), the group's intercompany reconciliation, the management
view, and the site's balance keys and journal lines (its largest query).
Reports read finished tables only, so the answers are the same whichever
thread fetched them, and so are the bytes of every output. A locked
period's report reads no query ahead (see :func:`reading_ahead`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from functools import partial

import duckdb

from closekit import snapshot
from closekit.consolidation import consolidation_nodes
from closekit.errors import ClosekitError
from closekit.report import line_pages, queries
from closekit.report.node_statements import NodeStatements
from closekit.report.sources import LedgerBalances
from closekit.workspace import Settings


@contextmanager
def reading_ahead(
    ledger: LedgerBalances,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    skip: frozenset[str],
    skip_nodes: frozenset[str] = frozenset(),
) -> Iterator[None]:
    """Run the report's queries ahead while the body renders; at the end,
    what has not started is dropped and what runs is waited for. The
    nodes in ``skip_nodes`` (workbook and pages reused) are not read.

    Not for a locked period: it reads the master data it was locked with
    from this connection's TEMP tables (:mod:`closekit.snapshot`), which
    another cursor does not see; its report runs every query in turn."""
    if snapshot.in_use(con) is not None:
        yield
        return
    cursor = con.cursor()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-read-ahead")
    nodes = consolidation_nodes(con, period)  # the group first, always rendered
    nodes = [n for i, n in enumerate(nodes) if i == 0 or n not in skip_nodes]
    try:
        for task in _tasks(ledger, cursor, settings, period, nodes, skip):
            executor.submit(_quietly, task)
        yield
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        cursor.close()


def _quietly(task: Callable[[], object]) -> None:
    """A closekit error (say, flows not written for a node) is kept with the
    answer and raised where the renderer asks for it."""
    with suppress(ClosekitError):
        task()


def _tasks(
    ledger: LedgerBalances,
    cur: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    nodes: list[str],
    skip: frozenset[str],
) -> Iterator[Callable[[], object]]:
    """The queries in the order the renderers ask for them: the node
    workbooks (group first), the business units, then the site."""
    statements = NodeStatements(ledger, cur, settings)
    for i, node in enumerate(nodes):
        yield partial(statements.has_flows, period, node)
        yield partial(statements.income, period, node)
        yield partial(statements.equity, period, node)
        yield partial(statements.cash_flow, period, node)
        yield partial(statements.rollforwards, period, node)
        yield partial(statements.flows, period, node)
        yield partial(queries.shared_intercompany_pairs, ledger, cur, settings, period, node)
        if i == 0:
            yield partial(queries.shared_ic_reconciliation, ledger, cur, settings, period, node)
    yield partial(queries.shared_bu_pnl, ledger, cur, settings, period)
    yield partial(queries.shared_cost_centers, ledger, cur, settings, period)
    yield partial(queries.shared_allocations, ledger, cur, settings, period)
    yield partial(queries.shared_balance_keys, ledger, cur, period, skip)
    yield partial(line_pages.shared_journal_lines, ledger, cur, settings, period, skip)

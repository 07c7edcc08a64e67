"""What the audit site shows below the statements, read from finished tables.

The statements come from :mod:`closekit.report.statements`; this module reads the
drill-down layers beneath a statement line, straight from the tables the
close wrote (SPEC section 10: every figure links down):

    consolidated line  -> members' translated balances + consolidation entries
    entity balance     -> balance keys (partner, profit center, cost center)
    balance key        -> the period's journal lines -> source file:row

Every query is set-based over the whole period; the only thing done here is
summing finished balances by the key a page shows, never accounting.
Journal lines per page are capped (:data:`LINE_CAP`) so that the site stays
bounded at tens of millions of rows; ``closekit drill`` gives the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import groupby
from typing import Any, NamedTuple

import duckdb

from closekit.consolidation import ICPair, intercompany_pairs
from closekit.consolidation.translation import TranslationLine, translation_summary
from closekit.ledger import ledger_lines_query
from closekit.periods import fiscal_year_start
from closekit.report.sources import LedgerBalances
from closekit.vertical import (
    AllocationLine,
    BusinessUnitLine,
    CostCenterLine,
    allocation_report,
    bu_pnl,
    cost_center_report,
)
from closekit.workspace import Settings

LINE_CAP = 100  # journal lines shown per entity x account page (measured: ~60 µs a line)
REJECT_CAP = 500  # rejected rows shown per file page
_FETCH = 10_000


class Entity(NamedTuple):
    entity: str
    name: str
    name_zh: str
    currency: str
    parent: str
    ownership_pct: Decimal
    method: str


class Member(NamedTuple):
    """A member's translated balance on one account of one node."""

    node: str
    account: str
    entity: str
    amount: Decimal  # functional
    amount_group: Decimal


class Entry(NamedTuple):
    """A consolidation entry of one node on one account, by step and pair."""

    node: str
    account: str
    step: str
    entity: str
    partner: str
    amount_group: Decimal
    note: str


class BalanceKey(NamedTuple):
    """An entity's balance on one account by dimensions (SPEC section 6)."""

    entity: str
    account: str
    partner: str
    profit_center: str
    cost_center: str
    rate_kind: str
    amount: Decimal
    amount_group: Decimal


class SourceRow(NamedTuple):
    """A source row's own columns (``source_row``), beyond those its journal
    line repeats (date, document, line, kind, dimensions, currency)."""

    account: str
    counterparty: str
    item: str
    quantity: Decimal | None
    description: str
    net_amount: Decimal | None
    tax_amount: Decimal | None
    value: Decimal | None
    debit: Decimal | None
    credit: Decimal | None
    amount: Decimal | None
    amount_group: Decimal | None
    amount_doc: Decimal | None
    extra: str


class JournalLine(NamedTuple):
    entity: str
    account: str
    date: str
    module: str
    kind: str
    doc_id: str
    line: str
    partner: str
    profit_center: str
    cost_center: str
    currency: str
    amount_doc: Decimal
    amount: Decimal
    path: str
    row_no: int | None
    source: SourceRow | None


class LinePage(NamedTuple):
    """The lines shown on one entity x account page, and all of them:
    ``line_count`` lines summing to ``total`` (the balance)."""

    entity: str
    account: str
    lines: list[JournalLine]
    line_count: int
    total: Decimal


class SourceFile(NamedTuple):
    path: str
    period: str
    module: str
    sha256: str
    read: int
    accepted: int
    rejected: int


class Reject(NamedTuple):
    path: str
    row_no: int | None
    column: str
    message: str


class Rate(NamedTuple):
    currency: str
    closing: Decimal | None
    average: Decimal | None


def entities(con: duckdb.DuckDBPyConnection) -> list[Entity]:
    rows = con.execute(
        "SELECT entity, name, name_zh, currency, parent, ownership_pct, method FROM entity "
        "ORDER BY entity"
    ).fetchall()
    return [Entity(*r) for r in rows]


def nodes(con: duckdb.DuckDBPyConnection, period: str) -> list[str]:
    rows = con.execute(
        "SELECT DISTINCT node FROM node_member WHERE period = ? ORDER BY node", [period]
    ).fetchall()
    return [r[0] for r in rows]


def node_members(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT node, entity FROM node_member WHERE period = ? ORDER BY node, depth, entity",
        [period],
    ).fetchall()
    out: dict[str, list[str]] = {}
    for node, entity in rows:
        out.setdefault(node, []).append(entity)
    return out


def member_balances(con: duckdb.DuckDBPyConnection, period: str) -> list[Member]:
    """Each node member's translated balance per account (SPEC 7.2: a node's
    consolidated balance is its members' translated balances plus its entries)."""
    rows = con.execute(
        """
        SELECT m.node, t.account, t.entity, sum(t.amount), sum(t.amount_group)
        FROM node_member m
        JOIN translated_balance t ON t.period = m.period AND t.entity = m.entity
        WHERE m.period = ?
        GROUP BY ALL
        HAVING sum(t.amount) <> 0 OR sum(t.amount_group) <> 0
        ORDER BY 1, 2, 3
        """,
        [period],
    ).fetchall()
    return [Member(*r) for r in rows]


def node_entries(con: duckdb.DuckDBPyConnection, period: str) -> list[Entry]:
    rows = con.execute(
        """
        SELECT node, account, step, entity, partner, sum(amount_group),
               string_agg(DISTINCT note, '; ' ORDER BY note)
        FROM consolidation_entry WHERE period = ?
        GROUP BY node, account, step, entity, partner
        HAVING sum(amount_group) <> 0
        ORDER BY node, account, step, entity, partner
        """,
        [period],
    ).fetchall()
    return [Entry(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "") for r in rows]


# Every non-zero translated balance key of the period ($period).
_BALANCE_KEYS = """
    SELECT entity, account, partner, profit_center, cost_center, rate_kind,
           sum(amount) AS amount, sum(amount_group) AS amount_group
    FROM translated_balance WHERE period = $period
    GROUP BY ALL
    HAVING sum(amount) <> 0 OR sum(amount_group) <> 0
"""


def balance_keys(
    con: duckdb.DuckDBPyConnection, period: str, skip: frozenset[str] = frozenset()
) -> list[BalanceKey]:
    """The balance keys of every entity but those in ``skip``."""
    rows = con.execute(
        f"""SELECT * FROM ({_BALANCE_KEYS})
            WHERE NOT list_contains($skip::VARCHAR[], entity) ORDER BY 1, 2, 3, 4, 5, 6""",
        {"period": period, "skip": sorted(skip)},
    ).fetchall()
    return [BalanceKey(*r) for r in rows]


def balance_key_accounts(con: duckdb.DuckDBPyConnection, period: str) -> set[tuple[str, str]]:
    """(entity, account) of every balance key of :func:`balance_keys`."""
    rows = con.execute(
        f"SELECT DISTINCT entity, account FROM ({_BALANCE_KEYS})", {"period": period}
    ).fetchall()
    return {(str(e), str(a)) for e, a in rows}


def journal_lines(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    cap: int = LINE_CAP,
    *,
    skip: frozenset[str] = frozenset(),
) -> Iterator[LinePage]:
    """Per entity and account, the first ``cap`` lines with their source
    rows, and the count and sum of all of them, streamed in key order so
    that memory stays bounded by one page.

    The lines are those of ``closekit drill``: every journal line that makes
    up the balance at ``period`` (cumulative for the balance sheet, year to
    date for the P&L, closed years' P&L on retained earnings), as
    :func:`closekit.ledger.ledger_lines_query` assigns them, so that all of
    them sum to the trial-balance figure. Entities in ``skip`` are left out.
    """
    year_start = fiscal_year_start(period, settings.fiscal_year_start)
    # The first ``cap`` lines of each page by a total order over every column,
    # picked with a bounded top-n per group (min_by ... n) rather than a
    # window over the whole ledger: linear in the journal's rows (measured on
    # 8 million lines: 4 s against 21 s for row_number()).
    order = (
        "period, date, module, doc_id, line, account, path, coalesce(row_no, -1), partner, "
        "profit_center, cost_center, currency, amount_doc, amount"
    )
    sort_key = order.replace("coalesce(row_no, -1)", "row_no := coalesce(row_no, -1)")
    cursor = con.execute(
        f"""
        WITH picked AS (
            SELECT entity, b_account, count(*) AS total, sum(amount) AS total_amount,
                   min_by(struct_pack(period, date, module, kind, doc_id, line, account, partner,
                                      profit_center, cost_center, currency, amount_doc, amount,
                                      path, row_no),
                          struct_pack({sort_key}), {int(cap)}) AS lines
            FROM ({ledger_lines_query(settings, period, year_start)})
            WHERE NOT list_contains($skip::VARCHAR[], entity)
            GROUP BY entity, b_account
        ),
        unnested AS (
            SELECT entity, b_account, total, total_amount, unnest(lines, recursive := true)
            FROM picked
        ),
        shown AS (  -- at most pages x cap rows: cheap to number
            SELECT *, row_number() OVER (PARTITION BY entity, b_account ORDER BY {order}) AS n
            FROM unnested
        )
        SELECT n.entity, n.b_account, strftime(n.date, '%Y-%m-%d'), n.module, n.kind, n.doc_id,
               n.line, n.partner, n.profit_center, n.cost_center, n.currency, n.amount_doc,
               n.amount, n.path, n.row_no,
               s.row_no IS NOT NULL, s.account, s.counterparty, s.item, s.quantity,
               s.description, s.net_amount, s.tax_amount, s.value, s.debit, s.credit, s.amount,
               s.amount_group, s.amount_doc, coalesce(s.extra, ''),
               n.total, n.total_amount
        FROM shown n
        LEFT JOIN source_row s
               ON s.period = n.period AND s.path = n.path AND s.row_no = n.row_no
        ORDER BY n.entity, n.b_account, n.n
        """,
        {"skip": sorted(skip)},
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        while batch := cursor.fetchmany(_FETCH):
            yield from batch

    for key, group in groupby(rows(), key=lambda r: (r[0], r[1])):
        lines = list(group)
        yield LinePage(
            str(key[0]),
            str(key[1]),
            [
                JournalLine._make([*r[:15], SourceRow._make(r[16:30]) if r[15] else None])
                for r in lines
            ],
            int(lines[0][-2]),
            Decimal(lines[0][-1]),
        )


def source_files(
    con: duckdb.DuckDBPyConnection, period: str, through: bool = False
) -> list[SourceFile]:
    """The current version of every file loaded for ``period``; with
    ``through``, of every period up to it, because a cumulative balance's
    lineage reaches back to earlier periods' files."""
    rows = con.execute(
        "SELECT path, period, module, sha256, read, accepted, rejected FROM load_file "
        f"WHERE period {'<=' if through else '='} ? AND current ORDER BY period DESC, path",
        [period],
    ).fetchall()
    return [SourceFile(*r) for r in rows]


def rejects(con: duckdb.DuckDBPyConnection, period: str, cap: int = REJECT_CAP) -> list[Reject]:
    """The first ``cap`` reasons of every file of the periods up to ``period``
    (rejects.csv holds all of the period's)."""
    rows = con.execute(
        """
        SELECT path, row_no, column_name, message FROM (
            SELECT *, row_number() OVER (PARTITION BY path
                                         ORDER BY row_no NULLS FIRST, column_name, message) AS n
            FROM reject WHERE period <= ?)
        WHERE n <= ? ORDER BY path, n
        """,
        [period, cap],
    ).fetchall()
    return [Reject(*r) for r in rows]


def rates(con: duckdb.DuckDBPyConnection, period: str) -> list[Rate]:
    rows = con.execute(
        "SELECT currency, closing, average FROM fx_rate WHERE period = ? ORDER BY currency",
        [period],
    ).fetchall()
    return [Rate(*r) for r in rows]


def checks(con: duckdb.DuckDBPyConnection, period: str) -> list[tuple[str, str, str]]:
    rows = con.execute(
        "SELECT check_id, status, detail FROM check_result WHERE period = ? ORDER BY seq",
        [period],
    ).fetchall()
    return [(str(c), str(s), str(d)) for c, s, d in rows]


def locked(con: duckdb.DuckDBPyConnection, period: str) -> bool:
    row = con.execute(
        "SELECT locked_at IS NOT NULL FROM period_status WHERE period = ?", [period]
    ).fetchone()
    return bool(row and row[0])


# ---- shared by the workbooks and the site -----------------------------------------
# Both outputs of a report run show these figures; each query runs once per
# run, kept by the run's LedgerBalances (see LedgerBalances.shared).


def shared_member_balances(
    ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, period: str
) -> tuple[Member, ...]:
    return ledger.shared(("member_balances", period), lambda: member_balances(con, period))


def shared_node_entries(
    ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, period: str
) -> tuple[Entry, ...]:
    return ledger.shared(("node_entries", period), lambda: node_entries(con, period))


def shared_translations(
    ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> tuple[TranslationLine, ...]:
    return ledger.shared(
        ("translation_summary", period), lambda: translation_summary(con, settings, period)
    )


def shared_intercompany_pairs(
    ledger: LedgerBalances,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    node: str,
) -> tuple[ICPair, ...]:
    return ledger.shared(
        ("intercompany_pairs", period, node),
        lambda: intercompany_pairs(con, settings, period, node),
    )


def shared_bu_pnl(
    ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> tuple[BusinessUnitLine, ...]:
    return ledger.shared(("bu_pnl", period), lambda: bu_pnl(con, settings, period))


def shared_cost_centers(
    ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> tuple[CostCenterLine, ...]:
    return ledger.shared(
        ("cost_center_report", period), lambda: cost_center_report(con, settings, period)
    )


def shared_allocations(
    ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> tuple[AllocationLine, ...]:
    return ledger.shared(
        ("allocation_report", period), lambda: allocation_report(con, settings, period)
    )

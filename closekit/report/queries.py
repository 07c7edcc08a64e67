"""What the audit site shows below the statements, read from finished tables.

The statements come from :mod:`closekit.report.statements`; this module reads the
drill-down layers beneath a statement line, straight from the tables the
close wrote (SPEC section 10: every figure links down):

    consolidated line  -> members' translated balances + consolidation entries
    entity balance     -> balance keys (partner, profit center, cost center)
    balance key        -> the period's journal lines -> source file:row

Every query is set-based over the whole period; the only thing done here is
summing finished balances by the key a page shows, never accounting.
The journal lines behind a balance are in :mod:`closekit.report.line_pages`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import duckdb

from closekit.consolidation import ICPair, intercompany_pairs, intercompany_reconciliation
from closekit.consolidation.reconciliation_records import ICReconciliation
from closekit.consolidation.translation_summary import TranslationLine, translation_summary
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

REJECT_CAP = 500  # rejected rows shown per file page


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


def shared_balance_keys(
    ledger: LedgerBalances, con: duckdb.DuckDBPyConnection, period: str, skip: frozenset[str]
) -> list[BalanceKey]:
    return list(ledger.shared(
        ("balance_keys", period, *sorted(skip)), lambda: balance_keys(con, period, skip)
    ))  # fmt: skip


def shared_ic_reconciliation(
    ledger: LedgerBalances,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    node: str,
) -> tuple[ICReconciliation, ...]:
    return ledger.shared(
        ("ic_reconciliation", period, node),
        lambda: intercompany_reconciliation(con, settings, period, node),
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

"""Entity trial balances in functional currency, and drill-down to journal lines (SPEC section 6).

A balance at period P is the sum of journal lines per entity x account x
partner x profit center x cost center:

- balance-sheet accounts (asset, liability, equity): cumulative since inception;
- revenue and expense accounts: year-to-date, from the fiscal year's first month;
- the fiscal-year roll: P&L lines of closed fiscal years stand on
  ``retained_earnings`` with empty dimensions.

All of it is one SQL text (:func:`balance_query`), which consolidation reuses.
It reads the journal's period totals (``journal_total``, which posting writes
with the lines, :func:`closekit.post.write_totals`), not every line;
drill-down reads the lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from closekit import status
from closekit.errors import UnknownCode
from closekit.periods import fiscal_year_start, previous
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

Basis = Literal["ytd", "period"]
PNL_TYPES = ("revenue", "expense")


@dataclass(frozen=True)
class TBLine:
    """One trial balance line: a posting account's balance, debit positive.

    account, name, type: from master data (type lower-case).
    amount: the balance (ytd/cumulative, or the period's movement).
    """

    account: str
    name: str
    type: str
    amount: Decimal


@dataclass(frozen=True)
class DrillLine:
    """One journal line behind a balance, with its lineage.

    account: the line's own account (a P&L account for lines that reach
        retained earnings through the fiscal-year roll).
    source: ``path:row`` of the source row, '' for generated lines (revaluation).
    """

    period: str
    date: date
    entity: str
    account: str
    partner: str
    profit_center: str
    cost_center: str
    module: str
    kind: str
    doc_id: str
    line: str
    currency: str
    amount_doc: Decimal
    amount: Decimal
    source: str


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _keyed(table: str, settings: Settings, through: str, year_start: str) -> str:
    """The rows of ``table`` (``journal`` or ``journal_total``, both with
    period, account and dimensions) through ``through``, each with the
    balance key it counts on when the fiscal year in progress started at
    ``year_start``: ``rolled``, ``b_account``, ``b_partner``,
    ``b_profit_center``, ``b_cost_center``. A P&L row of an earlier (closed)
    fiscal year counts on retained earnings with empty dimensions (the roll);
    every other row counts on its own account and dimensions."""
    retained = _literal(settings.accounts.retained_earnings)
    return f"""
        SELECT j.*,
               CASE WHEN rolled THEN {retained} ELSE j.account END AS b_account,
               CASE WHEN rolled THEN '' ELSE j.partner END AS b_partner,
               CASE WHEN rolled THEN '' ELSE j.profit_center END AS b_profit_center,
               CASE WHEN rolled THEN '' ELSE j.cost_center END AS b_cost_center
        FROM (
            SELECT j.*, coalesce(a.type IN {PNL_TYPES}, false)
                        AND j.period < {_literal(year_start)} AS rolled
            FROM {table} j LEFT JOIN account a ON a.account = j.account
            WHERE j.period <= {_literal(through)}
        ) j
    """


def ledger_lines_query(settings: Settings, through: str, year_start: str) -> str:
    """Journal lines through ``through``, each with the balance key it counts on
    (see :func:`_keyed`). Columns: every journal column, ``rolled``, and
    ``b_account``, ``b_partner``, ``b_profit_center``, ``b_cost_center``."""
    return _keyed("journal", settings, through, year_start)


def _balances(settings: Settings, through: str, year_start: str) -> str:
    """The balances as ledger_lines_query assigns lines to keys, summed from
    the period totals."""
    return f"""
        SELECT entity, b_account AS account, b_partner AS partner,
               b_profit_center AS profit_center, b_cost_center AS cost_center,
               sum(amount)::DECIMAL(18, 2) AS amount
        FROM ({_keyed("journal_total", settings, through, year_start)})
        GROUP BY ALL
        HAVING sum(amount) <> 0
    """


def balance_query(settings: Settings, period: str) -> str:
    """SELECT entity, account, partner, profit_center, cost_center, amount:
    every non-zero functional balance at ``period`` (balance sheet cumulative,
    P&L year-to-date, closed fiscal years rolled into retained earnings)."""
    return _balances(settings, period, fiscal_year_start(period, settings.fiscal_year_start))


def period_movement_query(settings: Settings, period: str) -> str:
    """Same columns as :func:`balance_query`: balance(P) - balance(P-1), where
    P-1 is taken after the roll of P's fiscal year start (SPEC section 11)."""
    year_start = fiscal_year_start(period, settings.fiscal_year_start)
    return f"""
        SELECT entity, account, partner, profit_center, cost_center,
               sum(amount)::DECIMAL(18, 2) AS amount
        FROM (
            SELECT * FROM ({_balances(settings, period, year_start)})
            UNION ALL
            SELECT entity, account, partner, profit_center, cost_center, -amount
            FROM ({_balances(settings, previous(period), year_start)})
        )
        GROUP BY ALL
        HAVING sum(amount) <> 0
    """


# Drill-down lists a period's lines in source order (file, row), generated
# lines (revaluation: path '') last in line-number order, then by every other
# column, so that the listing is fixed whatever order the journal's rows are
# stored in.
DRILL_ORDER = (
    "period, path = '', path, row_no, length(line), line, date, module, doc_id, account, "
    "partner, profit_center, cost_center, kind, currency, amount_doc, amount"
)


def require_entity(con: duckdb.DuckDBPyConnection, entity: str) -> None:
    if con.execute("SELECT 1 FROM entity WHERE entity = ?", [entity]).fetchone() is None:
        raise UnknownCode(f"unknown entity {entity!r}; see master/entities.csv")


def require_account(con: duckdb.DuckDBPyConnection, account: str) -> None:
    if con.execute("SELECT 1 FROM account WHERE account = ?", [account]).fetchone() is None:
        raise UnknownCode(f"unknown account {account!r}; see master/accounts.csv")


def trial_balance(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    entity: str,
    basis: Basis = "ytd",
) -> list[TBLine]:
    """``entity``'s functional trial balance at ``period``, one line per posting
    account with a non-zero balance, in code-point order of the account code."""
    if basis not in ("ytd", "period"):
        raise ValueError(f"basis must be 'ytd' or 'period', not {basis!r}")
    status.require_step(con, period, "posted")
    require_entity(con, entity)
    query = (
        balance_query(settings, period)
        if basis == "ytd"
        else period_movement_query(settings, period)
    )
    rows = con.execute(
        f"""SELECT b.account, coalesce(a.name, ''), coalesce(a.type, ''),
                   sum(b.amount)::DECIMAL(18, 2)
            FROM ({query}) b LEFT JOIN account a ON a.account = b.account
            WHERE b.entity = ?
            GROUP BY ALL
            HAVING sum(b.amount) <> 0""",
        [entity],
    ).fetchall()
    return sorted((TBLine(*row) for row in rows), key=lambda line: line.account)


def drill(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    account: str,
    entity: str,
    profit_center: str | None = None,
    cost_center: str | None = None,
    limit: int | None = None,
) -> list[DrillLine]:
    """The journal lines that make up ``entity``'s balance on ``account`` at
    ``period`` (year-to-date for P&L, cumulative for the balance sheet, and
    the rolled P&L of closed years for retained earnings), optionally of one
    profit center and/or cost center. Their amounts sum to the TB balance."""
    status.require_step(con, period, "posted")
    require_entity(con, entity)
    require_account(con, account)
    lines = ledger_lines_query(
        settings, period, fiscal_year_start(period, settings.fiscal_year_start)
    )
    where = ["entity = $entity", "b_account = $account"]
    params: dict[str, object] = {"entity": entity, "account": account}
    if profit_center is not None:
        where.append("b_profit_center = $profit_center")
        params["profit_center"] = profit_center
    if cost_center is not None:
        where.append("b_cost_center = $cost_center")
        params["cost_center"] = cost_center
    rows = con.execute(
        f"""SELECT period, date, entity, account, partner, profit_center, cost_center, module,
                   kind, doc_id, line, currency, amount_doc, amount,
                   CASE WHEN path = '' THEN '' ELSE path || ':' || row_no END
            FROM ({lines})
            WHERE {" AND ".join(where)}
            ORDER BY {DRILL_ORDER}
            {"" if limit is None else f"LIMIT {int(limit)}"}""",
        params,
    ).fetchall()
    return [DrillLine(*row) for row in rows]

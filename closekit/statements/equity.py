"""Statement of changes in equity (IAS 1.106, SPEC 19.2) at a node, from its
flows.

Columns: share capital (``share_capital``-role accounts), other reserves
(every other equity account), translation reserve (the ``cta`` account),
retained earnings (``retained_earnings`` with the year's result), attributable
to owners, NCI (``nci_equity``, which holds NCI's share of the result), total;
accounts.csv ``equity_column`` overrides the mapping. Rows are the flows from
the prior fiscal year end to the period; dividends to owners and to NCI on
their own rows. Amounts are presented credit positive (equity as the
balance sheet shows it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.statements.flows import prior_year_end
from closekit.statements.queries import require_node
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

OWNERS_COLUMNS = ("share_capital", "other_reserves", "translation_reserve", "retained_earnings")
COLUMNS = (*OWNERS_COLUMNS, "owners", "nci", "total")
HEADINGS = (
    "Share capital",
    "Other reserves",
    "Translation reserve",
    "Retained earnings",
    "Attributable to owners of the parent",
    "Non-controlling interests",
    "Total equity",
)

# SPEC 19.2: the column of an equity account (P&L accounts count on retained
# earnings in the flows).
EQUITY_COLUMN = """
    CASE WHEN a.equity_column <> '' THEN a.equity_column
         WHEN a.account = $nci_equity THEN 'nci'
         WHEN a.role = 'share_capital' THEN 'share_capital'
         WHEN a.account = $cta THEN 'translation_reserve'
         WHEN a.account = $re THEN 'retained_earnings'
         ELSE 'other_reserves'
    END
"""

# Rows: (row id, label, the flows it sums, the columns it shows).
ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("profit", "Profit for the period", ("profit",)),
    ("oci", "Other comprehensive income", ("oci",)),
    ("translation", "Exchange differences on translation of foreign operations", ("translation",)),
    (
        "reclassified",
        "Exchange differences reclassified to profit or loss on disposal",
        ("reclassified",),
    ),
    ("capital", "Issue of share capital", ("capital",)),
    ("dividend_owners", "Dividends to owners of the parent", ("dividend",)),
    ("dividend_nci", "Dividends to non-controlling interests", ("dividend",)),
    ("ownership_change", "Changes in ownership interests in subsidiaries", ("ownership_change",)),
    ("acquisition", "Acquisition of subsidiaries", ("acquisition",)),
    ("disposal", "Disposal of subsidiaries", ("disposal",)),
    ("movement", "Other movements", ("movement",)),
)
_COMPREHENSIVE = ("profit", "oci", "translation", "reclassified")


@dataclass(frozen=True)
class EquityRow:
    """One row of the statement: ``amounts`` per :data:`COLUMNS`, presented
    credit positive. ``row``: opening | profit | oci | translation |
    reclassified | comprehensive | acquisition | disposal | ownership_change |
    dividend_owners | dividend_nci | capital | movement | closing."""

    row: str
    label: str
    amounts: tuple[Decimal, ...]

    def amount(self, column: str) -> Decimal:
        return self.amounts[COLUMNS.index(column)]


@dataclass(frozen=True)
class EquityStatement:
    node: str
    period: str
    opening_label: str
    rows: tuple[EquityRow, ...]

    def row(self, row: str) -> EquityRow | None:
        return next((r for r in self.rows if r.row == row), None)


def equity_params(settings: Settings) -> dict[str, object]:
    return {
        "re": settings.accounts.retained_earnings,
        "cta": settings.accounts.cta,
        "nci_equity": settings.accounts.nci_equity,
    }


def _by_column(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str
) -> dict[tuple[str, str], Decimal]:
    """(flow, column) -> presented amount of the node's equity keys."""
    rows = con.execute(
        f"""
        SELECT f.flow, {EQUITY_COLUMN} AS col, -sum(f.amount)
        FROM node_flow f JOIN account a USING (account)
        WHERE f.period = $period AND f.node = $node AND a.type = 'equity'
        GROUP BY ALL
        """,
        {"period": period, "node": node, **equity_params(settings)},
    ).fetchall()
    return {(flow, column): Decimal(amount) for flow, column, amount in rows}


def _row(row: str, label: str, cells: dict[str, Decimal]) -> EquityRow:
    owners = sum((cells.get(c, Decimal(0)) for c in OWNERS_COLUMNS), Decimal(0))
    nci = cells.get("nci", Decimal(0))
    amounts = (*(cells.get(c, Decimal(0)) for c in OWNERS_COLUMNS), owners, nci, owners + nci)
    return EquityRow(row, label, amounts)


def equity_statement(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str | None = None
) -> EquityStatement:
    """The statement of changes in equity of ``node`` (default: the group)
    from the prior fiscal year end to ``period``. Rows without an amount are
    left out, except the opening, total comprehensive income and closing."""
    node = require_node(con, period, node)
    cells = _by_column(con, settings, period, node)
    # IAS 1.92, IAS 21.48: the owners' exchange differences of a foreign
    # operation disposed of go to profit or loss: comprehensive income (a
    # reclassification), not a transaction with owners
    recycled = cells.pop(("disposal", "translation_reserve"), None)
    if recycled is not None:
        cells[("reclassified", "translation_reserve")] = recycled

    def of(flows: tuple[str, ...], only: str | None = None) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for (flow, column), amount in cells.items():
            if flow in flows and (only is None or (column == "nci") == (only == "nci")):
                out[column] = out.get(column, Decimal(0)) + amount
        return out

    prior = prior_year_end(settings, period)
    opening_label = f"Balance at {prior}" if prior else "Opening balances (first period)"
    rows = [_row("opening", opening_label, of(("opening",)))]
    for row, label, flows in ROWS:
        only = "nci" if row == "dividend_nci" else "owners" if row == "dividend_owners" else None
        shown = _row(row, label, of(flows, only))
        if any(shown.amounts):
            rows.append(shown)
        if row == "reclassified":
            rows.append(_row("comprehensive", "Total comprehensive income", of(_COMPREHENSIVE)))
    rows.append(_row("closing", f"Balance at {period}", of(tuple({f for f, _ in cells}))))
    return EquityStatement(node, period, opening_label, tuple(rows))

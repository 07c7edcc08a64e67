"""Statement of cash flows, indirect method (IAS 7, SPEC 19.2), at a node,
from its flows.

Every balance-sheet account has a ``cash_flow`` class (accounts.csv, inherited
from the parent, else by type: assets and liabilities operating, investments
and goodwill investing, equity financing). The change in the ``cash`` keys is
explained by every other key's flows from the prior fiscal year end, opposite
(a debit to a non-cash key is cash spent), translation aside:

- Operating: profit before NCI; less the revaluation gains on cash (their
  cash side is an exchange difference); the flows of ``operating`` keys (an
  increase in receivables is cash not yet received; accumulated depreciation
  adds the depreciation back).
- Investing: the flows of ``investing`` keys; subsidiaries' net assets
  acquired or disposed of (``acquisition``, ``disposal`` flows of every
  non-cash key).
- Financing: the flows of ``financing`` keys; on equity, share capital
  issued, dividends to owners and to NCI, changes in ownership interests and
  other equity movements, each on its own line.
- Effect of exchange rate changes: the translation flows of the cash keys,
  and what movements measured at different rates on their two sides leave
  (cash at the average rate, capital at its historical amount).

OCI flows (``oci``) are not cash: both sides of them are shown together on
one operating line, where they cancel unless one side is cash.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

from closekit.periods import fiscal_year_start
from closekit.statements.equity import EQUITY_COLUMN, equity_params
from closekit.statements.queries import require_node
from closekit.workspace import Settings

SECTIONS = ("operating", "investing", "financing", "fx")
SECTION_LABELS = {
    "operating": "Cash flows from operating activities",
    "investing": "Cash flows from investing activities",
    "financing": "Cash flows from financing activities",
    "fx": "Effect of exchange rate changes on cash and cash equivalents",
}

# One line per (section, line, label): every non-cash key's flow, opposite.
_LINES = f"""
    WITH keyed AS (
        SELECT f.account, f.flow, f.amount, a.name, a.type, {EQUITY_COLUMN} AS col,
               -- (master data resolves the class; the SPEC 19.2 default if it is empty)
               coalesce(nullif(a.cash_flow, ''), CASE
                   WHEN a.role = 'investment' OR a.account = $goodwill THEN 'investing'
                   ELSE 'operating' END) AS cash_flow
        FROM node_flow f JOIN account a USING (account)
        WHERE f.period = $period AND f.node = $node AND f.flow <> 'opening'
    ),
    line AS (
        SELECT CASE
                 WHEN cash_flow = 'cash' THEN NULL
                 WHEN flow = 'translation' THEN NULL
                 WHEN flow = 'profit' THEN 'operating|1 profit|Profit for the period'
                 WHEN flow = 'oci' THEN
                      'operating|3 oci|Other comprehensive income (not cash)'
                 WHEN flow IN ('acquisition', 'disposal') THEN
                      'investing|2 ' || flow || '|' || CASE flow
                        WHEN 'acquisition' THEN 'Acquisition of subsidiaries, net of cash acquired'
                        ELSE 'Disposal of subsidiaries, net of cash disposed of' END
                 WHEN type = 'equity' THEN 'financing|2 ' || CASE
                        WHEN flow = 'capital' THEN 'capital|Proceeds from issue of share capital'
                        WHEN flow = 'dividend' AND col = 'nci'
                             THEN 'dividend_nci|Dividends paid to non-controlling interests'
                        WHEN flow = 'dividend'
                             THEN 'dividend|Dividends paid to owners of the parent'
                        WHEN flow = 'ownership_change'
                             THEN 'ownership_change|Transactions with non-controlling interests'
                        ELSE 'equity|Other equity movements' END
                 ELSE cash_flow || '|4 ' || account || '|' ||
                      CASE WHEN cash_flow = 'operating' THEN 'Change in ' || name ELSE name END
               END AS line,
               amount
        FROM keyed
    )
    SELECT line, -sum(amount)
    FROM line WHERE line IS NOT NULL
    GROUP BY line HAVING sum(amount) <> 0
    ORDER BY line
"""

# The cash keys: their translation, and every flow of every key that the
# lines above leave out (so the statement explains the change in cash).
_CASH = """
    SELECT sum(f.amount) FILTER (a.cash_flow = 'cash' AND f.flow = 'opening'),
           sum(f.amount) FILTER (a.cash_flow = 'cash'),
           sum(f.amount) FILTER (a.cash_flow = 'cash' AND f.flow = 'translation'),
           -- all keys' flows other than opening and translation: what
           -- different rates on two sides of a movement leave
           sum(f.amount) FILTER (f.flow NOT IN ('opening', 'translation'))
    FROM node_flow f JOIN account a USING (account)
    WHERE f.period = $period AND f.node = $node
"""

# The gains of the year's revaluation of cash (SPEC 6: revaluation lines on
# cash-class accounts are translation flows), measured as flows are:
# removed from profit, for they are not cash flows (IAS 7.28).
_CASH_REVALUATION = """
    SELECT coalesce(sum(CASE WHEN e.currency = $group_currency THEN j.amount
                             ELSE round(j.amount * r.average, 2) END), 0)
    FROM journal_total j
    JOIN entity e USING (entity)
    JOIN account a USING (account)
    JOIN node_member m ON m.period = $period AND m.node = $node AND m.entity = j.entity
    LEFT JOIN fx_rate r ON r.period = j.period AND r.currency = e.currency
    WHERE j.period BETWEEN $fy_start AND $period AND j.flow = 'translation'
      AND a.cash_flow = 'cash'
"""


@dataclass(frozen=True)
class CashFlowLine:
    """One line: section (operating | investing | financing | fx), line id,
    label and amount (cash in positive)."""

    section: str
    line: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class CashFlowStatement:
    node: str
    period: str
    lines: tuple[CashFlowLine, ...]
    cash_opening: Decimal
    cash_closing: Decimal

    def total(self, section: str | None = None) -> Decimal:
        """A section's net cash flow, or (None) the net change the lines explain."""
        return sum(
            (line.amount for line in self.lines if section in (None, line.section)), Decimal(0)
        )


def cash_flow_statement(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str | None = None
) -> CashFlowStatement:
    """The statement of cash flows of ``node`` (default: the group) from the
    prior fiscal year end to ``period``."""
    node = require_node(con, period, node)
    params = {"period": period, "node": node}
    lines = []
    classes = {**params, **equity_params(settings), "goodwill": settings.accounts.goodwill}
    for line, amount in con.execute(_LINES, classes).fetchall():
        section, key, label = line.split("|", 2)
        lines.append(CashFlowLine(section, key.split(" ", 1)[1], label, Decimal(amount)))
    gains = Decimal(
        con.execute(
            _CASH_REVALUATION,
            {
                **params,
                "fy_start": fiscal_year_start(period, settings.fiscal_year_start),
                "group_currency": settings.currency,
            },
        ).fetchone()[0]  # type: ignore[index]
    )
    if gains:  # right after the profit it is taken out of
        after = next((n + 1 for n, x in enumerate(lines) if x.line == "profit"), 0)
        label = "Exchange differences on cash (revaluation)"
        lines.insert(after, CashFlowLine("operating", "cash_revaluation", label, -gains))
    opening, closing, translation, left = (
        Decimal(value or 0)
        for value in con.execute(_CASH, params).fetchone()  # type: ignore[union-attr]
    )
    fx = [
        CashFlowLine("fx", "cash_translation", SECTION_LABELS["fx"], translation),
        # (the revaluation gains' P&L side is a flow, their cash side translation)
        CashFlowLine("fx", "rates", "Movements measured at different rates", left + gains),
    ]
    lines += [line for line in fx if line.amount]
    order = {section: n for n, section in enumerate(SECTIONS)}
    lines.sort(key=lambda line: order[line.section])
    return CashFlowStatement(node, period, tuple(lines), opening, closing)

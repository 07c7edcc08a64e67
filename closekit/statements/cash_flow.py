"""Statement of cash flows, indirect method (IAS 7, SPEC 19.2), at a node,
from its flows.

Every balance-sheet account has a ``cash_flow`` class (accounts.csv, inherited
from the parent, else by type: assets and liabilities operating, investments
and goodwill investing, equity financing). The change in the ``cash`` keys is
explained by every other key's flows from the prior fiscal year end, opposite
(a debit to a non-cash key is cash spent), translation aside:

- Operating: profit before NCI; less the share of profit of associates
  (the equity method's pickup on their carrying amounts, net of the
  dividends received, SPEC 16.2); less the revaluation gains on cash (their
  cash side is an exchange difference) and the events' gains (their cash is
  the event's investing line); the flows of ``operating`` keys (an
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
from typing import TYPE_CHECKING

from closekit.periods import fiscal_year_start
from closekit.statements.equity import EQUITY_COLUMN, equity_params
from closekit.statements.queries import require_node
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

SECTIONS = ("operating", "investing", "financing", "fx")
SECTION_LABELS = {
    "operating": "Cash flows from operating activities",
    "investing": "Cash flows from investing activities",
    "financing": "Cash flows from financing activities",
    "fx": "Effect of exchange rate changes on cash and cash equivalents",
}

# IAS 7.39: one investing line per kind of event, the consideration net of
# the subsidiary's cash.
EVENT_LINES = {
    "acquisition": "Acquisition of subsidiaries, net of cash acquired",
    "disposal": "Disposal of subsidiaries, net of cash disposed of",
}

# One line per (section, line, label): every non-cash key's flow, opposite.
_LINES = f"""
    WITH keyed AS (
        SELECT f.account, f.flow, f.amount, a.name, a.type, a.role, {EQUITY_COLUMN} AS col,
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
                 -- SPEC 16.2, 19.2: the equity method's pickup on the carrying
                 -- amount is no cash: taken out of profit on its own line
                 WHEN flow = 'profit' AND role = 'investment' THEN 'operating|2 associates|'
                      || 'Share of profit of associates, less dividends received (not cash)'
                 WHEN flow = 'profit' THEN 'operating|1 profit|Profit for the period'
                 WHEN flow = 'oci' THEN
                      'operating|3 oci|Other comprehensive income (not cash)'
                 WHEN flow IN ('acquisition', 'disposal') THEN
                      'investing|2 ' || flow || '|' || CASE flow
                        WHEN 'acquisition' THEN '{EVENT_LINES["acquisition"]}'
                        ELSE '{EVENT_LINES["disposal"]}' END
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


# SPEC 19.2: the gains of acquisitions (bargain purchase, a stake held before
# remeasured) and of losses of control are in profit but are not cash flows:
# the event's cash is its investing line (the consideration net of the
# subsidiary's cash), so the gain moves there from operating.
_EVENT_GAINS = """
    WITH event AS (
        SELECT entity,
               any_value(CASE kind WHEN 'loss_of_control' THEN 'disposal'
                                   ELSE 'acquisition' END) AS line
        FROM consolidation_event
        WHERE period BETWEEN $fy_start AND $period
          AND kind IN ('acquisition', 'loss_of_control')
        GROUP BY entity
    ),
    pl AS (
        SELECT t.account, t.partner, t.amount_group AS amount
        FROM translated_balance t
        JOIN node_member m ON m.period = t.period AND m.node = $node AND m.entity = t.entity
        WHERE t.period = $period
        UNION ALL
        SELECT account, partner, amount_group FROM consolidation_entry
        WHERE period = $period AND node = $node
    )
    SELECT e.line, -sum(p.amount)
    FROM pl p
    JOIN event e ON e.entity = p.partner
    JOIN account a ON a.account = p.account AND a.type IN ('revenue', 'expense')
    WHERE a.role = 'disposal_gain' OR a.account IN ($disposal_gain, $bargain_purchase)
    GROUP BY e.line
    HAVING sum(p.amount) <> 0
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
    fy_start = fiscal_year_start(period, settings.fiscal_year_start)
    _move_event_gains(con, settings, {**params, "fy_start": fy_start}, lines)
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


def _move_event_gains(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    params: dict[str, object],
    lines: list[CashFlowLine],
) -> None:
    """Take the events' gains out of operating (after profit) and into
    their investing lines (SPEC 19.2)."""
    accounts = settings.accounts
    gains = con.execute(
        _EVENT_GAINS,
        {
            **params,
            "disposal_gain": accounts.disposal_gain or "",
            "bargain_purchase": accounts.bargain_purchase or "",
        },
    ).fetchall()
    if not gains:
        return
    after = max((n + 1 for n, x in enumerate(lines) if x.line in ("profit", "cash_revaluation")),
                default=0)  # fmt: skip
    total = sum((Decimal(gain) for _, gain in gains), Decimal(0))
    label = "Gains on acquisitions and disposals of subsidiaries (not cash)"
    lines.insert(after, CashFlowLine("operating", "event_gains", label, -total))
    for line, gain in gains:
        at = next((n for n, x in enumerate(lines) if x.line == line), None)
        if at is None:
            lines.append(CashFlowLine("investing", line, EVENT_LINES[line], Decimal(gain)))
        else:
            was = lines[at]
            lines[at] = CashFlowLine(was.section, line, was.label, was.amount + Decimal(gain))

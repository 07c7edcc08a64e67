"""What each side of an intercompany pair booked, piece by piece (SPEC 20).

The pieces of a side's balance on the intercompany accounts of a plug: each
document (sales, purchasing and expense rows grouped by ``ic_ref``, default
their ``doc_id``) and each other module (journals, opening, ...), measured
as consolidation measures the balance they are part of:

- **remeasured** (SPEC 6, IAS 21.23): a piece on an account with
  ``revalue = yes`` held in a document currency other than the entity's is
  taken at its document amount x the period's closing cross rate, as
  month-end revaluation takes the whole key; so an invoice both sides booked
  in USD 1,000 is worth the same on both sides, and what revaluation posted
  beyond remeasuring each piece (its per-key rounding) is left over;
- **translated** (SPEC 7.1): closing-rate accounts at the period's closing
  rate, average- and historical-rate accounts at each period's average rate
  (a line's own ``amount_group`` kept), rounded per piece, account and
  period; balance-sheet accounts since inception, P&L accounts for the
  fiscal year to date.

Each piece also carries its ``booked`` group amount (translated without
remeasurement): the sides' pieces then add up to their translated balance
(``side_totals``) but for translation rounding, which the reconciliation
shows on a line of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

# The modules whose rows are documents both sides know by an ic_ref.
DOCUMENT_MODULES = ("sales", "purchasing", "expenses")
DOCUMENT = "document"


@dataclass(frozen=True)
class Piece:
    """What one side put on a plug account through one document (``source``
    ``document``) or one other module (``source`` = the module).

    entity: the side that booked it; partner: the other side.
    ic_ref: the document's reference ('' for a module).
    doc_ids: the side's own document numbers, comma-separated.
    currency: the document currency ('' when the lines mix several).
    amount_doc: in that currency (None when mixed, or for a module).
    amount: group currency, remeasured and translated.
    booked: group currency, translated as booked (without remeasurement).
    first_date: the earliest date of its lines.
    """

    entity: str
    partner: str
    plug_account: str
    source: str
    ic_ref: str
    doc_ids: str
    currency: str
    amount_doc: Decimal | None
    amount: Decimal
    booked: Decimal
    first_date: date


# The node's members, the plug accounts reconciled (the matching accounts,
# role ic_difference, or with $all_plugs every plug), and the sides kept
# (one pair when $left and $right are given).
_SCOPE = """
    member AS (SELECT entity FROM node_member WHERE period = $period AND node = $node),
    plug AS (
        SELECT DISTINCT i.ic_plug
        FROM account i LEFT JOIN account p ON p.account = i.ic_plug
        WHERE i.ic_plug <> '' AND ($all_plugs OR p.role = 'ic_difference')
    )
"""


def _in_scope(alias: str) -> str:
    return f"""{alias}.entity IN (SELECT entity FROM member)
           AND {alias}.partner IN (SELECT entity FROM member)
           AND ($left IS NULL OR (least({alias}.entity, {alias}.partner) = $left
                                  AND greatest({alias}.entity, {alias}.partner) = $right))"""


_MODULES = "(" + ", ".join(f"'{m}'" for m in DOCUMENT_MODULES) + ")"


def _translated(column: str) -> str:
    """SQL: ``column`` (functional) of piece ``p`` in group currency, SPEC 7.1."""
    return f"""CASE WHEN NOT p.is_foreign THEN {column}
                WHEN p.fixed THEN p.fixed_group
                WHEN p.rate = 'closing' THEN round({column} * r.closing, 2)
                ELSE round({column} * r.average, 2) END"""


_PIECES = f"""
WITH {_SCOPE},
-- Every journal line on an intercompany account of a member with a member
-- as partner that counts in the translated balance at $period.
ic_line AS (
    SELECT j.period, j.date, j.entity, j.partner, a.ic_plug AS plug, a.rate,
           e.currency AS functional, e.currency <> $group AS is_foreign,
           a.revalue AND j.currency <> e.currency AS revalued,
           CASE WHEN j.module IN {_MODULES} THEN '{DOCUMENT}' ELSE j.module END AS source,
           CASE WHEN j.module IN {_MODULES}
                THEN coalesce(nullif(s.ic_ref, ''), j.doc_id) ELSE '' END AS ic_ref,
           j.doc_id, j.currency, j.amount_doc, j.amount, j.account,
           -- SPEC 7.1: a line's own amount_group fixes its translation on
           -- average- and historical-rate accounts
           CASE WHEN a.rate <> 'closing' THEN j.amount_group END AS fixed_group
    FROM journal j
    JOIN account a ON a.account = j.account AND a.ic_plug <> ''
    JOIN plug ON plug.ic_plug = a.ic_plug
    JOIN entity e ON e.entity = j.entity
    LEFT JOIN source_row s
           ON j.module IN {_MODULES}
          AND s.period = j.period AND s.path = j.path AND s.row_no = j.row_no
    WHERE j.period <= $period
      AND (a.type NOT IN ('revenue', 'expense') OR j.period >= $fy_start)
      AND {_in_scope("j")}
),
piece AS (
    SELECT entity, partner, plug, source, ic_ref, account, currency, functional,
           is_foreign, rate, revalued,
           CASE WHEN rate = 'closing' THEN $period ELSE period END AS rate_period,
           fixed_group IS NOT NULL AS fixed,
           sum(amount) AS amount, sum(amount_doc)::DECIMAL(18, 2) AS amount_doc,
           sum(fixed_group) AS fixed_group
    FROM ic_line
    GROUP BY ALL
),
-- SPEC 6: a monetary piece held in a foreign document currency at the
-- closing cross rate, as revaluation measures its key (revaluation lines
-- themselves carry a document amount of 0, so they measure 0)
measured AS (
    SELECT p.*,
           CASE WHEN p.revalued AND x.ratio IS NOT NULL THEN round(p.amount_doc * x.ratio, 2)
                ELSE p.amount END AS measured
    FROM piece p
    LEFT JOIN fx_cross x ON x.period = $period AND x.kind = 'closing'
          AND x.from_currency = p.currency AND x.to_currency = p.functional
),
translated AS (
    SELECT p.entity, p.partner, p.plug, p.source, p.ic_ref,
           {_translated("p.measured")} AS amount, {_translated("p.amount")} AS booked
    FROM measured p
    LEFT JOIN fx_rate r ON r.period = p.rate_period AND r.currency = p.functional
),
in_group AS (
    SELECT entity, partner, plug, source, ic_ref, sum(amount) AS amount, sum(booked) AS booked
    FROM translated GROUP BY ALL
),
in_document AS (
    SELECT entity, partner, plug, source, ic_ref,
           string_agg(DISTINCT doc_id, ', ' ORDER BY doc_id) AS doc_ids,
           CASE WHEN count(DISTINCT currency) = 1 THEN any_value(currency) ELSE '' END
               AS currency,
           sum(amount_doc) AS amount_doc, min(date) AS first_date
    FROM ic_line GROUP BY ALL
)
SELECT g.entity, g.partner, g.plug, g.source, g.ic_ref, d.doc_ids, d.currency,
       d.amount_doc, g.amount, g.booked, d.first_date
FROM in_group g JOIN in_document d USING (entity, partner, plug, source, ic_ref)
"""

# Each side's translated balance on the intercompany accounts of a plug:
# what SPEC 7.2 eliminates, so what its pieces add up to.
_TOTALS = f"""
WITH {_SCOPE}
SELECT t.entity, t.partner, a.ic_plug, sum(t.amount_group)
FROM translated_balance t
JOIN account a ON a.account = t.account AND a.ic_plug <> ''
JOIN plug ON plug.ic_plug = a.ic_plug
WHERE t.period = $period AND {_in_scope("t")}
GROUP BY ALL
"""


@dataclass(frozen=True)
class Scope:
    """Which sides to read: the members of ``node`` at ``period``, every
    pair or one (``left`` < ``right``), matching plugs or ``all_plugs``."""

    period: str
    node: str
    fiscal_year_start: str
    group_currency: str
    all_plugs: bool = False
    left: str | None = None
    right: str | None = None

    def params(self) -> dict[str, object]:
        return {
            "period": self.period,
            "node": self.node,
            "all_plugs": self.all_plugs,
            "left": self.left,
            "right": self.right,
        }


def pieces(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[Piece]:
    """Every side's documents and modules on the plugs in scope."""
    params = {**scope.params(), "group": scope.group_currency, "fy_start": scope.fiscal_year_start}
    out = []
    for row in con.execute(_PIECES, params).fetchall():
        entity, partner, plug, source, ic_ref, doc_ids, currency, amount_doc = row[:8]
        amount, booked, first_date = row[8:]
        in_doc = Decimal(amount_doc) if source == DOCUMENT and currency else None
        out.append(
            Piece(
                entity,
                partner,
                plug,
                source,
                ic_ref,
                doc_ids if source == DOCUMENT else "",
                currency if source == DOCUMENT else "",
                in_doc,
                Decimal(amount),
                Decimal(booked),
                first_date,
            )
        )
    return out


def side_totals(
    con: duckdb.DuckDBPyConnection, scope: Scope
) -> dict[tuple[str, str, str], Decimal]:
    """Each side's translated balance per plug: (entity, partner, plug) -> amount."""
    return {
        (entity, partner, plug): Decimal(amount)
        for entity, partner, plug, amount in con.execute(_TOTALS, scope.params()).fetchall()
    }

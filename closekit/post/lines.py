"""The SQL of the journal lines posted from source rows (SPEC sections 3, 4 and 6).

One query, :func:`period_lines`, gives every line the source rows of the
(period, entity) pairs in the temporary table ``post_scope`` post, all but
month-end revaluation (:mod:`closekit.revalue`):

1. subledger rows (sales, purchasing, inventory, expenses) posting their rule set;
2. manual journals posting debit - credit;
3. a converted journal document's rounding residue, to ``fx_gain_loss``;
4. opening balances, as given.

Parameters: ``$first`` and ``$last`` (the periods posted, bounds of
``post_scope``), ``$group`` (the group currency), ``$fx_gain_loss``.

Every amount is signed, debit positive. A document currency other than the
entity's functional currency is converted per row and per amount column at the
period's average cross rate (``fx_cross``, exact to 18 places), rounded to
cents half away from zero (SPEC sections 1 and 4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.errors import ClosekitError

if TYPE_CHECKING:
    import duckdb

SUBLEDGER_MODULES = ("sales", "purchasing", "inventory", "expenses")

# Kind of the generated line that carries a converted journal's rounding residue.
RESIDUE_KIND = "conversion_rounding"


class MissingRate(ClosekitError):
    """A currency conversion needs a rate that fx_rates.csv does not give."""


def converted(column: str) -> str:
    """SQL for ``column`` (document currency) in functional currency.

    Needs ``foreign_doc`` and ``ratio`` (the average cross rate document ->
    functional) in scope. SPEC section 1: round(amount x ratio, 2), half away
    from zero, which is DuckDB's round() on DECIMAL.
    """
    return (
        f"(CASE WHEN foreign_doc THEN round({column} * ratio, 2) ELSE {column} END)::DECIMAL(18, 2)"
    )


# The source rows of some modules of the (period, entity) pairs being posted,
# with their entity's functional currency and the period's average cross
# rate document -> functional (SPEC section 4). The bounds on period let
# DuckDB skip the other periods' row groups before the pairs are matched.
_SOURCE = """
    SELECT s.*, e.currency AS functional, s.currency <> e.currency AS foreign_doc, x.ratio
    FROM source_row s
    JOIN entity e ON e.entity = s.entity
    LEFT JOIN fx_cross x
      ON x.period = s.period AND x.kind = 'average'
     AND x.from_currency = s.currency AND x.to_currency = e.currency
    WHERE s.period BETWEEN $first AND $last AND s.module IN ({modules})
      AND (s.period, s.entity) IN (SELECT period, entity FROM post_scope) {rows}
"""


def source_query(*modules: str, rows: str = "") -> str:
    """The source rows of ``modules`` of the (period, entity) pairs being
    posted, each with ``functional``, ``foreign_doc`` and ``ratio`` for
    :func:`converted`; ``rows`` is an extra condition on them (``s``, ``e``)."""
    return _SOURCE.format(modules=", ".join(f"'{m}'" for m in modules), rows=rows)


# SPEC section 3: per (module, kind) and a row's intercompany flag ('yes' when
# it has a partner, else 'no'), the rule set it takes: its exact flag's set
# when there is one, else the 'any' set.
RULE_CHOICE = """
    SELECT r.module, r.kind, f.flag,
           CASE WHEN bool_or(r.intercompany = f.flag) THEN f.flag ELSE 'any' END AS intercompany
    FROM posting_rule r CROSS JOIN (VALUES ('yes'), ('no')) f(flag)
    GROUP BY r.module, r.kind, f.flag
"""

# The journal's columns, in table order: every part of the lines selects
# exactly these.
LINE_COLUMNS = (
    "period, date, entity, account, partner, profit_center, cost_center, module, kind, "
    "doc_id, line, currency, amount_doc, amount, amount_group, path, sha256, row_no, flow"
)


# SPEC section 3: a row takes the rule set of its exact intercompany flag
# ('yes' when it has a partner, else 'no'), else the 'any' set; each rule is
# one line: debit positive, credit negative; gross = net + tax, both
# converted first, so that every entry balances in functional currency too.
def _subledger_lines(rows: str) -> str:
    return f"""
WITH src AS ({source_query(*SUBLEDGER_MODULES, rows=rows)}),
amounts AS (
    SELECT src.*,
           coalesce(net_amount, 0) AS net_doc,
           coalesce(tax_amount, 0) AS tax_doc,
           coalesce(value, 0) AS value_doc,
           {converted("coalesce(net_amount, 0)")} AS net_fn,
           {converted("coalesce(tax_amount, 0)")} AS tax_fn,
           {converted("coalesce(value, 0)")} AS value_fn,
           CASE WHEN partner <> '' THEN 'yes' ELSE 'no' END AS flag
    FROM src
),
rule_choice AS ({RULE_CHOICE}),
lines AS (
    SELECT a.period, a.date, a.entity, r.account, a.partner, a.profit_center, a.cost_center,
           a.module, a.kind, a.doc_id, a.line, a.currency,
           (CASE WHEN r.side = 'debit' THEN 1 ELSE -1 END) * CASE r.amount
               WHEN 'net' THEN a.net_doc WHEN 'tax' THEN a.tax_doc
               WHEN 'gross' THEN a.net_doc + a.tax_doc ELSE a.value_doc END AS amount_doc,
           (CASE WHEN r.side = 'debit' THEN 1 ELSE -1 END) * CASE r.amount
               WHEN 'net' THEN a.net_fn WHEN 'tax' THEN a.tax_fn
               WHEN 'gross' THEN a.net_fn + a.tax_fn ELSE a.value_fn END AS amount,
           NULL AS amount_group, a.path, a.sha256, a.row_no, 'movement' AS flow
    FROM amounts a
    JOIN rule_choice c ON c.module = a.module AND c.kind = a.kind AND c.flag = a.flag
    JOIN posting_rule r
      ON r.module = c.module AND r.kind = c.kind AND r.intercompany = c.intercompany
)
-- A rule line whose amount is zero (a row without tax) posts nothing.
SELECT {LINE_COLUMNS} FROM lines
WHERE amount_doc <> 0 OR amount <> 0
"""


# SPEC section 4: a manual journal line posts debit - credit, converted like
# any amount column. amount_group fixes the translated amount only on
# historical-rate accounts of entities whose currency is not the group's.
# The line's flow (SPEC 19.1) is its own, else movement.
def _journal_lines(rows: str) -> str:
    return f"""
WITH src AS ({source_query("journals", rows=rows)})
SELECT s.period, s.date, s.entity, s.account, s.partner, s.profit_center, s.cost_center,
       s.module, s.kind, s.doc_id, s.line, s.currency,
       coalesce(s.debit, 0) - coalesce(s.credit, 0) AS amount_doc,
       {converted("(coalesce(s.debit, 0) - coalesce(s.credit, 0))")} AS amount,
       CASE WHEN a.rate = 'historical' AND s.functional <> $group THEN s.amount_group END
           AS amount_group,
       s.path, s.sha256, s.row_no, coalesce(nullif(s.flow, ''), 'movement') AS flow,
       s.foreign_doc
FROM src s
LEFT JOIN account a ON a.account = s.account
"""


# SPEC section 4: after conversion, a journal document's rounding residue
# (period + entity + doc_id, at most a few cents; the same doc_id in two
# months is two documents) posts to fx_gain_loss with the dimensions, date,
# lineage and flow of the document's first line.
_RESIDUE_LINES = f"""
WITH numbered AS (
    SELECT *, row_number() OVER (PARTITION BY period, entity, doc_id ORDER BY path, row_no) AS n
    FROM journal_lines
),
residue AS (
    SELECT period, entity, doc_id, -sum(amount) AS amount
    FROM journal_lines
    GROUP BY period, entity, doc_id
    HAVING sum(amount) <> 0 AND bool_or(foreign_doc)
)
SELECT f.period, f.date, f.entity, $fx_gain_loss, f.partner, f.profit_center, f.cost_center,
       'journals', '{RESIDUE_KIND}', f.doc_id, f.line, f.currency, 0, r.amount::DECIMAL(18, 2),
       NULL, f.path, f.sha256, f.row_no, f.flow
FROM residue r
JOIN numbered f
  ON f.period = r.period AND f.entity = r.entity AND f.doc_id = r.doc_id AND f.n = 1
"""


# SPEC section 4: opening rows post `amount` (functional) as given; their
# document amount is amount_doc in the row's currency, or, without it, the
# functional amount in functional currency (so is a functional-currency row's:
# amount_doc then says nothing more). amount_group is the translated
# balance brought in, kept on historical- and average-rate accounts of
# entities whose currency is not the group's. Their flow is opening (SPEC 19.1).
def _opening_lines(rows: str) -> str:
    return f"""
WITH src AS ({source_query("opening", rows=rows)}),
held AS (SELECT *, amount_doc IS NOT NULL AND foreign_doc AS held_foreign FROM src)
SELECT s.period, s.date, s.entity, s.account, s.partner, s.profit_center, s.cost_center,
       s.module, s.kind, s.doc_id, s.line,
       CASE WHEN s.held_foreign THEN s.currency ELSE s.functional END,
       CASE WHEN s.held_foreign THEN s.amount_doc ELSE s.amount END, s.amount,
       CASE WHEN a.rate IN ('historical', 'average') AND s.functional <> $group
            THEN s.amount_group END,
       s.path, s.sha256, s.row_no, 'opening'
FROM held s
LEFT JOIN account a ON a.account = s.account
"""


def period_lines(rows: str = "") -> str:
    """Every line the source rows (those meeting ``rows``) of the pairs in
    ``post_scope`` post, all but revaluation; parameters $first, $last,
    $group, $fx_gain_loss."""
    return f"""
WITH journal_lines AS ({_journal_lines(rows)})
SELECT * FROM ({_subledger_lines(rows)})
UNION ALL
SELECT {LINE_COLUMNS} FROM journal_lines
UNION ALL
SELECT * FROM ({_RESIDUE_LINES})
UNION ALL
SELECT * FROM ({_opening_lines(rows)})
"""


# The lines of the rows in a foreign document currency: only such lines can
# be held in a currency other than the entity's (a journal document has one
# currency, so its residue comes from foreign lines alone), and so only they
# count in month-end revaluation.
FOREIGN_LINES = period_lines("AND s.currency <> e.currency")

# Conversions the periods need but fx_cross cannot make (load rejects such
# rows; this guards a rate table changed since the load).
_MISSING_AVERAGE = f"""
WITH src AS ({source_query(*SUBLEDGER_MODULES, "journals")})
SELECT DISTINCT period, currency, functional FROM src
WHERE foreign_doc AND ratio IS NULL
ORDER BY ALL
"""


def require_average_rates(con: duckdb.DuckDBPyConnection, first: str, last: str) -> None:
    """Refuse, naming the first period that needs them, when conversions
    lack an average rate."""
    missing = con.execute(_MISSING_AVERAGE, {"first": first, "last": last}).fetchall()
    if missing:
        period = missing[0][0]
        pairs = ", ".join(f"{doc} -> {fn}" for p, doc, fn in missing if p == period)
        raise MissingRate(
            f"no average rate to convert {pairs} in {period}; see master/fx_rates.csv"
        )

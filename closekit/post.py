"""Posting: the period's accepted source rows -> its general-ledger journal (SPEC section 6).

The period's lines are one INSERT, inside one transaction that first deletes
the lines it replaces, of:

1. subledger rows (sales, purchasing, inventory, expenses) posting their rule set;
2. manual journals posting debit - credit;
3. a converted journal document's rounding residue, to ``fx_gain_loss``;
4. opening balances, as given;
5. month-end revaluation (:mod:`closekit.revalue`), computed beforehand from
   the earlier journal and lines 1-4.

One append lets DuckDB write the lines straight to the database file
(:func:`closekit.db.single_append`) instead of through the write-ahead log.

Every amount is signed, debit positive. A document currency other than the
entity's functional currency is converted per row and per amount column at the
period's average cross rate (``fx_cross``, exact to 18 places), rounded to
cents half away from zero (SPEC sections 1 and 4). The lines are inserted
unsorted: the journal's row order is no contract (sorting millions of wide
lines cost more than building them), and every reader orders explicitly
(exports, drill-down); the same inputs give the same set of lines.

An entity's lines depend only on its own rows, its earlier periods and the
basis (master data, settings, code), so a period posted again rebuilds only
the entities whose rows changed (``posted_entity`` keeps the fingerprints).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

from closekit import __version__, revalue, status
from closekit.db import amounts_fit, single_append, transaction
from closekit.errors import ClosekitError
from closekit.master import sha256_file
from closekit.workspace import SETTINGS_FILE, Settings

SUBLEDGER_MODULES = ("sales", "purchasing", "inventory", "expenses")

# Kind of the generated line that carries a converted journal's rounding residue.
RESIDUE_KIND = "conversion_rounding"


class MissingRate(ClosekitError):
    """A currency conversion needs a rate that fx_rates.csv does not give."""


@dataclass(frozen=True)
class PostedLines:
    """Journal lines one module posted for one entity in the period."""

    entity: str
    module: str
    lines: int


@dataclass(frozen=True)
class EntityTotal:
    """An entity's functional trial balance total at the period: always 0.00."""

    entity: str
    total: Decimal


@dataclass(frozen=True)
class PostReport:
    """What :func:`post_period` wrote.

    period: the posted period.
    posted: the entities whose lines were rebuilt.
    kept: the entities whose lines were kept, their inputs unchanged since
        the period was last posted (none after a full post).
    lines: journal lines per entity and module (module ``revaluation`` included).
    totals: every entity's trial balance total (year-to-date), which is zero.
    """

    period: str
    posted: tuple[str, ...]
    kept: tuple[str, ...]
    lines: tuple[PostedLines, ...]
    totals: tuple[EntityTotal, ...]

    @property
    def revaluation_lines(self) -> int:
        return sum(p.lines for p in self.lines if p.module == "revaluation")

    def entity_lines(self, entity: str, module: str | None = None) -> int:
        """Lines posted for ``entity`` (of one ``module`` when given)."""
        return sum(
            p.lines
            for p in self.lines
            if p.entity == entity and (module is None or p.module == module)
        )


def converted(column: str) -> str:
    """SQL for ``column`` (document currency) in functional currency.

    Needs ``foreign_doc`` and ``ratio`` (the average cross rate document ->
    functional) in scope. SPEC section 1: round(amount x ratio, 2), half away
    from zero, which is DuckDB's round() on DECIMAL.
    """
    return (
        f"(CASE WHEN foreign_doc THEN round({column} * ratio, 2) ELSE {column} END)::DECIMAL(18, 2)"
    )


# The period's source rows of some modules with their entity's functional
# currency and the average cross rate document -> functional (SPEC section 4).
_SOURCE = """
    SELECT s.*, e.currency AS functional, s.currency <> e.currency AS foreign_doc, x.ratio
    FROM source_row s
    JOIN entity e ON e.entity = s.entity
    LEFT JOIN fx_cross x
      ON x.period = s.period AND x.kind = 'average'
     AND x.from_currency = s.currency AND x.to_currency = e.currency
    WHERE s.period = $period AND s.module IN ({modules})
      AND s.entity IN (SELECT entity FROM post_scope) {rows}
"""


def source_query(*modules: str, rows: str = "") -> str:
    """The period's (``$period``) source rows of ``modules`` for the entities
    being posted, each with ``functional``, ``foreign_doc`` and ``ratio`` for
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

# The journal's columns, in table order: every part of the period's lines
# selects exactly these.
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
# (entity + doc_id, at most a few cents) posts to fx_gain_loss with the
# dimensions, date, lineage and flow of the document's first line.
_RESIDUE_LINES = f"""
WITH numbered AS (
    SELECT *, row_number() OVER (PARTITION BY entity, doc_id ORDER BY path, row_no) AS n
    FROM journal_lines
),
residue AS (
    SELECT entity, doc_id, -sum(amount) AS amount
    FROM journal_lines
    GROUP BY entity, doc_id
    HAVING sum(amount) <> 0 AND bool_or(foreign_doc)
)
SELECT f.period, f.date, f.entity, $fx_gain_loss, f.partner, f.profit_center, f.cost_center,
       'journals', '{RESIDUE_KIND}', f.doc_id, f.line, f.currency, 0, r.amount::DECIMAL(18, 2),
       NULL, f.path, f.sha256, f.row_no, f.flow
FROM residue r
JOIN numbered f ON f.entity = r.entity AND f.doc_id = r.doc_id AND f.n = 1
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


def _period_lines(rows: str = "") -> str:
    """Every line the period's source rows (those meeting ``rows``) post, all
    but revaluation, for the entities in ``post_scope``; parameters $period,
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


PERIOD_LINES = _period_lines()

# What revaluation sees: the posted entities' earlier journal and the lines
# of the period's rows in a foreign document currency (only such lines can be
# held in a currency other than the entity's: a journal document has one
# currency, so its residue comes from foreign lines alone).
_THROUGH_PERIOD = f"""
SELECT {LINE_COLUMNS} FROM journal
WHERE period < $period AND entity IN (SELECT entity FROM post_scope)
UNION ALL
SELECT * FROM ({_period_lines("AND s.currency <> e.currency")})
"""

# Conversions the period needs but fx_cross cannot make (load rejects such
# rows; this guards a rate table changed since the load).
_MISSING_AVERAGE = f"""
WITH src AS ({source_query(*SUBLEDGER_MODULES, "journals")})
SELECT DISTINCT currency, functional FROM src WHERE foreign_doc AND ratio IS NULL ORDER BY ALL
"""


def _require_average_rates(con: duckdb.DuckDBPyConnection, period: str) -> None:
    missing = con.execute(_MISSING_AVERAGE, {"period": period}).fetchall()
    if missing:
        pairs = ", ".join(f"{doc} -> {fn}" for doc, fn in missing)
        raise MissingRate(
            f"no average rate to convert {pairs} in {period}; see master/fx_rates.csv"
        )


# Per entity, what its lines of the period are posted from: its accepted
# source rows, identified by their lineage (a file version and a row number
# fix a row's content), as a row count and an order-free hash.
_SOURCE_FINGERPRINTS = """
SELECT e.entity, coalesce(s.source_rows, 0) || ':' || coalesce(s.lineage, 0) AS source
FROM entity e
LEFT JOIN (
    SELECT entity, count(*) AS source_rows, sum(hash(path, sha256, row_no)::HUGEINT) AS lineage
    FROM source_row WHERE period = $period
    GROUP BY entity
) s USING (entity)
"""

# The entities to post: every entity whose source fingerprint differs from
# the one its lines were last posted from (all of them for a first post).
_CHANGED_ENTITIES = f"""
SELECT c.entity
FROM ({_SOURCE_FINGERPRINTS}) c
LEFT JOIN posted_entity p ON p.period = $period AND p.entity = c.entity
WHERE p.source IS DISTINCT FROM c.source
"""


def _basis(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> str:
    """What posts every entity's lines besides its own rows: master data
    (rules, accounts, rates), settings, the code (closekit and DuckDB
    versions, and the posting modules' own source, so that a changed rule in
    development never keeps old lines), and the earlier periods' journals
    (when each was last posted)."""
    toml = settings.root / SETTINGS_FILE
    code = hashlib.sha256()
    for module_file in (__file__, revalue.__file__):
        code.update(Path(module_file).read_bytes())
    earlier = con.execute(
        "SELECT period, posted_at::VARCHAR FROM period_status WHERE period < ? ORDER BY period",
        [period],
    ).fetchall()
    inputs = {
        "closekit": __version__,
        "duckdb": duckdb.__version__,
        "code": code.hexdigest(),
        "settings": sha256_file(toml) if toml.is_file() else "",
        "master": con.execute("SELECT path, sha256 FROM master_file ORDER BY path").fetchall(),
        "earlier": earlier,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _incremental(con: duckdb.DuckDBPyConnection, period: str, basis: str) -> bool:
    """Whether the period's journal may be kept for the entities whose rows did
    not change: every entity's lines were posted on this same basis and are
    all still there."""
    stored = con.execute(
        """SELECT count(*) = (SELECT count(*) FROM entity)
                  AND bool_and(p.basis = $basis AND p.lines = coalesce(j.lines, 0))
           FROM posted_entity p
           JOIN entity e USING (entity)
           LEFT JOIN (SELECT entity, count(*) AS lines FROM journal
                      WHERE period = $period GROUP BY entity) j USING (entity)
           WHERE p.period = $period""",
        {"basis": basis, "period": period},
    ).fetchone()
    return bool(stored and stored[0])


def _scope(con: duckdb.DuckDBPyConnection, period: str, basis: str, full: bool) -> tuple[str, ...]:
    """Fill the temporary table ``post_scope`` with the entities to post and
    return them: all, or only those whose source rows changed."""
    if full or not _incremental(con, period, basis):
        con.execute("CREATE OR REPLACE TEMP TABLE post_scope AS SELECT entity FROM entity")
    else:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE post_scope AS {_CHANGED_ENTITIES}", {"period": period}
        )
    entities = con.execute("SELECT entity FROM post_scope ORDER BY entity").fetchall()
    return tuple(e for (e,) in entities)


# The journal's period totals of the lines ``{where}`` selects (a condition
# on period and entity, which both tables have).
_TOTALS_OF_LINES = """
    SELECT period, entity, account, partner, profit_center, cost_center,
           amount_group IS NOT NULL AS has_group,
           sum(amount) AS amount, sum(amount_group) AS amount_group, flow
    FROM journal
    WHERE {where}
    GROUP BY ALL
"""


def write_totals(
    con: duckdb.DuckDBPyConnection, where: str = "true", params: dict[str, object] | None = None
) -> None:
    """Replace the ``journal_total`` rows of the journal lines ``where``
    selects (SQL over period and entity, e.g. one period's posted entities)
    by the totals of those lines. Posting calls it in the transaction that
    writes the lines."""
    con.execute(f"DELETE FROM journal_total WHERE {where}", params or {})
    con.execute(f"INSERT INTO journal_total {_TOTALS_OF_LINES.format(where=where)}", params or {})


@amounts_fit("post")
def post_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, full: bool = False
) -> PostReport:
    """Rebuild ``period``'s journal from its loaded rows (SPEC section 6).

    Refuses unless the period is unlocked and loaded and every earlier period
    with a folder is posted and fresh. Marks the period posted and, when its
    balances changed (status.balances_fingerprint), every later posted
    period stale.

    Posting is by entity: an entity's lines depend only on its own rows and
    the basis (master data, settings, code, earlier periods' journals). When
    the period was posted before on the same basis, only the entities whose
    accepted rows changed are rebuilt (``full`` rebuilds all); the journal is
    the same either way.
    """
    status.require_unlocked(con, period)
    status.require_step(con, period, "loaded", fresh=False)
    status.require_earlier_posted(settings, con, period)
    basis = _basis(settings, con, period)
    params = {
        "period": period,
        "group": settings.currency,
        "fx_gain_loss": settings.accounts.fx_gain_loss,
    }
    before = status.balances_fingerprint(con, period)
    try:
        entities = _scope(con, period, basis, full)
        _require_average_rates(con, period)
        with transaction(con):
            con.execute(
                "DELETE FROM journal"
                " WHERE period = ? AND entity IN (SELECT entity FROM post_scope)",
                [period],
            )
            # The period's lines are the transaction's one append to the
            # journal (see db.single_append).
            with (
                revalue.revaluation(settings, con, period, _THROUGH_PERIOD, params) as revalued,
                single_append(con),
            ):
                con.execute(
                    f"INSERT INTO journal SELECT * FROM ({PERIOD_LINES}) "
                    f"UNION ALL SELECT * FROM ({revalued.lines})",
                    {**params, **revalued.params},
                )
            write_totals(
                con,
                "period = $period AND entity IN (SELECT entity FROM post_scope)",
                {"period": period},
            )
            con.execute(
                f"""INSERT OR REPLACE INTO posted_entity
                    SELECT $period, f.entity, f.source, $basis, count(j.entity)
                    FROM ({_SOURCE_FINGERPRINTS}) f
                    LEFT JOIN journal j ON j.period = $period AND j.entity = f.entity
                    WHERE f.entity IN (SELECT entity FROM post_scope)
                    GROUP BY ALL""",
                {"period": period, "basis": basis},
            )
            status.mark(con, period, "posted")
            if status.balances_fingerprint(con, period) != before:
                status.mark_later_stale(con, period)
    finally:
        con.execute("DROP TABLE IF EXISTS post_scope")
    # Folding the transaction into the database file here counts its cost
    # where it is caused, not in whichever later step's commit crosses
    # DuckDB's WAL threshold.
    con.execute("CHECKPOINT")
    return _report(con, period, entities)


def _report(con: duckdb.DuckDBPyConnection, period: str, posted: tuple[str, ...]) -> PostReport:
    kept = con.execute(
        "SELECT entity FROM entity WHERE NOT list_contains(?::VARCHAR[], entity) ORDER BY entity",
        [list(posted)],
    ).fetchall()
    lines = con.execute(
        """SELECT entity, module, count(*) FROM journal WHERE period = ?
           GROUP BY entity, module ORDER BY entity, module""",
        [period],
    ).fetchall()
    # A trial balance's total is the sum of every line through the period:
    # the fiscal-year roll only moves amounts between the entity's accounts.
    totals = con.execute(
        """SELECT entity, sum(amount)::DECIMAL(18, 2) FROM journal_total WHERE period <= ?
           GROUP BY entity ORDER BY entity""",
        [period],
    ).fetchall()
    return PostReport(
        period=period,
        posted=posted,
        kept=tuple(e for (e,) in kept),
        lines=tuple(PostedLines(e, m, n) for e, m, n in lines),
        totals=tuple(EntityTotal(e, t) for e, t in totals),
    )

"""Month-end revaluation of foreign-currency monetary balances (SPEC section 6, IAS 21.23).

IAS 21.23: at the end of each reporting period, foreign-currency monetary
items are translated at the closing rate. For every balance on an account with
``revalue = yes`` held in a document currency other than the entity's
functional currency, per key (entity, account, partner, profit center, cost
center, document currency):

    D      = cumulative document-currency balance through the period
    target = round(D x closing(doc) / closing(functional), 2)
    F      = cumulative functional balance, earlier revaluations included

``target - F`` posts to the account and, opposite, to ``fx_gain_loss``, both
with the key's dimensions, as module ``revaluation`` dated the period's last
day. The method is cumulative: a balance revalued last month and unchanged
since moves only by the rate change; a balance fully settled leaves its
remaining functional difference (the realised gain or loss) on fx_gain_loss.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from closekit.errors import ClosekitError
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

MODULE = "revaluation"


class MissingClosingRate(ClosekitError):
    """A foreign-currency monetary balance has no closing rate to be revalued at."""


def period_end(period: str) -> date:
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def document_id(period: str) -> str:
    """One revaluation document per entity and period."""
    return f"{MODULE} {period}"


def balances(lines: str) -> str:
    """The keys to revalue with their cumulative document and functional
    balances, from ``lines`` (a query of journal lines through the period).

    Sums are cast back to the journal's DECIMAL(18, 2), so that the product
    with the 18-place ratio is an exact DECIMAL(38, 20), as in posting.
    """
    return f"""
    SELECT j.entity, j.account, j.partner, j.profit_center, j.cost_center, j.currency,
           e.currency AS functional,
           sum(j.amount_doc)::DECIMAL(18, 2) AS doc_balance,
           sum(j.amount)::DECIMAL(18, 2) AS functional_balance
    FROM ({lines}) j
    JOIN account a ON a.account = j.account AND a.revalue
    JOIN entity e ON e.entity = j.entity AND e.currency <> j.currency
    GROUP BY ALL
"""


# Every key's balances from the posted journal through $period.
BALANCES = balances("SELECT * FROM journal WHERE period <= $period")

# Each key's revaluation difference, computed once per posting (NULL where
# fx_cross has no closing rate for the pair).
_DIFFERENCES = """
CREATE OR REPLACE TEMP TABLE revaluation_difference AS
SELECT b.*, (round(b.doc_balance * x.ratio, 2) - b.functional_balance)::DECIMAL(18, 2) AS amount
FROM ({balances}) b
LEFT JOIN fx_cross x ON x.period = $period AND x.kind = 'closing'
 AND x.from_currency = b.currency AND x.to_currency = b.functional
"""

_MISSING = """
SELECT DISTINCT currency, functional FROM revaluation_difference
WHERE amount IS NULL AND (doc_balance <> 0 OR functional_balance <> 0)
ORDER BY ALL
"""

# The revaluation document: per entity, one numbered pair of lines per key
# (the account, then fx_gain_loss opposite), in key order. The leg on a
# cash-class account is an exchange difference on cash, flow translation
# (SPEC 19.1, IAS 7.28); the rest are movements.
_LINES = f"""
WITH numbered AS (
    SELECT *, row_number() OVER (
               PARTITION BY entity
               ORDER BY account, partner, profit_center, cost_center, currency) AS n
    FROM revaluation_difference
    WHERE amount <> 0
),
legs AS (
    SELECT *, account AS leg_account, amount AS leg_amount, true AS revalued FROM numbered
    UNION ALL
    SELECT *, $fx_gain_loss, -amount, false FROM numbered
)
SELECT $period AS period, $revaluation_date AS date, entity, leg_account AS account, partner,
       profit_center, cost_center, '{MODULE}' AS module, '' AS kind,
       $revaluation_doc_id AS doc_id, n::VARCHAR AS line, currency, 0 AS amount_doc,
       leg_amount AS amount, NULL AS amount_group, '' AS path, '' AS sha256, NULL AS row_no,
       CASE WHEN l.revalued AND a.cash_flow = 'cash' THEN 'translation' ELSE 'movement' END
           AS flow
FROM legs l
LEFT JOIN account a ON a.account = l.leg_account
"""


@dataclass(frozen=True)
class Revaluation:
    """The period's revaluation lines, ready to be inserted with the period's
    other lines: ``lines`` is a query with ``params``, valid until the
    :func:`revaluation` block ends."""

    lines: str
    params: dict[str, object]


@contextmanager
def revaluation(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    through: str,
    params: Mapping[str, object],
) -> Iterator[Revaluation]:
    """Compute ``period``'s revaluation from ``through``: a query (with
    ``params`` and ``$period``) of every journal line, through the period, of
    the entities being posted (the period's own lines not inserted yet).

    Refuses (:class:`MissingClosingRate`) when a foreign-currency balance has
    no closing rate.
    """
    con.execute(_DIFFERENCES.format(balances=balances(through)), {**params, "period": period})
    try:
        missing = con.execute(_MISSING).fetchall()
        if missing:
            pairs = ", ".join(f"{doc} -> {fn}" for doc, fn in missing)
            raise MissingClosingRate(
                f"no closing rate to revalue {pairs} at {period}; see master/fx_rates.csv"
            )
        yield Revaluation(
            _LINES,
            {
                "period": period,
                "revaluation_date": period_end(period),
                "revaluation_doc_id": document_id(period),
                "fx_gain_loss": settings.accounts.fx_gain_loss,
            },
        )
    finally:
        con.execute("DROP TABLE IF EXISTS revaluation_difference")

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
from datetime import date

import duckdb

from closekit.errors import ClosekitError
from closekit.workspace import Settings

MODULE = "revaluation"


class MissingClosingRate(ClosekitError):
    """A foreign-currency monetary balance has no closing rate to be revalued at."""


def period_end(period: str) -> date:
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def document_id(period: str) -> str:
    """One revaluation document per entity and period."""
    return f"{MODULE} {period}"


# The keys to revalue with their cumulative document and functional balances.
# Sums are cast back to the journal's DECIMAL(18, 2), so that the product with
# the 18-place ratio is an exact DECIMAL(38, 20), as in posting.
BALANCES = """
    SELECT j.entity, j.account, j.partner, j.profit_center, j.cost_center, j.currency,
           e.currency AS functional,
           sum(j.amount_doc)::DECIMAL(18, 2) AS doc_balance,
           sum(j.amount)::DECIMAL(18, 2) AS functional_balance
    FROM journal j
    JOIN account a ON a.account = j.account AND a.revalue
    JOIN entity e ON e.entity = j.entity AND e.currency <> j.currency
    WHERE j.period <= $period
    GROUP BY ALL
"""

# Each key's revaluation difference, computed once per posting (NULL where
# fx_cross has no closing rate for the pair).
_DIFFERENCES = f"""
CREATE OR REPLACE TEMP TABLE revaluation_difference AS
SELECT b.*, (round(b.doc_balance * x.ratio, 2) - b.functional_balance)::DECIMAL(18, 2) AS amount
FROM ({BALANCES}) b
LEFT JOIN fx_cross x ON x.period = $period AND x.kind = 'closing'
 AND x.from_currency = b.currency AND x.to_currency = b.functional
"""

_MISSING = """
SELECT DISTINCT currency, functional FROM revaluation_difference
WHERE amount IS NULL AND (doc_balance <> 0 OR functional_balance <> 0)
ORDER BY ALL
"""

_REVALUE = f"""
INSERT INTO journal
WITH numbered AS (
    SELECT *, row_number() OVER (
               PARTITION BY entity
               ORDER BY account, partner, profit_center, cost_center, currency) AS n
    FROM revaluation_difference
    WHERE amount <> 0
),
legs AS (
    SELECT *, account AS leg_account, amount AS leg_amount, 1 AS leg FROM numbered
    UNION ALL
    SELECT *, $fx_gain_loss, -amount, 2 FROM numbered
)
SELECT $period, $date, entity, leg_account, partner, profit_center, cost_center,
       '{MODULE}', '', $doc_id, n::VARCHAR, currency, 0, leg_amount, NULL, '', '', NULL
FROM legs
ORDER BY entity, n, leg
"""


def revalue_period(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> int:
    """Insert ``period``'s revaluation lines; returns how many.

    Runs inside posting's transaction, after the period's other lines are in
    the journal and before any revaluation line of the period exists.
    """
    con.execute(_DIFFERENCES, {"period": period})
    try:
        missing = con.execute(_MISSING).fetchall()
        if missing:
            pairs = ", ".join(f"{doc} -> {fn}" for doc, fn in missing)
            raise MissingClosingRate(
                f"no closing rate to revalue {pairs} at {period}; see master/fx_rates.csv"
            )
        inserted = con.execute(
            _REVALUE,
            {
                "period": period,
                "date": period_end(period),
                "doc_id": document_id(period),
                "fx_gain_loss": settings.accounts.fx_gain_loss,
            },
        ).fetchone()
    finally:
        con.execute("DROP TABLE IF EXISTS revaluation_difference")
    return int(inserted[0]) if inserted else 0

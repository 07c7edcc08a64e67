"""Month-end revaluation of the periods being posted, month after month
(:mod:`closekit.revalue`, SPEC section 6, IAS 21.23).

A month's revaluation reads the foreign-currency balances through the month,
earlier months' revaluation included; so the months of a range are revalued
in order, each from what the journal keeps, the lines being posted and the
revaluation lines of the months before it, into the temporary table
``post_revaluation``, which the post then appends with the other lines.
Only lines held in a currency other than the entity's, on accounts that
revalue, count (:func:`closekit.revalue.balances`): they are gathered once, in
``post_foreign``, so a month costs in proportion to them, not to the journal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from closekit import revalue
from closekit.post.lines import FOREIGN_LINES, LINE_COLUMNS
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# Lines that can move a revalued balance: in a document currency other than
# the entity's, on an account that revalues.
_HELD_FOREIGN = """
    JOIN account a ON a.account = j.account AND a.revalue
    JOIN entity e ON e.entity = j.entity AND e.currency <> j.currency
"""

# What the journal keeps (the pairs being posted are deleted first) through
# $last, and the lines being posted, of such lines.
_FOREIGN = f"""
CREATE OR REPLACE TEMP TABLE post_foreign AS
SELECT j.* FROM journal j {_HELD_FOREIGN}
WHERE j.period <= $last AND j.entity IN (SELECT entity FROM post_scope)
UNION ALL
SELECT j.* FROM ({FOREIGN_LINES}) j {_HELD_FOREIGN}
"""

# Everything through $period of the month's posted entities.
_THROUGH = f"""
SELECT {LINE_COLUMNS} FROM post_foreign
WHERE period <= $period AND entity IN (SELECT entity FROM post_scope WHERE period = $period)
UNION ALL
SELECT {LINE_COLUMNS} FROM post_revaluation
WHERE period < $period AND entity IN (SELECT entity FROM post_scope WHERE period = $period)
"""


def revalue_months(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    periods: Sequence[str],
    params: Mapping[str, object],
) -> None:
    """Fill ``post_revaluation`` with the revaluation lines of ``periods``,
    in order, for the entities of ``post_scope``; ``params`` are the lines'
    ($first, $last, $group, $fx_gain_loss). Refuses
    (:class:`closekit.revalue.MissingClosingRate`) at the first month with a
    foreign balance and no closing rate."""
    con.execute("CREATE OR REPLACE TEMP TABLE post_revaluation AS FROM journal LIMIT 0")
    con.execute(_FOREIGN, dict(params))
    held = con.execute("SELECT count(*) FROM post_foreign").fetchone()
    if not held or held[0] == 0:
        return  # nothing held in a foreign currency: nothing to revalue
    for period in periods:
        with revalue.revaluation(settings, con, period, _THROUGH, {}) as revalued:
            con.execute(
                f"INSERT INTO post_revaluation SELECT * FROM ({revalued.lines})", revalued.params
            )


def drop_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP TABLE IF EXISTS post_foreign")
    con.execute("DROP TABLE IF EXISTS post_revaluation")

"""Posting one period, or consecutive periods in one pass (SPEC section 6).

The periods' lines are one INSERT, inside one transaction that first deletes
the lines it replaces: the lines of every source row
(:mod:`closekit.post.lines`) and each month's revaluation, computed month
after month beforehand (:mod:`closekit.post.revaluation`). One append lets
DuckDB write the lines straight to the database file
(:func:`closekit.db.single_append`) instead of through the write-ahead log;
one transaction and one checkpoint serve every period of a range, which is
what makes posting years of history cost in proportion to its rows rather
than to its months. The journal is the same as posting the periods one after
the other (tests/test_post_range.py).

The lines are inserted unsorted: the journal's row order is no contract
(sorting millions of wide lines cost more than building them), and every
reader orders explicitly (exports, drill-down).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from closekit import status
from closekit.db import amounts_fit, single_append, transaction
from closekit.periods import period_folders
from closekit.post.lines import period_lines, require_average_rates
from closekit.post.outcome import PostReport, reports
from closekit.post.revaluation import drop_tables, revalue_months
from closekit.post.scope import SOURCE_FINGERPRINTS, bases, fill_scope
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

_LINES = period_lines()

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

# The pairs being posted, as a condition on a table with period and entity.
IN_SCOPE = (
    "period BETWEEN $first AND $last"
    " AND (period, entity) IN (SELECT period, entity FROM post_scope)"
)


def write_totals(
    con: duckdb.DuckDBPyConnection, where: str = "true", params: Mapping[str, object] | None = None
) -> None:
    """Replace the ``journal_total`` rows of the journal lines ``where``
    selects (SQL over period and entity, e.g. the pairs being posted) by the
    totals of those lines. Posting calls it in the transaction that writes
    the lines."""
    con.execute(f"DELETE FROM journal_total WHERE {where}", dict(params or {}))
    con.execute(
        f"INSERT INTO journal_total {_TOTALS_OF_LINES.format(where=where)}", dict(params or {})
    )


def _require_postable(
    settings: Settings, con: duckdb.DuckDBPyConnection, periods: list[str]
) -> None:
    """Each period unlocked and loaded; every earlier period with a folder
    posted and fresh; the periods consecutive (no folder between them left
    out), so that each one's earlier periods are posted or in the range."""
    folders = [p for p in period_folders(settings.ledgers_dir) if periods[0] <= p <= periods[-1]]
    if len(periods) > 1 and periods != folders:
        raise ValueError(f"not consecutive periods with folders: {periods}")
    # each period's locks before any period's steps: the periods being
    # sorted, the first refusal is the one posting them in turn meets
    status.require_unlocked_periods(con, periods)
    status.require_steps(con, periods, "loaded", fresh=False)
    status.require_earlier_posted(settings, con, periods[0])


def _mark(con: duckdb.DuckDBPyConnection, periods: list[str], before: dict[str, str]) -> None:
    """Mark the periods posted, ending as posting them one by one ends: the
    last period whose balances changed makes every later posted period
    stale (a later one of the range is fresh again once it is posted)."""
    after = status.balances_fingerprints(con, periods)
    changed = [p for p in periods if after[p] != before[p]]
    if changed:
        status.mark_later_stale(con, changed[-1])
    status.mark_periods(con, periods, "posted")


def _post(
    settings: Settings, con: duckdb.DuckDBPyConnection, periods: list[str], full: bool
) -> dict[str, tuple[str, ...]]:
    """Write the periods' lines, totals and status in one transaction; the
    entities rebuilt per period."""
    first, last = periods[0], periods[-1]
    bounds = {"first": first, "last": last}
    params = {
        **bounds,
        "group": settings.currency,
        "fx_gain_loss": settings.accounts.fx_gain_loss,
    }
    before = status.balances_fingerprints(con, periods)
    posted = fill_scope(con, periods, bases(settings, con, [first])[first], full)
    require_average_rates(con, first, last)
    with transaction(con):
        con.execute(f"DELETE FROM journal WHERE {IN_SCOPE}", bounds)
        revalue_months(settings, con, periods, params)
        # The periods' lines are the transaction's one append to the
        # journal (see db.single_append).
        with single_append(con):
            con.execute(
                f"INSERT INTO journal SELECT * FROM ({_LINES}) UNION ALL FROM post_revaluation",
                params,
            )
        write_totals(con, IN_SCOPE, bounds)
        _mark(con, periods, before)
        # After the marks: a period's basis holds its earlier periods' posting times.
        basis = bases(settings, con, periods)
        con.execute(
            f"""INSERT OR REPLACE INTO posted_entity
                SELECT f.period, f.entity, f.source, b.basis, count(j.entity)
                FROM ({SOURCE_FINGERPRINTS}) f
                JOIN (SELECT unnest($periods::VARCHAR[]) AS period,
                             unnest($bases::VARCHAR[]) AS basis) b USING (period)
                LEFT JOIN journal j ON j.period = f.period AND j.entity = f.entity
                WHERE (f.period, f.entity) IN (SELECT period, entity FROM post_scope)
                GROUP BY ALL""",
            {
                "periods": periods,
                "bases": [basis[p] for p in periods],
                **bounds,
            },
        )
    return posted


@amounts_fit("post")
def post_periods(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    periods: Sequence[str],
    full: bool = False,
) -> list[PostReport]:
    """Rebuild the journal of consecutive ``periods`` from their loaded rows
    in one pass, ending where posting them one after the other ends (SPEC
    section 6). Refuses before writing anything unless every period is
    unlocked and loaded and every earlier period with a folder is posted and
    fresh.

    Posting is by entity: an entity's lines depend only on its own rows and
    the basis (master data, settings, code, earlier periods' journals). When
    the first period was posted before on the same basis, only its entities
    whose accepted rows changed are rebuilt (``full`` rebuilds all); the
    later periods are rebuilt whole, their basis having changed with it. The
    journal is the same either way.
    """
    chosen = sorted(periods)
    if not chosen:
        return []
    _require_postable(settings, con, chosen)
    try:
        posted = _post(settings, con, chosen, full)
    finally:
        con.execute("DROP TABLE IF EXISTS post_scope")
        drop_tables(con)
    # Folding the transaction into the database file here counts its cost
    # where it is caused, not in whichever later step's commit crosses
    # DuckDB's WAL threshold.
    con.execute("CHECKPOINT")
    return reports(con, posted)


def post_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, full: bool = False
) -> PostReport:
    """Rebuild ``period``'s journal from its loaded rows (:func:`post_periods`).

    Marks the period posted and, when its balances changed
    (status.balances_fingerprints), every later posted period stale.
    """
    (report,) = post_periods(settings, con, [period], full)
    return report

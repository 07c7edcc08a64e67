"""Close progress per period: which steps ran, locks, staleness.

Each step (load, post, consolidate, manage, check, report) calls
:func:`require_step` before it runs and :func:`mark` when it has written its
tables. Refusals raise :class:`PeriodError` (exit code 2) naming the real
cause first: a period without a folder is unknown (:func:`require_ready`), a
period whose earlier steps did not run is told the first one missing.

Staleness follows content: re-posting a period makes the later posted
periods stale only when the balances they build on changed
(:func:`balances_fingerprints`), so a re-post that leaves every balance as it
was leaves them valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from closekit import snapshot
from closekit.errors import PeriodError
from closekit.periods import period_folders
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

STEPS = ("loaded", "posted", "consolidated", "managed", "checked", "reported")
# The command that runs each step.
COMMANDS = {
    "loaded": "load",
    "posted": "post",
    "consolidated": "consolidate",
    "managed": "manage",
    "checked": "check",
    "reported": "report",
}


def _row(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, object] | None:
    return _rows(con, [period]).get(period)


def _rows(con: duckdb.DuckDBPyConnection, periods: Sequence[str]) -> dict[str, dict[str, object]]:
    """The ``period_status`` rows of ``periods`` (those it has), by period, in
    one query: a range's checks read the table once, not once a month."""
    if not periods:
        return {}
    cur = con.execute(
        "SELECT * FROM period_status WHERE list_contains(?::VARCHAR[], period)", [list(periods)]
    )
    names = [d[0] for d in cur.description]
    found = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    return {str(row["period"]): row for row in found}


def require_period_folder(settings: Settings, period: str) -> None:
    """The period must have a folder under ledgers/ (SPEC section 2)."""
    if not (settings.ledgers_dir / period).is_dir():
        raise PeriodError(f"unknown period {period}: no folder ledgers/{period}")


def require_unlocked(con: duckdb.DuckDBPyConnection, period: str, later: bool = True) -> None:
    """Loading, posting, consolidating and the management step rewrite a
    period: refused while it is locked (SPEC section 5), and (``later``)
    while a later period is locked, whose opening balances it gives (SPEC
    section 20)."""
    require_unlocked_periods(con, [period], later)


def require_unlocked_periods(
    con: duckdb.DuckDBPyConnection, periods: Sequence[str], later: bool = True
) -> None:
    """:func:`require_unlocked` of each of ``periods`` in turn (the first
    refusal raised), from one read of the locks."""
    locked = sorted(
        str(p)
        for (p,) in con.execute(
            "SELECT period FROM period_status WHERE locked_at IS NOT NULL"
        ).fetchall()
    )
    for period in periods:
        if period in locked:
            raise PeriodError(
                f"period {period} is locked; `closekit reopen {period} --reason ...` first"
            )
        after = next((p for p in locked if p > period), None) if later else None
        if after is not None:
            raise PeriodError(
                f"period {period} comes before locked period {after}, whose opening balances"
                f" it gives; reopen {after} first (`closekit reopen {after} --reason ...`)"
            )


def require_fresh(con: duckdb.DuckDBPyConnection, period: str, step: str = "posted") -> None:
    """Refuse a period that must run ``step`` (or an earlier step) again: a
    period stale since an earlier one was re-consolidated keeps its posting
    (SPEC 20), one stale since an earlier one was re-posted does not."""
    _require_fresh_row(period, _row(con, period), step)


def _require_fresh_row(period: str, row: dict[str, object] | None, step: str) -> None:
    if row is None or not row["stale_reason"]:
        return
    redo = str(row["stale_step"] or "posted")
    if STEPS.index(step) >= STEPS.index(redo):
        raise PeriodError(
            f"period {period} is stale ({row['stale_reason']}); {COMMANDS[redo]} it again"
        )


def require_step(
    con: duckdb.DuckDBPyConnection, period: str, step: str, fresh: bool = True
) -> None:
    """Refuse unless ``step`` ran for ``period`` (and, when ``fresh``, the period is
    not stale; posting a stale period is how it becomes fresh again).

    The refusal names the first step that did not run: ``tb`` of a period
    never loaded says to load it, not to consolidate it."""
    require_steps(con, [period], step, fresh)


def require_steps(
    con: duckdb.DuckDBPyConnection, periods: Sequence[str], step: str, fresh: bool = True
) -> None:
    """:func:`require_step` of each of ``periods`` in turn, from one read."""
    assert step in STEPS, step
    rows = _rows(con, periods)
    for period in periods:
        row = rows.get(period)
        if row is None or row[f"{step}_at"] is None:
            missing = next(
                s for s in STEPS[: STEPS.index(step) + 1] if row is None or row[f"{s}_at"] is None
            )
            raise PeriodError(
                f"period {period} is not {missing} yet; "
                f"run `closekit {COMMANDS[missing]} {period}` first"
            )
        if fresh:  # from the same row: a report asks this of every statement it shows
            _require_fresh_row(period, row, step)


def require_ready(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, step: str | None
) -> None:
    """What every command checks first: the period has a folder (else it is
    unknown), and ``step`` ran for it (when given)."""
    require_period_folder(settings, period)
    if step is not None:
        require_step(con, period, step)


def require_earlier_closed(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> None:
    """A close builds on every earlier period with a folder: each must be
    closed (checked, and not stale since) before ``period`` is. Names the
    first that is not, and the range that closes them all."""
    earlier_periods = [p for p in period_folders(settings.ledgers_dir) if p < period]
    rows = _rows(con, earlier_periods)
    for earlier in earlier_periods:
        row = rows.get(earlier)
        if row is not None and row["stale_reason"]:
            cause = f"{earlier} is stale ({row['stale_reason']})"
        elif row is None or row["checked_at"] is None:
            cause = f"{earlier} is not closed"
        else:
            continue
        raise PeriodError(
            f"{cause}; close {earlier} first (`closekit close {earlier}..{period}` "
            "closes them in order)"
        )


def require_earlier_posted(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Posting needs every earlier period that has a folder posted (SPEC section 6)."""
    earlier_periods = [p for p in period_folders(settings.ledgers_dir) if p < period]
    rows = _rows(con, earlier_periods)
    for earlier in earlier_periods:
        row = rows.get(earlier)
        if row is None or row["posted_at"] is None:
            raise PeriodError(
                f"earlier period {earlier} is not posted; run `closekit post {earlier}` first"
            )
        if row["stale_reason"] and row["stale_step"] in (None, "posted"):
            raise PeriodError(
                f"earlier period {earlier} is stale ({row['stale_reason']}); post it again"
            )


def mark(con: duckdb.DuckDBPyConnection, period: str, step: str, keep_later: bool = False) -> None:
    """Record that ``step`` ran now. Re-running a step clears the later steps,
    unless ``keep_later`` (the step left everything they read as it was).

    A consolidation also records the master data it ran with, which a lock
    of the period freezes (closekit.snapshot)."""
    mark_periods(con, [period], step, keep_later)


def mark_periods(
    con: duckdb.DuckDBPyConnection, periods: Sequence[str], step: str, keep_later: bool = False
) -> None:
    """:func:`mark` of several periods at once (a range posted in one pass)."""
    assert step in STEPS, step
    if step == "consolidated":
        for period in periods:
            snapshot.capture(con, period)
    later = () if keep_later else STEPS[STEPS.index(step) + 1 :]
    resets = "".join(f", {s}_at = NULL" for s in later)
    # posting makes a period fresh; consolidating, when only its
    # consolidation was stale
    stale = {
        "posted": ", stale_reason = NULL",
        "consolidated": ", stale_reason = CASE WHEN stale_step = 'consolidated' THEN NULL "
        "ELSE stale_reason END",
    }.get(step, "")
    con.execute(
        "INSERT INTO period_status (period) SELECT unnest(?::VARCHAR[]) ON CONFLICT DO NOTHING",
        [list(periods)],
    )
    con.execute(
        f"UPDATE period_status SET {step}_at = now(){resets}{stale}"
        " WHERE list_contains(?::VARCHAR[], period)",
        [list(periods)],
    )


# What later periods read of a posted period: its journal's period totals
# (functional and fixed group amounts by balance key: balances are cumulative
# and the P&L year to date), and the document-currency balances of the keys
# month-end revaluation revalues in later months (SPEC section 6, IAS 21.23).
# The text of every row, in order, hashed per period of $periods: equal
# fingerprints mean equal balances.
_BALANCES = """
SELECT p.period, md5(coalesce(string_agg(b.k, chr(10) ORDER BY b.k), ''))
FROM unnest($periods::VARCHAR[]) p(period)
LEFT JOIN (
    SELECT period, concat_ws('|', 't', entity, account, partner, profit_center, cost_center,
                             has_group, amount, amount_group) AS k
    FROM journal_total
    WHERE period BETWEEN $first AND $last AND (amount <> 0 OR amount_group <> 0)
    UNION ALL
    SELECT j.period, concat_ws('|', 'd', j.entity, j.account, j.partner, j.profit_center,
                               j.cost_center, j.currency, sum(j.amount_doc))
    FROM journal j
    JOIN account a ON a.account = j.account AND a.revalue
    JOIN entity e ON e.entity = j.entity AND e.currency <> j.currency
    WHERE j.period BETWEEN $first AND $last
    GROUP BY j.period, j.entity, j.account, j.partner, j.profit_center, j.cost_center, j.currency
    HAVING sum(j.amount_doc) <> 0
) b ON b.period = p.period
GROUP BY p.period
"""


def balances_fingerprints(con: duckdb.DuckDBPyConnection, periods: Sequence[str]) -> dict[str, str]:
    """Per period, a digest of everything later periods read of its
    journal (see _BALANCES); keys whose total is zero do not count."""
    params = {"periods": list(periods), "first": min(periods), "last": max(periods)}
    return {p: str(digest) for p, digest in con.execute(_BALANCES, params).fetchall()}


def mark_later_stale(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Re-posting ``period`` with different balances makes every later posted
    period stale."""
    con.execute(
        "UPDATE period_status SET stale_reason = ?, stale_step = 'posted' "
        "WHERE period > ? AND posted_at IS NOT NULL",
        [f"{period} was re-posted with different balances", period],
    )


def mark_later_consolidations_stale(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Re-consolidating ``period`` with different entries makes every later
    consolidated period stale (SPEC 20): it must be consolidated again (its
    posting stands). A locked period keeps its figures; a period already
    stale since a re-post stays so."""
    con.execute(
        "UPDATE period_status SET stale_reason = ?, stale_step = 'consolidated' "
        "WHERE period > ? AND consolidated_at IS NOT NULL AND locked_at IS NULL "
        "AND (coalesce(stale_reason, '') = '' OR stale_step = 'consolidated')",
        [f"{period} was re-consolidated with different entries", period],
    )


def audit(con: duckdb.DuckDBPyConnection, period: str, action: str, detail: str = "") -> None:
    """Append to the audit log (locks, reopens, reloads)."""
    audit_periods(con, [period], action, [detail])


def audit_periods(
    con: duckdb.DuckDBPyConnection, periods: Sequence[str], action: str, details: Sequence[str]
) -> None:
    """:func:`audit` of several periods, each with its detail, in one insert
    (in this order)."""
    con.execute(
        "INSERT INTO audit_log SELECT now(), unnest($periods::VARCHAR[]), $action, "
        "unnest($details::VARCHAR[])",
        {"periods": list(periods), "action": action, "details": list(details)},
    )

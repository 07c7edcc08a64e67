"""Months of the management view that a locked period fixes (SPEC sections 5
and 8).

A period's management run allocates every month of its fiscal year up to
the period, and the prior month, each on the month's own costs and revenue
(closekit.manage). A later period that is managed while an earlier one is
locked must show the locked months as they were locked (its year to date
and prior-month comparatives never move), even when ``allocations.csv`` or
the cost centers changed since: for those months it takes the postings and
warnings of the latest locked run that allocated them, instead of running
the cycles again with today's master data.
"""

from __future__ import annotations

import duckdb

from closekit.periods import fiscal_months, previous
from closekit.workspace import Settings


def run_months(period: str, fy_start_month: int) -> list[str]:
    """The months a management run of ``period`` allocates: its fiscal year
    up to it, and the prior month (for the comparative)."""
    return sorted({*fiscal_months(period, fy_start_month), previous(period)})


def locked_months(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, months: list[str]
) -> dict[str, str]:
    """SPEC section 5: a later period reads a locked period's figures as they
    were locked. Each of ``months`` that the management run of a locked
    period L before ``period`` allocated (L's fiscal year up to L, and L's
    prior month) -> the latest such L, whose postings are reused rather than
    recomputed with today's allocations.csv and cost centers."""
    locked = con.execute(
        "SELECT period FROM period_status WHERE locked_at IS NOT NULL"
        " AND managed_at IS NOT NULL AND period < ? ORDER BY period",
        [period],
    ).fetchall()
    frozen: dict[str, str] = {}
    for (run,) in locked:  # in period order: the latest run wins
        for month in run_months(run, settings.fiscal_year_start):
            if month in months:
                frozen[month] = run
    return frozen


def reuse_locked(con: duckdb.DuckDBPyConnection, period: str, locked: dict[str, str]) -> None:
    """Copy the locked runs' postings and warnings of their months to ``period``."""
    for month, run in sorted(locked.items()):
        for table in ("allocation_posting", "management_warning"):
            con.execute(
                f"INSERT INTO {table} SELECT ?, * EXCLUDE (period) FROM {table}"
                " WHERE period = ? AND month = ?",
                [period, run, month],
            )

"""The workspace's audit log (``audit_log``, append-only): loads, locks,
reopens with their reasons, and every report with the SHA-256 of the
manifest it wrote (issue 18 item 8). ``closekit log`` shows it; the audit
site shows the period's locks and reopens; ``closekit verify`` run in the
workspace compares a pack's manifest with the last report recorded here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from closekit import status

if TYPE_CHECKING:
    import duckdb

REPORT = "report"
_SHA = re.compile(r"manifest\.json SHA-256 ([0-9a-f]{64})")


class Entry(NamedTuple):
    """One line of the audit log; ``logged_at`` as ``YYYY-MM-DD HH:MM:SS``."""

    logged_at: str
    period: str
    action: str
    detail: str


class Recorded(NamedTuple):
    """A report of a period: when, and the SHA-256 of its manifest.json."""

    logged_at: str
    sha256: str


def record_report(
    con: duckdb.DuckDBPyConnection, period: str, sha256: str, outputs: int, draft: bool
) -> None:
    """Keep the SHA-256 of the manifest a report just put in ``out/PERIOD``."""
    state = "DRAFT" if draft else "final"
    detail = f"manifest.json SHA-256 {sha256}; {outputs} output file(s); {state}"
    status.audit(con, period, REPORT, detail)


def entries(
    con: duckdb.DuckDBPyConnection,
    period: str | None = None,
    actions: tuple[str, ...] = (),
) -> list[Entry]:
    """The log in the order it was written, of one period when given, of
    some actions when given."""
    rows = con.execute(
        """SELECT strftime(logged_at, '%Y-%m-%d %H:%M:%S'), period, action, detail
           FROM audit_log
           WHERE ($period IS NULL OR period = $period)
             AND (len($actions) = 0 OR list_contains($actions, action))
           ORDER BY logged_at, rowid""",
        {"period": period, "actions": list(actions)},
    ).fetchall()
    return [Entry(*row) for row in rows]


def reports(con: duckdb.DuckDBPyConnection, period: str) -> list[Recorded]:
    """The period's reports with their manifest SHA-256, oldest first."""
    found = []
    for entry in entries(con, period, (REPORT,)):
        sha = _SHA.search(entry.detail)
        if sha:
            found.append(Recorded(entry.logged_at, sha.group(1)))
    return found

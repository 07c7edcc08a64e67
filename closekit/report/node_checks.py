"""The checks as an intermediate node's workbook shows them (docs/reports.md).

``group.xlsx`` shows every check with its full detail. A node's workbook
``nodes/NODE.xlsx`` has the same Summary and Checks sheets, but each check
shows its name and status (pass / warn / fail: the period's DRAFT is the
group's) and, as its detail, only the findings about the node's subtree
(:func:`closekit.report.node_inputs.subtrees`: the node, the nodes and
entities below it), followed by a line pointing to ``group.xlsx`` for the
group's details. A late file elsewhere in the group changes the group's
details (its profit, its row counts) but not what a node whose subtree did
not change shows, so that workbook is reused (:mod:`closekit.report.reuse`).

:func:`subtree_checks` is both what the workbook renders and what its
fingerprint hashes (:mod:`closekit.report.node_inputs`), so the two cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import duckdb

SHOWN = 5  # findings named in a node's detail; the rest are counted


class CheckFinding(NamedTuple):
    """A finding of a recorded check (``check_finding``)."""

    check: str  # its check id (a period records each check once)
    about: tuple[str, ...]  # entities or nodes; none: the group as a whole
    text: str


class SubtreeCheck(NamedTuple):
    """A check as a node shows it: its name, its status, and the findings
    about the node's subtree (all of them, in the check's order)."""

    check: str
    status: str
    findings: tuple[str, ...]


def check_findings(con: duckdb.DuckDBPyConnection, period: str) -> tuple[CheckFinding, ...]:
    """Every finding of the period's recorded checks, in check order."""
    rows = con.execute(
        "SELECT c.check_id, f.about, f.text FROM check_finding f "
        "JOIN check_result c USING (period, seq) WHERE f.period = ? ORDER BY f.seq, f.n",
        [period],
    ).fetchall()
    return tuple(CheckFinding(str(c), tuple(map(str, about)), str(t)) for c, about, t in rows)


def subtree_checks(
    checks: Sequence[tuple[str, str, str]],
    findings: Iterable[CheckFinding],
    subtree: set[str] | frozenset[str],
) -> tuple[SubtreeCheck, ...]:
    """``checks`` (check id, status, detail, in order) as the node whose
    subtree is ``subtree`` shows them. A finding about the group as a whole
    (about nothing) is the group's alone."""
    mine: dict[str, list[str]] = {}
    for finding in findings:
        if subtree.intersection(finding.about):
            mine.setdefault(finding.check, []).append(finding.text)
    return tuple(
        SubtreeCheck(check, status, tuple(mine.get(check, ()))) for check, status, _ in checks
    )


def listing(findings: Sequence[str]) -> str:
    """The findings of a node's check as one detail line."""
    more = f"; and {len(findings) - SHOWN} more" if len(findings) > SHOWN else ""
    return "; ".join(findings[:SHOWN]) + more

"""A consolidation node's members and its worksheet (SPEC sections 7.2 and 7.3).

The worksheet shows, per account in tree order, each member's translated
balance, the node's eliminations, top-side journals (SPEC 18.2) and NCI
entries, and the consolidated balance: members plus entries, the figure
``closekit tb --node`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from closekit.report import labels
from closekit.report.chart import ZERO, Account

# Consolidation entry steps shown in the worksheet's NCI and Top-side
# columns; every other step (intercompany and investment elimination,
# unrealised profit, events) is an elimination.
NCI_STEPS = frozenset({"nci_result", "nci_reserves"})
TOPSIDE_STEPS = frozenset({"topside"})


@dataclass(frozen=True)
class NodeMember:
    """A member of a consolidation node (``node_member``) with its names."""

    entity: str
    name: str
    name_zh: str
    currency: str
    depth: int
    direct_parent: str
    ownership: Decimal
    effective: Decimal


def node_members(con: duckdb.DuckDBPyConnection, period: str, node: str) -> tuple[NodeMember, ...]:
    """The node itself first, then its members by depth and code."""
    rows = con.execute(
        """
        SELECT m.entity, e.name, e.name_zh, e.currency, m.depth, m.direct_parent,
               m.ownership, m.effective
        FROM node_member m JOIN entity e USING (entity)
        WHERE m.period = ? AND m.node = ?
        ORDER BY m.depth, m.entity
        """,
        [period, node],
    ).fetchall()
    return tuple(NodeMember(*row) for row in rows)


@dataclass(frozen=True)
class WorksheetLine:
    """One account of a node's consolidation worksheet, group currency, signed
    (debit positive): each member's translated balance, then the node's
    eliminations, top-side journals and NCI entries. A summary account
    carries the sums of its posting accounts."""

    account: str
    label: str
    level: int
    is_summary: bool
    members: tuple[Decimal, ...]
    eliminations: Decimal
    topside: Decimal
    nci: Decimal

    @property
    def members_total(self) -> Decimal:
        return sum(self.members, ZERO)

    @property
    def consolidated(self) -> Decimal:
        """SPEC 7.2: the members' translated balances plus the node's entries."""
        return self.members_total + self.eliminations + self.topside + self.nci


def consolidation_worksheet(
    tree: tuple[Account, ...],
    language: str,
    members: Sequence[str],
    balances: Iterable[tuple[str, str, Decimal]],
    entries: Iterable[tuple[str, str, Decimal]],
) -> tuple[WorksheetLine, ...]:
    """Lines in tree order for every account with a figure in any column.

    balances: (entity, account, translated amount) of the members.
    entries: (step, account, amount) of the node's consolidation entries.
    """
    column = {entity: i for i, entity in enumerate(members)}
    by_member: dict[str, list[Decimal]] = {}
    for entity, account, amount in balances:
        if entity in column:
            by_member.setdefault(account, [ZERO] * len(members))[column[entity]] += amount
    # entry columns: eliminations, top-side, NCI
    entry_columns: tuple[dict[str, Decimal], ...] = ({}, {}, {})
    for step, account, amount in entries:
        target = entry_columns[2 if step in NCI_STEPS else 1 if step in TOPSIDE_STEPS else 0]
        target[account] = target.get(account, ZERO) + amount
    lines: list[WorksheetLine] = []
    for acc in tree:
        figures = [by_member.get(a) for a in acc.leaves]
        entry_sums = [sum((c.get(a, ZERO) for a in acc.leaves), ZERO) for c in entry_columns]
        if not any(m is not None and any(m) for m in figures) and not any(
            c.get(a) for c in entry_columns for a in acc.leaves
        ):
            continue
        totals = [ZERO] * len(members)
        for m in figures:
            for i, amount in enumerate(m or ()):
                totals[i] += amount
        eliminations, topside, nci = entry_sums
        lines.append(
            WorksheetLine(
                account=acc.account,
                label=labels.name(language, acc.name, acc.name_zh),
                level=acc.level,
                is_summary=acc.is_summary,
                members=tuple(totals),
                eliminations=eliminations,
                topside=topside,
                nci=nci,
            )
        )
    return tuple(lines)

"""A consolidation node's members and its worksheet (SPEC sections 7.2 and 7.3).

The worksheet shows, per account in tree order, each member's translated
balance, the node's eliminations and NCI entries, and the consolidated
balance: members plus entries, the figure ``closekit tb --node`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from closekit.report import labels
from closekit.report.chart import ZERO, Account

# Consolidation entry steps shown in the worksheet's NCI column; every other
# step (intercompany and investment elimination) is an elimination.
NCI_STEPS = frozenset({"nci_result", "nci_reserves"})


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
    eliminations and NCI entries. A summary account carries the sums of its
    posting accounts."""

    account: str
    label: str
    level: int
    is_summary: bool
    members: tuple[Decimal, ...]
    eliminations: Decimal
    nci: Decimal

    @property
    def members_total(self) -> Decimal:
        return sum(self.members, ZERO)

    @property
    def consolidated(self) -> Decimal:
        """SPEC 7.2: the members' translated balances plus the node's entries."""
        return self.members_total + self.eliminations + self.nci


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
    elim: dict[str, Decimal] = {}
    nci: dict[str, Decimal] = {}
    for step, account, amount in entries:
        target = nci if step in NCI_STEPS else elim
        target[account] = target.get(account, ZERO) + amount
    lines: list[WorksheetLine] = []
    for acc in tree:
        figures = [(by_member.get(a), elim.get(a, ZERO), nci.get(a, ZERO)) for a in acc.leaves]
        if not any((m is not None and any(m)) or e or n for m, e, n in figures):
            continue
        totals = [ZERO] * len(members)
        for m, _e, _n in figures:
            for i, amount in enumerate(m or ()):
                totals[i] += amount
        lines.append(
            WorksheetLine(
                account=acc.account,
                label=labels.name(language, acc.name, acc.name_zh),
                level=acc.level,
                is_summary=acc.is_summary,
                members=tuple(totals),
                eliminations=sum((e for _m, e, _n in figures), ZERO),
                nci=sum((n for _m, _e, n in figures), ZERO),
            )
        )
    return tuple(lines)

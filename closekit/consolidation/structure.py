"""Consolidation nodes and their members (SPEC section 7.2).

Every entity with subsidiaries consolidated line by line is a node; the top
entity is the group. The members of node N are N and the descendants reached
from N through an unbroken chain of ``full``-method entities. Effective
ownership is the product of the direct holdings along the path from N
(exclusive) down to the member (inclusive).

The entity tree is master data (tens of rows), so it is walked in Python with
exact Decimals; the result is written to ``node_member`` for the set-based
elimination SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import duckdb

from closekit.errors import UnknownCode

# node_member.effective is DECIMAL(38, 18).
_EFFECTIVE_PLACES = Decimal(1).scaleb(-18)


def top_entity(con: duckdb.DuckDBPyConnection) -> str:
    """The group parent: the one entity without a parent (master data guarantees one)."""
    row = con.execute("SELECT entity FROM entity WHERE parent = '' ORDER BY entity").fetchone()
    if row is None:
        raise UnknownCode("no group entity in master data; run `closekit load PERIOD` first")
    return str(row[0])


@dataclass(frozen=True)
class Member:
    """One member of a node.

    depth: 0 for the node itself, 1 for its direct subsidiaries, ...
    direct_parent: the member's parent entity ('' for the node).
    ownership: the direct parent's holding as a fraction (1 for the node).
    effective: product of holdings from the node (exclusive); 1 for the node.
    """

    node: str
    entity: str
    depth: int
    direct_parent: str
    ownership: Decimal
    effective: Decimal


@dataclass(frozen=True)
class EntityRow:
    entity: str
    parent: str
    ownership_pct: Decimal
    method: str


def read_entities(con: duckdb.DuckDBPyConnection) -> list[EntityRow]:
    rows = con.execute(
        "SELECT entity, parent, ownership_pct, method FROM entity ORDER BY entity"
    ).fetchall()
    return [EntityRow(e, p, Decimal(pct), m.lower()) for e, p, pct, m in rows]


def node_members(entities: list[EntityRow]) -> list[Member]:
    """Members of every node, nodes in tree order (the group first)."""
    children: dict[str, list[EntityRow]] = {}
    for row in entities:
        if row.parent:
            children.setdefault(row.parent, []).append(row)
    for kids in children.values():
        kids.sort(key=lambda r: r.entity)

    def full_children(entity: str) -> list[EntityRow]:
        return [c for c in children.get(entity, []) if c.method == "full"]

    members: list[Member] = []
    for top in sorted(r.entity for r in entities if not r.parent):
        # Nodes: the top entity and every group member with a full subsidiary.
        order = [top]
        for node in order:
            order.extend(c.entity for c in full_children(node))
        for node in order:
            if node != top and not full_children(node):
                continue
            members.append(Member(node, node, 0, "", Decimal(1), Decimal(1)))
            stack = [(c, 1, Decimal(1)) for c in reversed(full_children(node))]
            while stack:
                child, depth, above = stack.pop()
                own = child.ownership_pct / 100
                effective = above * own
                members.append(Member(node, child.entity, depth, child.parent, own, effective))
                stack.extend(
                    (c, depth + 1, effective) for c in reversed(full_children(child.entity))
                )
    return members


def excluded_entities(entities: list[EntityRow]) -> list[str]:
    """Entities outside line-by-line consolidation: method equity/none and
    everything below them (SPEC section 3; closekit warns)."""
    parent = {r.entity: r for r in entities}
    out = []
    for row in entities:
        cursor: EntityRow | None = row
        while cursor is not None and cursor.parent:
            if cursor.method != "full":
                out.append(row.entity)
                break
            cursor = parent.get(cursor.parent)
    return out


def write_node_members(con: duckdb.DuckDBPyConnection, period: str) -> list[Member]:
    """Rebuild ``node_member`` for ``period`` (caller holds the transaction)."""
    members = node_members(read_entities(con))
    con.execute("DELETE FROM node_member WHERE period = ?", [period])
    if members:
        con.executemany(
            "INSERT INTO node_member VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    period,
                    m.node,
                    m.entity,
                    m.depth,
                    m.direct_parent,
                    m.ownership,
                    m.effective.quantize(_EFFECTIVE_PLACES, rounding=ROUND_HALF_UP),
                )
                for m in members
            ],
        )
    return members

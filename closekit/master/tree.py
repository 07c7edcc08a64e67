"""The group tree of a period from master data alone (SPEC 7.2, 14): every
node and its members, with direct and effective holdings.

The structure at period P is entities.csv overlaid with the ownership.csv
rows in force at P (:func:`closekit.master.ownership.holdings_at`). Every
entity with a subsidiary consolidated line by line is a node; the top entity
is the group. The members of node N are N and the descendants reached from
N through an unbroken chain of ``full`` holdings. Effective ownership is the
exact product of the direct holdings along the path from N (exclusive) down
to the member (inclusive).

It lives with master data because more than consolidation needs it: loading
checks a top-side journal's node against the period's nodes
(closekit.load.topside), and the management view and queries find the
group's top entity. closekit.consolidation.structure adds the events and
writes the tree to ``structure`` and ``node_member``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.errors import UnknownCode
from closekit.master.ownership import Holding, holdings_at

if TYPE_CHECKING:
    import duckdb

Holdings = dict[str, Holding]


def top_entity(con: duckdb.DuckDBPyConnection) -> str:
    """The group parent: the one entity without a parent (master data guarantees one)."""
    row = con.execute("SELECT entity FROM entity WHERE parent = '' ORDER BY entity").fetchone()
    if row is None:
        raise UnknownCode("no group entity in master data; run `closekit load PERIOD` first")
    return str(row[0])


def read_holdings(
    con: duckdb.DuckDBPyConnection,
) -> tuple[Holdings, dict[str, list[tuple[str, Holding]]]]:
    """entities.csv as the base structure, and ownership.csv rows by entity."""
    base = {
        entity: Holding(parent, Decimal(pct), method.lower(), "master/entities.csv")
        for entity, parent, pct, method in con.execute(
            "SELECT entity, parent, ownership_pct, method FROM entity ORDER BY entity"
        ).fetchall()
    }
    dated: dict[str, list[tuple[str, Holding]]] = {}
    for entity, start, parent, pct, method, path, row in con.execute(
        "SELECT entity, from_period, parent, ownership_pct, method, path, row_no "
        "FROM ownership ORDER BY entity, from_period"
    ).fetchall():
        dated.setdefault(entity, []).append(
            (start, Holding(parent, Decimal(pct), method, f"{path}:{row}"))
        )
    return base, dated


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


def _children(holdings: Holdings) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for entity, holding in sorted(holdings.items()):
        if holding.parent:
            children.setdefault(holding.parent, []).append(entity)
    return children


def node_members(holdings: Holdings) -> list[Member]:
    """Members of every node, nodes in tree order (the group first)."""
    children = _children(holdings)

    def full_children(entity: str) -> list[str]:
        return [c for c in children.get(entity, []) if holdings[c].method == "full"]

    members: list[Member] = []
    for top in sorted(e for e, h in holdings.items() if not h.parent and h.method != "none"):
        # Nodes: the top entity and every group member with a full subsidiary.
        order = [top]
        for node in order:
            order.extend(full_children(node))
        for node in order:
            if node != top and not full_children(node):
                continue
            members.append(Member(node, node, 0, "", Decimal(1), Decimal(1)))
            stack = [(c, 1, Decimal(1)) for c in reversed(full_children(node))]
            while stack:
                child, depth, above = stack.pop()
                holding = holdings[child]
                own = holding.ownership / 100
                effective = above * own
                members.append(Member(node, child, depth, holding.parent, own, effective))
                stack.extend((c, depth + 1, effective) for c in reversed(full_children(child)))
    return members


def excluded_entities(holdings: Holdings) -> list[str]:
    """Entities outside line-by-line consolidation in the period: not members
    of the group node (method equity/none, below such an entity, or sold)."""
    members = node_members(holdings)
    group = {m.entity for m in members if m.node == members[0].node} if members else set()
    return sorted(set(holdings) - group)


def members_at(con: duckdb.DuckDBPyConnection, period: str) -> list[Member]:
    """The members of every node at ``period``, from the master tables."""
    base, dated = read_holdings(con)
    return node_members(holdings_at(base, dated, period))

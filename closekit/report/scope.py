"""Which entities a node's statements hold, and why the others are not in them.

A consolidation node's statements take its full-method members (SPEC section
7.2). Every other entity below it in the group tree is listed too, with the
reason it is not consolidated line by line (its own method, or the entity
it is held through), and every entity with no journal line in closekit
through the period is marked as having no books (a holding company whose
ledgers are not loaded), so that an empty column or workbook is explained.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import duckdb

from closekit.report import labels


class EntityScope(NamedTuple):
    """An entity below a node (the node itself first).

    depth: below the node (0 for the node).
    ownership: the parent's direct holding, a fraction (1 for the node).
    effective: the node's effective holding (members only).
    status: ``member``, ``equity``, ``none`` (its own method) or ``below``
        (held through ``held_through``, whose method is ``method``).
    has_books: it has journal lines in closekit through the period.
    """

    entity: str
    name: str
    name_zh: str
    currency: str
    parent: str
    depth: int
    ownership: Decimal
    effective: Decimal | None
    method: str
    status: str
    held_through: str
    has_books: bool


def entities_with_books(con: duckdb.DuckDBPyConnection, period: str) -> frozenset[str]:
    """Entities with journal lines in any period up to ``period``."""
    rows = con.execute(
        "SELECT DISTINCT entity FROM journal_total WHERE period <= ?", [period]
    ).fetchall()
    return frozenset(str(e) for (e,) in rows)


def node_scope(
    con: duckdb.DuckDBPyConnection, period: str, node: str, books: frozenset[str]
) -> list[EntityScope]:
    """The node and every entity below it in the group tree, depth first by code."""
    rows = con.execute(
        "SELECT entity, name, name_zh, currency, parent, ownership_pct, method FROM entity "
        "ORDER BY entity"
    ).fetchall()
    members = dict(
        con.execute(
            "SELECT entity, effective FROM node_member WHERE period = ? AND node = ?",
            [period, node],
        ).fetchall()
    )
    by_code = {str(r[0]): r for r in rows}
    children: dict[str, list[str]] = {}
    for code, *_, parent, _pct, _method in rows:
        children.setdefault(str(parent), []).append(str(code))
    out: list[EntityScope] = []
    # (entity, depth, the first non-full entity on the way down from the node)
    stack: list[tuple[str, int, str]] = [(node, 0, "")]
    seen: set[str] = set()
    while stack:
        code, depth, blocked = stack.pop()
        if code in seen or code not in by_code:
            continue
        seen.add(code)
        _, name, name_zh, currency, parent, pct, method = by_code[code]
        method = (method or "full").lower()
        if code in members:
            status, through = "member", ""
        elif blocked:
            status, through = "below", blocked
        else:
            status, through = method if method != "full" else "none", ""
        if depth == 0:
            pct = Decimal(100)
        out.append(
            EntityScope(
                code, name, name_zh, currency, "" if depth == 0 else parent, depth,
                Decimal(pct) / 100, members.get(code), method, status, through, code in books,
            )
        )  # fmt: skip
        below = blocked or ("" if code in members else code)
        stack.extend((c, depth + 1, below) for c in reversed(children.get(code, [])))
    return out


def entity_status(language: str, scope: EntityScope, period: str) -> str:
    """Whether an entity's statements are in the node's, and why not."""
    text = labels.text(language, f"status_{scope.status}").format(scope.held_through)
    if not scope.has_books:
        text += " · " + labels.text(language, "no_books").format(period)
    return text

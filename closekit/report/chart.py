"""The chart of accounts as the statements walk it (SPEC sections 1 and 3).

:func:`account_tree` lists every account depth first, so an account's
descendants follow it contiguously (the Excel subtotal formulas rely on it);
:func:`presented` is the one place a stored sign (debit positive) becomes a
presented one: revenue, liabilities and equity show positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

ZERO = Decimal("0.00")

INCOME_TYPES = ("revenue", "expense")
# Credit-natured types are presented positive (SPEC section 1).
PRESENTED_NEGATED = frozenset({"revenue", "liability", "equity"})


def presented(account_type: str, stored: Decimal) -> Decimal:
    """The presented amount of a stored (debit positive) balance."""
    return -stored if account_type in PRESENTED_NEGATED else stored


@dataclass(frozen=True)
class Account:
    """One account of the chart with its place in the statement tree.

    level: depth in the tree (0 for a root), the indent of its line.
    leaves: the posting accounts at or below it (itself when it posts).
    credit_positive: its line shows a credit balance positive: by type
        (revenue, liability, equity), or as the statement layout says for
        it or its nearest ancestor (``master/statement_layout.csv``).
    subtotal, subtotal_zh: the name of the running income-statement
        subtotal printed after its subtree ('' for none; statement layout).
    """

    account: str
    name: str
    name_zh: str
    type: str
    parent: str
    is_summary: bool
    level: int
    leaves: tuple[str, ...]
    credit_positive: bool = False
    subtotal: str = ""
    subtotal_zh: str = ""

    def present(self, stored: Decimal) -> Decimal:
        """The presented amount of a stored (debit positive) balance on this line."""
        return -stored if self.credit_positive else stored


def account_tree(con: duckdb.DuckDBPyConnection) -> tuple[Account, ...]:
    """The chart of accounts in statement order: depth first from the roots,
    siblings by ``sort_key`` then code. Walking the tree here (rather than
    trusting ``sort_key`` alone) guarantees that an account's descendants
    follow it contiguously, which the Excel subtotal formulas rely on."""
    rows = con.execute(
        """SELECT a.account, a.name, a.name_zh, a.type, a.parent,
                  coalesce(l.positive, ''), coalesce(l.subtotal, ''), coalesce(l.subtotal_zh, '')
           FROM account a LEFT JOIN statement_layout l USING (account)
           ORDER BY a.sort_key, a.account"""
    ).fetchall()
    by_code = {r[0]: r for r in rows}
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for code, _name, _zh, _type, parent, *_layout in rows:
        if parent and parent in by_code:
            children.setdefault(parent, []).append(code)
        else:
            roots.append(code)

    order: list[tuple[str, int]] = []
    seen: set[str] = set()
    stack = [(code, 0) for code in reversed(roots)]
    while stack:
        code, level = stack.pop()
        if code in seen:  # master data refuses cycles; never loop on one
            continue
        seen.add(code)
        order.append((code, level))
        stack.extend((child, level + 1) for child in reversed(children.get(code, [])))

    # The layout's side shows positive for an account and everything below
    # it that says nothing itself (parents come first in ``order``).
    side: dict[str, str] = {}
    for code, _level in order:
        side[code] = by_code[code][5] or side.get(by_code[code][4], "")

    leaves: dict[str, tuple[str, ...]] = {}
    for code, _level in reversed(order):  # children before their parent
        below = children.get(code, [])
        found = [leaf for child in below for leaf in leaves.get(child, ())] if below else [code]
        leaves[code] = tuple(sorted(found))

    return tuple(
        Account(
            account=code, name=by_code[code][1], name_zh=by_code[code][2],
            type=by_code[code][3], parent=by_code[code][4], is_summary=code in children,
            level=level, leaves=leaves[code],
            credit_positive=(side[code] == "credit") if side[code]
            else by_code[code][3] in PRESENTED_NEGATED,
            subtotal=by_code[code][6], subtotal_zh=by_code[code][7],
        )
        for code, level in order
    )  # fmt: skip

"""accounts.csv (SPEC sections 3, 17, 18.1 and 19.2): the chart of accounts,
its statement hierarchy, translation rates, intercompany plugs, roles, and
the classes the v2 statements read (cash flow, OCI, equity column).
"""

from __future__ import annotations

from closekit.errors import Problem
from closekit.master.records import MasterRows, Row, check_enum, check_tree, unique_codes

ACCOUNT_TYPES = ("asset", "liability", "equity", "revenue", "expense")
DEFAULT_RATE = {
    "asset": "closing",
    "liability": "closing",
    "equity": "historical",
    "revenue": "average",
    "expense": "average",
}
RATES = ("closing", "average", "historical")
# The type each role needs (None: any type). SPEC 3 (share_capital,
# investment, ic_difference), 17 (dividend_income: revenue), 16.1
# (disposal_gain: a P&L account), 18.1 (inventory: goods, an asset).
ROLE_TYPES: dict[str, tuple[str, ...] | None] = {
    "": None,
    "share_capital": ("equity",),
    "investment": ("asset",),
    "ic_difference": None,
    "dividend_income": ("revenue",),
    "disposal_gain": ("revenue", "expense"),
    "inventory": ("asset",),
}
# SPEC 19.2: the statement of cash flows' classes, and the columns of the
# statement of changes in equity an equity account may be mapped to.
CASH_FLOW_CLASSES = ("cash", "operating", "investing", "financing")
OCI_KINDS = ("recycle", "keep")
EQUITY_COLUMNS = ("share_capital", "other_reserves", "translation_reserve", "retained_earnings")


def _default_cash_flow(kind: str, role: str, code: str, goodwill: str) -> str:
    """SPEC 19.2 defaults: investments and goodwill are investing, other assets
    and liabilities operating, equity financing; P&L accounts have no class."""
    if role == "investment" or code == goodwill:
        return "investing"
    return {"asset": "operating", "liability": "operating", "equity": "financing"}.get(kind, "")


def _cash_flow(code: str, nodes: dict[str, Row], kinds: dict[str, str], goodwill: str) -> str:
    """The account's own class, else the nearest parent's, else the default."""
    cursor, seen = code, set()
    while cursor in nodes and cursor not in seen:
        seen.add(cursor)
        own = nodes[cursor].get("cash_flow").lower()
        if own:
            return own if own in CASH_FLOW_CLASSES else ""
        cursor = nodes[cursor].get("parent")
    row = nodes[code]
    return _default_cash_flow(kinds[code], row.get("role").lower(), code, goodwill)


def _statement_columns(row: Row, kind: str, problems: list[Problem]) -> tuple[str, str, str]:
    """cash_flow (checked here, resolved later), oci and equity_column."""
    if row.get("cash_flow"):
        check_enum(row, "cash_flow", CASH_FLOW_CLASSES, problems)
    oci = check_enum(row, "oci", ("", *OCI_KINDS), problems)
    column = check_enum(row, "equity_column", ("", *EQUITY_COLUMNS), problems)
    for name, value in (("oci", oci), ("equity_column", column)):
        if value and kind != "equity":
            problems.append(row.problem(name, f"only equity accounts take {name} (type is {kind})"))
    return row.get("cash_flow").lower(), oci, column


def accounts(m: MasterRows, goodwill: str = "") -> list[tuple[object, ...]]:
    rows, problems = m.rows["accounts"], m.problems
    nodes = unique_codes(rows, "account", problems)
    check_tree(nodes, "parent", "account", problems)
    parents = {r.get("parent") for r in nodes.values()}
    kinds: dict[str, str] = {}
    out: list[list[object]] = []
    for code, row in nodes.items():
        kind = check_enum(row, "type", ACCOUNT_TYPES, problems)
        kinds[code] = kind
        rate = check_enum(row, "rate", RATES, problems, default=DEFAULT_RATE.get(kind, "closing"))
        role = check_enum(row, "role", tuple(ROLE_TYPES), problems)
        needs = ROLE_TYPES.get(role)
        if needs is not None and kind in ACCOUNT_TYPES and kind not in needs:
            problems.append(
                row.problem("role", f"role {role} needs an account of type {' or '.join(needs)}")
            )
        revalue = check_enum(row, "revalue", ("yes", "no"), problems, default="no") == "yes"
        plug = row.get("ic_plug")
        if plug and plug not in nodes:
            problems.append(row.problem("ic_plug", f'unknown account "{plug}"'))
        elif plug and plug in parents:
            problems.append(
                row.problem(
                    "ic_plug", f'plug account "{plug}" is a summary account; nothing posts to it'
                )
            )
        if role == "investment" and plug:
            problems.append(
                row.problem(
                    "ic_plug",
                    "an investment account is eliminated against share capital, "
                    "not through an ic_plug",
                )
            )
        if revalue and rate != "closing":
            problems.append(
                row.problem("revalue", f"only closing-rate accounts are revalued (rate is {rate})")
            )
        _, oci, equity_column = _statement_columns(row, kind, problems)
        out.append(
            [
                code,
                row.get("name"),
                row.get("name_zh"),
                kind,
                row.get("parent"),
                rate,
                plug,
                role,
                revalue,
                code in parents,
                0,
                "",  # cash_flow, resolved below once every account's type is known
                oci,
                equity_column,
            ]
        )
    for record in out:
        code = str(record[0])
        if kinds[code] in ("asset", "liability", "equity"):
            record[11] = _cash_flow(code, nodes, kinds, goodwill)
    _sort_keys(out, nodes)
    return [tuple(r) for r in out]


def _sort_keys(out: list[list[object]], nodes: dict[str, Row]) -> None:
    """sort_key: depth-first order of the hierarchy, children in code order,
    so statements list each summary account above its children."""
    children: dict[str, list[str]] = {}
    for code, row in nodes.items():
        parent = row.get("parent")
        children.setdefault(parent if parent in nodes else "", []).append(code)
    order: dict[str, int] = {}
    stack = sorted(children.get("", []), reverse=True)
    while stack:
        code = stack.pop()
        if code in order:
            continue
        order[code] = len(order) + 1
        stack.extend(sorted(children.get(code, []), reverse=True))
    for record in out:
        record[10] = order.get(str(record[0]), len(order) + 1)

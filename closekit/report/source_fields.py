"""A source row as it was in its file: its module's columns under their
SPEC section 4 names, the amounts first, then the rest, then the columns
closekit does not use (kept for lineage as a JSON object in
``source_row.extra``) as the plain values the file held."""

from __future__ import annotations

import json
from decimal import Decimal

from closekit.report.line_pages import JournalLine

# module -> (amount columns, other columns besides date, entity, currency, kind)
_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sales": (("net_amount", "tax_amount", "quantity"),
              ("customer", "partner", "profit_center", "product")),
    "purchasing": (("net_amount", "tax_amount", "quantity"),
                   ("supplier", "partner", "profit_center", "cost_center", "item")),
    "inventory": (("value", "quantity"), ("partner", "profit_center", "cost_center", "item")),
    "expenses": (("net_amount", "tax_amount"),
                 ("payee", "partner", "profit_center", "cost_center", "description")),
    "journals": (("debit", "credit", "amount_group"),
                 ("account", "partner", "profit_center", "cost_center", "description")),
    "opening": (("amount", "amount_group", "amount_doc"),
                ("account", "partner", "profit_center", "cost_center")),
}  # fmt: skip
# The file's column -> where source_row keeps it.
_STORED = {"customer": "counterparty", "supplier": "counterparty", "payee": "counterparty",
           "product": "item"}  # fmt: skip
_ON_LINE = frozenset({"partner", "profit_center", "cost_center"})


def money(value: Decimal) -> str:
    shown = f"{abs(value):,.2f}"
    return f"({shown})" if value < 0 else shown


def extra_columns(extra: str) -> list[tuple[str, str]]:
    """The columns closekit does not use, name and value, in file order."""
    if not extra:
        return []
    try:
        found = json.loads(extra)
    except json.JSONDecodeError:
        return [("", extra)]
    if not isinstance(found, dict):
        return [("", extra)]
    return [(str(k), "" if v is None else v if isinstance(v, str) else json.dumps(v))
            for k, v in found.items()]  # fmt: skip


def source_fields(line: JournalLine) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(amounts, other columns) of the row behind ``line``, as (name, shown
    value), empty values left out."""
    row = line.source
    if row is None:
        return [], []
    amount_columns, others = _COLUMNS.get(line.module, ((), ()))
    amounts = []
    for name in amount_columns:
        value = getattr(row, name)
        if value is None:
            continue
        shown = f"{value.normalize():f}" if name == "quantity" else money(value)
        amounts.append((name, shown))
    texts = [("date", line.date), ("entity", line.entity), ("currency", line.currency)]
    if line.kind:
        texts.append(("kind", line.kind))
    stored = set()
    for name in others:
        stored.add(_STORED.get(name, name))
        value = getattr(line, name) if name in _ON_LINE else getattr(row, _STORED.get(name, name))
        if value:
            texts.append((name, str(value)))
    # A stored text the module's file does not list (a description on a
    # sales row written by another tool) is still shown, under its own name.
    for name in ("counterparty", "item", "description"):
        if name not in stored and getattr(row, name):
            texts.append((name, str(getattr(row, name))))
    return amounts, [*texts, *extra_columns(row.extra)]

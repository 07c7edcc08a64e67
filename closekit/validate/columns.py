"""The columns of each period module (SPEC section 4; ``ic_ref``, the
invoice reference both sides of an intercompany document know, SPEC 20)."""

from __future__ import annotations

COMMON = ("doc_id", "line", "date", "entity", "currency")

# module -> (required columns besides the common ones, optional columns)
MODULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sales": (
        ("kind", "net_amount", "tax_amount"),
        ("customer", "partner", "profit_center", "product", "quantity", "ic_ref"),
    ),
    "purchasing": (
        ("kind", "net_amount", "tax_amount"),
        ("supplier", "partner", "profit_center", "cost_center", "item", "quantity", "ic_ref"),
    ),
    "inventory": (
        ("kind", "value"),
        ("partner", "profit_center", "cost_center", "item", "quantity"),
    ),
    "expenses": (
        ("kind", "net_amount", "tax_amount"),
        ("payee", "partner", "profit_center", "cost_center", "description", "ic_ref"),
    ),
    "journals": (
        ("account", "debit", "credit"),
        ("partner", "profit_center", "cost_center", "description", "amount_group", "flow"),
    ),
    "opening": (
        ("account", "amount"),
        ("partner", "profit_center", "cost_center", "amount_group", "amount_doc", "flow"),
    ),
}
SUBLEDGERS = ("sales", "purchasing", "inventory", "expenses")

# SPEC 19.1: the flows a journal row may name in its optional `flow` column
# (empty = movement). Opening rows are balances brought forward: `opening`.
JOURNAL_FLOWS = ("movement", "dividend", "capital", "oci", "acquisition")

# Every column any module reads, in the order the staging table holds them.
ALL_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [*COMMON, *(c for required, optional in MODULES.values() for c in (*required, *optional))]
    )
)

# Values that must be present on every row of a module (an empty amount
# column is an error for net_amount, value and amount; tax, debit and credit
# default to 0).
NON_EMPTY: dict[str, tuple[str, ...]] = {
    "sales": (*COMMON, "kind", "net_amount"),
    "purchasing": (*COMMON, "kind", "net_amount"),
    "inventory": (*COMMON, "kind", "value"),
    "expenses": (*COMMON, "kind", "net_amount"),
    "journals": (*COMMON, "account"),
    "opening": (*COMMON, "account", "amount"),
}

AMOUNT_COLUMNS = (
    "net_amount",
    "tax_amount",
    "value",
    "debit",
    "credit",
    "amount",
    "amount_group",
    "amount_doc",
)


def module_of(file_name: str) -> str:
    """The file name's prefix up to the first '-', '_' or '.', lower-case."""
    name = file_name.lower()
    cut = min(
        (i for i in (name.find("-"), name.find("_"), name.find(".")) if i >= 0), default=len(name)
    )
    return name[:cut]


def columns_of(module: str) -> tuple[str, ...]:
    required, optional = MODULES[module]
    return (*COMMON, *required, *optional)


def required_of(module: str) -> tuple[str, ...]:
    return (*COMMON, *MODULES[module][0])

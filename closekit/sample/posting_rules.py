"""The posting rules of the chart (``master/posting_rules.csv``, SPEC section
3) shared by the demo group and the synthetic generator: how each module's
rows post, by kind and intercompany flag."""

from __future__ import annotations

from typing import NamedTuple

from closekit.sample.chart import (
    ACCRUALS,
    ACCRUED_PAYROLL,
    COST_OF_SALES,
    IC_PAYABLES,
    IC_RECEIVABLES,
    IC_REVENUE_GOODS,
    IC_REVENUE_SERVICES,
    IC_SERVICE_EXPENSE,
    INVENTORIES,
    INVENTORY_DIFFERENCES,
    PAYABLES,
    PRODUCTION_COSTS,
    RECEIVABLES,
    RENT,
    REVENUE_GOODS,
    REVENUE_SERVICES,
    SALARIES,
    SERVICES,
    TRAVEL,
    UTILITIES,
    VAT_PAYABLE,
    VAT_RECOVERABLE,
)


class PostingRule(NamedTuple):
    """One row of ``master/posting_rules.csv``."""

    module: str
    kind: str
    intercompany: str
    side: str
    account: str
    amount: str


def _rule_set(
    module: str, kind: str, intercompany: str, lines: tuple[tuple[str, str, str], ...]
) -> tuple[PostingRule, ...]:
    return tuple(PostingRule(module, kind, intercompany, s, a, amt) for s, a, amt in lines)


def _invoice(debit_account: str, credit_account: str) -> tuple[tuple[str, str, str], ...]:
    """An invoice received: expense or stock net, VAT recoverable, creditor gross."""
    return (
        ("debit", debit_account, "net"),
        ("debit", VAT_RECOVERABLE, "tax"),
        ("credit", credit_account, "gross"),
    )


def _sale(debtor: str, revenue: str) -> tuple[tuple[str, str, str], ...]:
    """An invoice issued: debtor gross = revenue net + output VAT."""
    return (("debit", debtor, "gross"), ("credit", revenue, "net"), ("credit", VAT_PAYABLE, "tax"))


# Every rule set balances by construction: gross = net + tax, value = value.
POSTING_RULES: tuple[PostingRule, ...] = (
    *_rule_set("sales", "goods", "no", _sale(RECEIVABLES, REVENUE_GOODS)),
    *_rule_set("sales", "goods", "yes", _sale(IC_RECEIVABLES, IC_REVENUE_GOODS)),
    *_rule_set("sales", "service", "no", _sale(RECEIVABLES, REVENUE_SERVICES)),
    *_rule_set("sales", "service", "yes", _sale(IC_RECEIVABLES, IC_REVENUE_SERVICES)),
    *_rule_set("purchasing", "stock", "no", _invoice(INVENTORIES, PAYABLES)),
    *_rule_set("purchasing", "stock", "yes", _invoice(INVENTORIES, IC_PAYABLES)),
    *_rule_set("purchasing", "service", "no", _invoice(SERVICES, PAYABLES)),
    *_rule_set("purchasing", "service", "yes", _invoice(IC_SERVICE_EXPENSE, IC_PAYABLES)),
    *_rule_set(
        "inventory",
        "sale_issue",
        "any",
        (("debit", COST_OF_SALES, "value"), ("credit", INVENTORIES, "value")),
    ),
    *_rule_set(
        "inventory",
        "scrap",
        "any",
        (("debit", INVENTORY_DIFFERENCES, "value"), ("credit", INVENTORIES, "value")),
    ),
    *_rule_set(
        "inventory",
        "count_gain",
        "any",
        (("debit", INVENTORIES, "value"), ("credit", INVENTORY_DIFFERENCES, "value")),
    ),
    *_rule_set(
        "inventory",
        "count_loss",
        "any",
        (("debit", INVENTORY_DIFFERENCES, "value"), ("credit", INVENTORIES, "value")),
    ),
    *_rule_set("expenses", "travel", "no", _invoice(TRAVEL, ACCRUALS)),
    *_rule_set("expenses", "rent", "no", _invoice(RENT, ACCRUALS)),
    *_rule_set("expenses", "utilities", "no", _invoice(UTILITIES, ACCRUALS)),
    # Payroll carries no VAT: the rule takes net on both sides.
    *_rule_set(
        "expenses",
        "salaries",
        "no",
        (("debit", SALARIES, "net"), ("credit", ACCRUED_PAYROLL, "net")),
    ),
    # Production workers' pay is a cost of the goods made, not an operating expense.
    *_rule_set(
        "expenses",
        "wages",
        "no",
        (("debit", PRODUCTION_COSTS, "net"), ("credit", ACCRUED_PAYROLL, "net")),
    ),
    *_rule_set("expenses", "mgmt_fee", "yes", _invoice(IC_SERVICE_EXPENSE, IC_PAYABLES)),
)

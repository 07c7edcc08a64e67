"""The demo's own books: every row the generator writes is posted here by the
demo's posting rules (SPEC sections 3 and 6), so that what comes after it —
collections and payments, settlements, VAT and income tax, the opening
balances — is sized from real balances, and the committed demo can be
checked for plausibility before closekit ever reads it.

Balances are kept per (entity, account, document currency, partner) in
document currency and, converted at the period's average cross rate (SPEC
section 1), in functional currency; month-end revaluation is closekit's
job, not this one's. Open items (an invoice not yet paid, with its due
period) let customers and suppliers pay on their own terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from closekit.fx import cross_rate
from closekit.sample import chart, posting_rules
from closekit.sample.demo.events import CURRENCY
from closekit.sample.demo.master import FX_RATES
from closekit.sample.demo.period import SubledgerRow
from closekit.sample.demo.scenario import money
from closekit.sample.rows import InventoryRow, JournalRow, OpeningRow, SalesRow

D = Decimal
ZERO = D(0)
# The period key of the opening balances: before every period.
OPENING = ""

# CNY per unit, the period's average rate (SPEC section 1).
AVERAGE = {(period, currency): average for period, currency, _, average in FX_RATES}
PNL = frozenset(a.account for a in chart.ACCOUNTS if a.type in ("revenue", "expense"))
_RULES: dict[tuple[str, str, str], list[posting_rules.PostingRule]] = defaultdict(list)
for _rule in posting_rules.POSTING_RULES:
    _RULES[(_rule.module, _rule.kind, _rule.intercompany)].append(_rule)


class Key(NamedTuple):
    entity: str
    account: str
    currency: str
    partner: str


@dataclass(frozen=True)
class Item:
    """An invoice not yet paid: its entity's balance on ``account`` (debit
    positive, document currency) with ``counterparty``, due at the end of
    period ``due``."""

    entity: str
    account: str
    currency: str
    counterparty: str
    partner: str
    due: str
    amount: Decimal


def functional(amount: Decimal, currency: str, entity: str, period: str) -> Decimal:
    """``amount`` in ``entity``'s currency at the period's average cross rate,
    as closekit converts it (SPEC sections 1 and 4)."""
    target = CURRENCY[entity]
    if currency == target:
        return amount
    ratio = cross_rate(AVERAGE[(period, currency)], AVERAGE[(period, target)])
    return money(amount * ratio, target)


Where = tuple[str, Key, str, str]  # period, key, profit center, cost center


@dataclass
class Books:
    """Postings by period (``OPENING`` first), key and profit and cost
    center, in document and functional currency; and the open items."""

    doc: dict[Where, Decimal] = field(default_factory=lambda: defaultdict(D))
    fn: dict[Where, Decimal] = field(default_factory=lambda: defaultdict(D))
    items: list[Item] = field(default_factory=list)

    def post(
        self,
        period: str,
        key: Key,
        amount_doc: Decimal,
        amount_fn: Decimal,
        pc: str = "",
        cc: str = "",
    ) -> None:
        self.doc[(period, key, pc, cc)] += amount_doc
        self.fn[(period, key, pc, cc)] += amount_fn

    def post_rows(self, period: str, rows: Iterable[SubledgerRow], module: str) -> None:
        """Subledger rows through their rule set: the exact intercompany flag's,
        else ``any`` (SPEC section 3)."""
        for row in rows:
            flag = "yes" if row.partner else "no"
            rules = _RULES.get((module, row.kind, flag)) or _RULES[(module, row.kind, "any")]
            assert rules, (module, row.kind, flag)
            if isinstance(row, InventoryRow):
                parts = {
                    "value": (row.value, functional(row.value, row.currency, row.entity, period))
                }
            else:
                net = functional(row.net_amount, row.currency, row.entity, period)
                tax = functional(row.tax_amount, row.currency, row.entity, period)
                parts = {
                    "net": (row.net_amount, net),
                    "tax": (row.tax_amount, tax),
                    "gross": (row.net_amount + row.tax_amount, net + tax),
                }
            for rule in rules:
                sign = 1 if rule.side == "debit" else -1
                amount_doc, amount_fn = parts[rule.amount]
                key = Key(row.entity, rule.account, row.currency, row.partner)
                self.post(
                    period,
                    key,
                    sign * amount_doc,
                    sign * amount_fn,
                    row.profit_center,
                    "" if isinstance(row, SalesRow) else row.cost_center,
                )

    def post_journal(self, period: str, rows: Iterable[JournalRow]) -> None:
        for row in rows:
            amount = (row.debit or ZERO) - (row.credit or ZERO)
            key = Key(row.entity, row.account, row.currency, row.partner)
            amount_fn = functional(amount, row.currency, row.entity, period)
            self.post(period, key, amount, amount_fn, row.profit_center, row.cost_center)

    def post_opening(self, rows: Iterable[OpeningRow]) -> None:
        """Opening rows: functional ``amount``, held in the row's currency when
        it gives ``amount_doc`` (SPEC section 4)."""
        for row in rows:
            held = row.amount_doc is not None
            currency = row.currency if held else CURRENCY[row.entity]
            amount_doc = row.amount_doc if row.amount_doc is not None else row.amount
            key = Key(row.entity, row.account, currency, row.partner)
            self.post(OPENING, key, amount_doc, row.amount, row.profit_center, row.cost_center)

    # ---- reading -----------------------------------------------------------------

    def balance(
        self,
        entity: str,
        account: str,
        upto: str,
        currency: str | None = None,
        partner: str | None = None,
    ) -> Decimal:
        """Cumulative balance at the end of ``upto``: in ``currency`` when given,
        else in functional currency over every document currency."""
        amounts = self.doc if currency is not None else self.fn
        return sum(
            (
                amount
                for (period, key, _, _), amount in amounts.items()
                if period <= upto
                and key.entity == entity
                and key.account == account
                and (currency is None or key.currency == currency)
                and (partner is None or key.partner == partner)
            ),
            ZERO,
        )

    def keys(self, entity: str, account: str, upto: str) -> list[Key]:
        """The keys an entity has posted on an account by the end of ``upto``."""
        return sorted(
            {
                key
                for (period, key, _, _) in self.doc
                if period <= upto and key.entity == entity and key.account == account
            }
        )

    def movement(
        self, period: str, entity: str, accounts: Iterable[str], partner: str | None = None
    ) -> Decimal:
        """Functional movement of the period on ``accounts``."""
        wanted = frozenset(accounts)
        return sum(
            (
                amount
                for (p, key, _, _), amount in self.fn.items()
                if p == period
                and key.entity == entity
                and key.account in wanted
                and (partner is None or key.partner == partner)
            ),
            ZERO,
        )

    def results(self, period: str, entity: str) -> list[tuple[Where, Decimal, Decimal]]:
        """The entity's P&L lines of the period: (where, document, functional)."""
        return sorted(
            (where, self.doc[where], amount)
            for where, amount in self.fn.items()
            if where[0] == period and where[1].entity == entity and where[1].account in PNL
        )

    def profit(self, period: str, entity: str) -> Decimal:
        """The entity's profit of the period, functional (positive: a profit)."""
        return -sum((amount for *_, amount in self.results(period, entity)), ZERO)

    # ---- open items --------------------------------------------------------------

    def open(self, item: Item) -> None:
        self.items.append(item)

    def due(self, entity: str, account: str, period: str) -> list[Item]:
        """Take the entity's open items on ``account`` due by the end of ``period``."""
        due: list[Item] = []
        kept: list[Item] = []
        for item in self.items:
            mine = (item.entity, item.account) == (entity, account) and item.due <= period
            (due if mine else kept).append(item)
        self.items = kept
        return due

"""Typed rows of the period files (SPEC section 4), in file column order, and
:class:`Doc`, the document header that makes them: a generator states a
document's number, date, entity and currency once and adds its lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple


class SalesRow(NamedTuple):
    doc_id: str
    line: int
    date: date
    entity: str
    currency: str
    kind: str
    customer: str
    partner: str
    profit_center: str
    product: str
    quantity: int
    net_amount: Decimal
    tax_amount: Decimal
    ic_ref: str  # an intra-group invoice's reference both sides know (SPEC section 20)


class PurchasingRow(NamedTuple):
    doc_id: str
    line: int
    date: date
    entity: str
    currency: str
    kind: str
    supplier: str
    partner: str
    profit_center: str
    cost_center: str
    item: str
    quantity: int
    net_amount: Decimal
    tax_amount: Decimal
    ic_ref: str


class InventoryRow(NamedTuple):
    doc_id: str
    line: int
    date: date
    entity: str
    currency: str
    kind: str
    partner: str
    profit_center: str
    cost_center: str
    item: str
    quantity: int
    value: Decimal


class ExpenseRow(NamedTuple):
    doc_id: str
    line: int
    date: date
    entity: str
    currency: str
    kind: str
    payee: str
    partner: str
    profit_center: str
    cost_center: str
    description: str
    net_amount: Decimal
    tax_amount: Decimal
    ic_ref: str


class JournalRow(NamedTuple):
    doc_id: str
    line: int
    date: date
    entity: str
    currency: str
    account: str
    partner: str
    profit_center: str
    cost_center: str
    debit: Decimal | None
    credit: Decimal | None
    description: str
    amount_group: Decimal | None
    flow: str  # SPEC 19.1: empty is a movement


class OpeningRow(NamedTuple):
    doc_id: str
    line: int
    date: date
    entity: str
    currency: str
    account: str
    partner: str
    profit_center: str
    cost_center: str
    amount: Decimal
    amount_group: Decimal | None
    amount_doc: Decimal | None


class Posting(NamedTuple):
    """One line of a journal or opening document: signed amount (debit
    positive), dimensions, and the fixed group-currency amount if any; an
    opening line held in a foreign currency gives it and its balance in it."""

    account: str
    amount: Decimal
    partner: str = ""
    profit_center: str = ""
    cost_center: str = ""
    amount_group: Decimal | None = None
    currency: str = ""
    amount_doc: Decimal | None = None
    flow: str = ""


@dataclass(frozen=True)
class Doc:
    """A document header: number, date, entity and document currency."""

    doc_id: str
    day: date
    entity: str
    currency: str

    def head(self, line: int) -> tuple[str, int, date, str, str]:
        """The common columns of every row: doc_id, line, date, entity, currency."""
        return self.doc_id, line, self.day, self.entity, self.currency

    def sale(
        self,
        line: int,
        kind: str,
        customer: str,
        pc: str,
        product: str,
        quantity: int,
        net: Decimal,
        tax: Decimal,
        partner: str = "",
        ic_ref: str = "",
    ) -> SalesRow:
        head = self.head(line)
        return SalesRow(*head, kind, customer, partner, pc, product, quantity, net, tax, ic_ref)

    def purchase(
        self,
        line: int,
        kind: str,
        supplier: str,
        item: str,
        quantity: int,
        net: Decimal,
        tax: Decimal,
        partner: str = "",
        pc: str = "",
        cc: str = "",
        ic_ref: str = "",
    ) -> PurchasingRow:
        head = self.head(line)
        return PurchasingRow(
            *head, kind, supplier, partner, pc, cc, item, quantity, net, tax, ic_ref
        )

    def stock(
        self,
        line: int,
        kind: str,
        item: str,
        quantity: int,
        value: Decimal,
        pc: str = "",
        cc: str = "",
        partner: str = "",
    ) -> InventoryRow:
        return InventoryRow(*self.head(line), kind, partner, pc, cc, item, quantity, value)

    def expense(
        self,
        kind: str,
        payee: str,
        description: str,
        net: Decimal,
        tax: Decimal,
        cc: str,
        partner: str = "",
        ic_ref: str = "",
    ) -> ExpenseRow:
        head = self.head(1)
        return ExpenseRow(*head, kind, payee, partner, "", cc, description, net, tax, ic_ref)

    def journal(self, description: str, lines: list[Posting]) -> list[JournalRow]:
        """Debit and credit columns from signed amounts, lines numbered from 1."""
        rows = []
        for n, x in enumerate(lines, start=1):
            debit, credit = (x.amount, None) if x.amount > 0 else (None, -x.amount)
            dimensions = (x.partner, x.profit_center, x.cost_center)
            rows.append(
                JournalRow(
                    *self.head(n),
                    x.account,
                    *dimensions,
                    debit,
                    credit,
                    description,
                    x.amount_group,
                    x.flow,
                )
            )
        return rows

    def opening(self, lines: list[Posting]) -> list[OpeningRow]:
        """Opening rows in functional currency (``amount``); a line held in a
        foreign currency names it and carries ``amount_doc``."""
        rows = []
        for n, x in enumerate(lines, start=1):
            doc_id, line, day, entity, currency = self.head(n)
            rows.append(
                OpeningRow(
                    doc_id,
                    line,
                    day,
                    entity,
                    x.currency or currency,
                    x.account,
                    x.partner,
                    x.profit_center,
                    x.cost_center,
                    x.amount,
                    x.amount_group,
                    x.amount_doc,
                )
            )
        return rows

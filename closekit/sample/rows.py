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


class Posting(NamedTuple):
    """One line of a journal or opening document: signed amount (debit
    positive), dimensions, and the fixed group-currency amount if any."""

    account: str
    amount: Decimal
    partner: str = ""
    profit_center: str = ""
    cost_center: str = ""
    amount_group: Decimal | None = None


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
    ) -> SalesRow:
        return SalesRow(*self.head(line), kind, customer, partner, pc, product, quantity, net, tax)

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
    ) -> PurchasingRow:
        head = self.head(line)
        return PurchasingRow(*head, kind, supplier, partner, pc, cc, item, quantity, net, tax)

    def stock(
        self,
        line: int,
        kind: str,
        item: str,
        quantity: int,
        value: Decimal,
        pc: str = "",
        cc: str = "",
    ) -> InventoryRow:
        return InventoryRow(*self.head(line), kind, "", pc, cc, item, quantity, value)

    def expense(
        self,
        kind: str,
        payee: str,
        description: str,
        net: Decimal,
        tax: Decimal,
        cc: str,
        partner: str = "",
    ) -> ExpenseRow:
        return ExpenseRow(*self.head(1), kind, payee, partner, "", cc, description, net, tax)

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
                )
            )
        return rows

    def opening(self, lines: list[Posting]) -> list[OpeningRow]:
        return [
            OpeningRow(
                *self.head(n),
                x.account,
                x.partner,
                x.profit_center,
                x.cost_center,
                x.amount,
                x.amount_group,
            )
            for n, x in enumerate(lines, start=1)
        ]

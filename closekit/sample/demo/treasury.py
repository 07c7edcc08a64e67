"""The demo's cash book (``journals-bank.csv``): customers pay and suppliers
are paid on their terms, intragroup invoices are settled a month later by
both sides in the invoice currency, last month's payroll, expense claims and
VAT are paid (and last quarter's income tax in the month after it), loan
interest is paid and the holding earns interest on its deposits; foreign
cash beyond the treasury's floats is sold at month end. Every amount is read
from :class:`~.books.Books`, so a balance is paid only when it exists, in
the currency it is held in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.books import Books, Item, functional
from closekit.sample.demo.master import finance_cost_center
from closekit.sample.demo.period import Period, SubledgerRow
from closekit.sample.demo.scenario import (
    BUYING,
    CURRENCY,
    DEPOSIT_RATE,
    DEPOSITS,
    FOREIGN_FLOAT,
    IC_TERMS,
    LOANS,
    SELLING,
    SERVICE_TERMS,
    TAX_PAYMENT_MONTHS,
    ZERO,
    money,
)
from closekit.sample.rows import (
    Doc,
    ExpenseRow,
    JournalRow,
    Posting,
    PurchasingRow,
    SalesRow,
)

D = Decimal
TERMS = {
    **{c.name: c.terms for s in SELLING for c in s.customers},
    **{s.name: s.terms for b in BUYING for s in b.suppliers},
}
# Balances paid in full the month after they arise (per document currency).
PAID_NEXT_MONTH = (
    (chart.ACCRUED_PAYROLL, "Payroll of last month paid"),
    (chart.ACCRUALS, "Expense claims and bills of last month paid"),
)


def add_months(period: str, months: int) -> str:
    year, month = divmod(int(period[:4]) * 12 + int(period[5:]) - 1 + months, 12)
    return f"{year:04d}-{month + 1:02d}"


def items_of(p: Period) -> list[tuple[Item, int]]:
    """The period's invoices as open items, each with its payment terms in
    months: customers' and suppliers' own, intragroup :data:`IC_TERMS`."""
    gross: dict[tuple[str, str, str, str, str], Decimal] = defaultdict(D)
    for _, rows in p.subledgers():
        for row in rows:
            opened = _open_item(row)
            if opened is not None:
                account, counterparty, amount = opened
                gross[(row.entity, account, row.currency, counterparty, row.partner)] += amount
    items = []
    for (entity, account, currency, counterparty, partner), amount in sorted(gross.items()):
        terms = IC_TERMS if partner else TERMS.get(counterparty, SERVICE_TERMS)
        due = add_months(p.period, terms)
        items.append((Item(entity, account, currency, counterparty, partner, due, amount), terms))
    return items


def _open_item(row: SubledgerRow) -> tuple[str, str, Decimal] | None:
    """(account, counterparty, amount debit positive) of a row that leaves
    an invoice open: every sale and purchase, an intragroup expense."""
    intragroup = bool(row.partner)
    if isinstance(row, SalesRow):
        account = chart.IC_RECEIVABLES if intragroup else chart.RECEIVABLES
        return account, row.customer, row.net_amount + row.tax_amount
    if isinstance(row, PurchasingRow):
        account = chart.IC_PAYABLES if intragroup else chart.PAYABLES
        return account, row.supplier, -(row.net_amount + row.tax_amount)
    if isinstance(row, ExpenseRow) and intragroup:
        return chart.IC_PAYABLES, row.payee, -(row.net_amount + row.tax_amount)
    return None


def cash_book(books: Books, p: Period, previous: str) -> list[JournalRow]:
    """The period's bank entries; ``previous`` is the period whose closing
    balances are paid now (the opening's key for the first)."""
    rows: list[JournalRow] = []
    for entity in sorted(CURRENCY):
        number = _numbering(entity, p)
        rows += _settle_items(books, p, entity, number)
        rows += _pay_balances(books, p, entity, previous, number)
        rows += _interest(books, p, entity, previous, number)
    return rows


Numbers = Callable[[], str]


def _numbering(entity: str, p: Period) -> Numbers:
    """The entity's bank entry numbers of the period, in order."""
    count = iter(range(1, 10_000))
    return lambda: f"{entity}-BK-{p.code}-{next(count):04d}"


def _settle_items(books: Books, p: Period, entity: str, number: Numbers) -> list[JournalRow]:
    """Invoices due this period, one receipt or payment per counterparty and
    currency, on the last working day."""
    due: dict[tuple[str, str, str, str], Decimal] = defaultdict(D)
    for account in (chart.RECEIVABLES, chart.IC_RECEIVABLES, chart.PAYABLES, chart.IC_PAYABLES):
        for item in books.due(entity, account, p.period):
            due[(item.counterparty, item.currency, item.account, item.partner)] += item.amount
    rows: list[JournalRow] = []
    for (counterparty, currency, account, partner), amount in sorted(due.items()):
        if not amount:
            continue
        text = f"Receipt from {counterparty}" if amount > 0 else f"Payment to {counterparty}"
        rows += Doc(number(), p.last_day, entity, currency).journal(
            text, [Posting(chart.CASH, amount), Posting(account, -amount, partner=partner)]
        )
    return rows


def _pay_balances(
    books: Books, p: Period, entity: str, previous: str, number: Numbers
) -> list[JournalRow]:
    """Payroll and claims of last month, the VAT return (output less input
    tax), and in the first month of a quarter the last quarter's income tax."""
    rows: list[JournalRow] = []
    payable = [*PAID_NEXT_MONTH]
    if int(p.period[5:]) in TAX_PAYMENT_MONTHS:
        payable.append((chart.INCOME_TAX_PAYABLE, "Income tax of last quarter paid"))
    for account, text in payable:
        for key in books.keys(entity, account, previous):
            amount = books.balance(entity, account, previous, key.currency, key.partner)
            if amount:
                rows += Doc(number(), p.day(10), entity, key.currency).journal(
                    text, [Posting(account, -amount), Posting(chart.CASH, amount)]
                )
    output = books.balance(entity, chart.VAT_PAYABLE, previous)
    input_ = books.balance(entity, chart.VAT_RECOVERABLE, previous)
    if output or input_:
        rows += Doc(number(), p.day(15), entity, CURRENCY[entity]).journal(
            "VAT return of last month",
            [
                Posting(chart.VAT_PAYABLE, -output),
                Posting(chart.VAT_RECOVERABLE, -input_),
                Posting(chart.CASH, output + input_),
            ],
        )
    return rows


def _interest(
    books: Books, p: Period, entity: str, previous: str, number: Numbers
) -> list[JournalRow]:
    """Loan interest paid monthly; interest on the holding's deposits."""
    functional, cc = CURRENCY[entity], finance_cost_center(entity)
    rows: list[JournalRow] = []
    if entity in LOANS:
        principal, rate = LOANS[entity]
        interest = money(principal * rate / 12, functional)
        rows += Doc(number(), p.last_day, entity, functional).journal(
            "Loan interest of the month",
            [
                Posting(chart.INTEREST_EXPENSE, interest, cost_center=cc),
                Posting(chart.CASH, -interest),
            ],
        )
    if entity in DEPOSITS:
        cash = books.balance(entity, chart.CASH, previous, functional, "")
        earned = money(max(cash, ZERO) * DEPOSIT_RATE / 12, functional)
        if earned:
            rows += Doc(number(), p.last_day, entity, functional).journal(
                "Interest on deposits",
                [
                    Posting(chart.CASH, earned),
                    Posting(chart.INTEREST_INCOME, -earned, cost_center=cc),
                ],
            )
    return rows


def conversions(books: Books, p: Period) -> list[JournalRow]:
    """Foreign cash kept near its float (:data:`FOREIGN_FLOAT`, else none):
    above twice it the excess is sold for functional currency, below half it
    is bought back up to it, through cash in transit (nil once both legs are
    booked, at the same rate)."""
    rows: list[JournalRow] = []
    for entity in sorted(CURRENCY):
        for key in books.keys(entity, chart.CASH, p.period):
            if key.currency == CURRENCY[entity]:
                continue
            float_ = FOREIGN_FLOAT.get((entity, key.currency), ZERO)
            held = books.balance(entity, chart.CASH, p.period, key.currency, "")
            if float_ / 2 <= held <= float_ * 2:
                continue
            rows += _convert(p, entity, key.currency, money(held - float_, key.currency))
    return rows


def _convert(p: Period, entity: str, currency: str, sold: Decimal) -> list[JournalRow]:
    """``sold`` of ``currency`` (negative: bought) against functional currency."""
    value = functional(sold, currency, entity, p.period)
    number = f"{entity}-FX-{p.code}-{currency}"
    text = f"{'Sale' if sold > 0 else 'Purchase'} of {currency} {abs(sold):,}"
    rows = Doc(f"{number}-1", p.last_day, entity, currency).journal(
        text, [Posting(chart.CASH_IN_TRANSIT, sold), Posting(chart.CASH, -sold)]
    )
    rows += Doc(f"{number}-2", p.last_day, entity, CURRENCY[entity]).journal(
        text, [Posting(chart.CASH, value), Posting(chart.CASH_IN_TRANSIT, -value)]
    )
    return rows

"""The demo's month-end journals (``journals.csv``): depreciation (the
factory's production share a cost of the goods made), the goods JP01
received on an invoice that had not reached it (accrued with CN01 as
partner), a capital increase at the rate of its own date (flow
``capital``) and the month's income tax on each entity's profit; the
deals and dividends of the group's structure are :mod:`.events`."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.books import Books
from closekit.sample.demo.master import cost_centers_of, finance_cost_center
from closekit.sample.demo.period import Period
from closekit.sample.demo.scenario import (
    CURRENCY,
    INCOME_TAX,
    LATE_INVOICE,
    PPE,
    PRODUCTION,
    ZERO,
    money,
)
from closekit.sample.demo.supply import late_invoice
from closekit.sample.rows import Doc, JournalRow, Posting

D = Decimal


def depreciation(p: Period) -> list[JournalRow]:
    """Ten years straight line, spread evenly over the entity's cost
    centers; the factory's production departments' share on 5300."""
    rows: list[JournalRow] = []
    for entity in sorted(CURRENCY):
        ccy = CURRENCY[entity]
        centers = cost_centers_of(entity)
        monthly = money(PPE[entity] / 120, ccy)
        parts = [money(monthly / len(centers), ccy)] * len(centers)
        parts[-1] = monthly - sum(parts[:-1])
        lines = [
            Posting(
                chart.PRODUCTION_COSTS
                if entity == "CN01" and cc.department in PRODUCTION
                else chart.DEPRECIATION,
                part,
                cost_center=cc.cost_center,
            )
            for cc, part in zip(centers, parts, strict=True)
        ]
        doc = Doc(f"{entity}-DEP-{p.code}", p.last_day, entity, ccy)
        rows += doc.journal(
            "Depreciation of the month",
            [*lines, Posting(chart.ACCUMULATED_DEPRECIATION, -monthly)],
        )
    return rows


def late_accrual(p: Period) -> list[JournalRow]:
    """JP01 has CN01's goods in its warehouse but not the invoice (the one
    intragroup document only its seller has booked): it accrues them at the
    delivery note's value, stock with CN01 as partner (SPEC section 18.1)."""
    number = late_invoice(p)
    if not number:
        return []
    _, seller, buyer = LATE_INVOICE
    invoiced = [row for row in p.sales if row.doc_id == number]
    net = sum((row.net_amount for row in invoiced), ZERO)
    currency = invoiced[0].currency
    doc = Doc(f"{buyer}-ACR-{p.code}-{seller}", p.last_day, buyer, currency)
    return doc.journal(
        f"Goods received, invoice {number} not yet received",
        [
            Posting(chart.INVENTORIES, net, partner=seller),
            Posting(chart.IC_PAYABLES, -net, partner=seller),
        ],
    )


def capital_increase(p: Period) -> list[JournalRow]:
    """October: HK01 subscribes EUR 2m of new DE01 capital (DE01 is losing
    money in a European price war; HK01 sells it on 1 November, see
    :mod:`.events`) for HKD 18.12m; both historical-rate lines keep the CNY
    value of the day (EUR 2m x 8.30 = CNY 16.60m), so the investment still
    eliminates without goodwill."""
    if p.period != "2026-10":
        return []
    number, value = f"CAP-{p.code}-DE01", D("16600000.00")
    rows = Doc(number, p.last_day, "DE01", "EUR").journal(
        "Capital increase by HK01",
        [
            Posting(chart.CASH, D("2000000.00")),
            Posting(chart.SHARE_CAPITAL, D("-2000000.00"), amount_group=-value, flow="capital"),
        ],
    )
    rows += Doc(number, p.last_day, "HK01", "HKD").journal(
        "Capital increase in DE01",
        [
            Posting(
                chart.INVESTMENTS,
                D("18120000.00"),
                partner="DE01",
                amount_group=value,
                flow="capital",
            ),
            Posting(chart.CASH, D("-18120000.00")),
        ],
    )
    return rows


def income_tax(books: Books, p: Period) -> list[JournalRow]:
    """The month's current tax on each entity's profit so far in the books
    (none on a loss: no deferred tax asset is recognised for it), dividends
    from group companies and gains on selling them exempt."""
    rows: list[JournalRow] = []
    for entity in sorted(CURRENCY):
        ccy = CURRENCY[entity]
        exempt = -books.movement(p.period, entity, [chart.DIVIDEND_INCOME, chart.DISPOSAL_GAIN])
        taxable = books.profit(p.period, entity) - exempt
        tax = money(max(taxable, ZERO) * INCOME_TAX[entity], ccy)
        if tax:
            rows += Doc(f"{entity}-TAX-{p.code}", p.last_day, entity, ccy).journal(
                "Current income tax of the month",
                [
                    Posting(chart.INCOME_TAX, tax, cost_center=finance_cost_center(entity)),
                    Posting(chart.INCOME_TAX_PAYABLE, -tax),
                ],
            )
    return rows

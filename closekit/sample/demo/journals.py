"""The demo's month-end journals (``journals.csv``): depreciation (the
factory's production share a cost of the goods made), the goods JP01
received on an invoice that had not reached it (accrued with CN01 as
partner), a capital increase at the rate of its own date (flow
``capital``), dividends (flow ``dividend``), and the month's income tax on
each entity's profit."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.books import Books
from closekit.sample.demo.master import ENTITIES, cost_centers_of, finance_cost_center
from closekit.sample.demo.period import Period
from closekit.sample.demo.scenario import (
    CURRENCY,
    DIVIDENDS,
    INCOME_TAX,
    LATE_INVOICE,
    PPE,
    PRODUCTION,
    STEP_UPS,
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
    """November: HK01 subscribes EUR 2m of new DE01 capital (DE01 is losing
    money in a European price war) for HKD 18.15m; both historical-rate
    lines keep the CNY value of the day (EUR 2m x 8.33 = CNY 16.66m), so the
    investment still eliminates without goodwill."""
    if p.period != "2026-11":
        return []
    number, value = f"CAP-{p.code}-DE01", D("16660000.00")
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
                D("18150000.00"),
                partner="DE01",
                amount_group=value,
                flow="capital",
            ),
            Posting(chart.CASH, D("-18150000.00")),
        ],
    )
    return rows


def dividends(p: Period) -> list[JournalRow]:
    """Dividends declared and paid on the 20th: the payer debits retained
    earnings (flow ``dividend``, SPEC 19.1) and pays every shareholder; its
    parent books its share as dividend income with the payer as partner."""
    rows: list[JournalRow] = []
    for dividend in DIVIDENDS:
        if dividend.period != p.period:
            continue
        payer = next(e for e in ENTITIES if e.entity == dividend.payer)
        ccy, amount = payer.currency, dividend.amount
        number = f"DIV-{p.code}-{payer.entity}"
        rows += Doc(number, p.day(20), payer.entity, ccy).journal(
            "Dividend declared and paid",
            [
                Posting(chart.RETAINED_EARNINGS, amount, flow="dividend"),
                Posting(chart.CASH, -amount),
            ],
        )
        received = money(amount * D(payer.ownership_pct) / 100, ccy)
        rows += Doc(number, p.day(20), payer.parent, ccy).journal(
            f"Dividend from {payer.entity}",
            [
                Posting(chart.CASH, received),
                Posting(
                    chart.DIVIDEND_INCOME,
                    -received,
                    partner=payer.entity,
                    cost_center=finance_cost_center(payer.parent),
                ),
            ],
        )
    return rows


def stakes_bought(p: Period) -> list[JournalRow]:
    """A parent buying out minorities: its investment in the subsidiary grows
    by the price, paid from its cash (SPEC 15.3 reads the movement)."""
    rows: list[JournalRow] = []
    for stake in STEP_UPS:
        if stake.period == p.period:
            doc = Doc(
                f"STK-{p.code}-{stake.entity}", p.day(1), stake.parent, CURRENCY[stake.parent]
            )
            rows += doc.journal(
                f"{stake.ownership_pct}% of {stake.entity}: shares bought from minorities",
                [
                    Posting(chart.INVESTMENTS, stake.price, partner=stake.entity),
                    Posting(chart.CASH, -stake.price),
                ],
            )
    return rows


def income_tax(books: Books, p: Period) -> list[JournalRow]:
    """The month's current tax on each entity's profit so far in the books
    (none on a loss: no deferred tax asset is recognised for it), dividends
    from group companies exempt."""
    rows: list[JournalRow] = []
    for entity in sorted(CURRENCY):
        ccy = CURRENCY[entity]
        exempt = -books.movement(p.period, entity, [chart.DIVIDEND_INCOME])
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

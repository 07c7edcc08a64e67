"""The demo's trade (sales, purchasing and inventory modules): third-party
sales with a stock issue per goods line, intragroup goods and service fees
booked by both sides in the invoice currency, purchases and stock counts."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.expenses import expense_row
from closekit.sample.demo.master import PRODUCTS, cost_centers_of, finance_cost_center
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.scenario import (
    BUYING,
    COMPONENTS,
    CURRENCY,
    FEE_SLIP,
    FEES,
    IC_GOODS,
    NAME,
    SELLING,
    SERVICE_SUPPLIERS,
    TAX,
    TRANSFER_PRICE,
    ZERO,
    money,
    to_currency,
)
from closekit.sample.rows import Doc

D = Decimal


# ---- sales and the stock they issue ---------------------------------------


def sale_line(
    dice: Dice, seller: str, currency: str, pc: str, price_share: Decimal
) -> tuple[str, int, Decimal, Decimal, str]:
    """(product, quantity, net, cost in functional currency, kind) of one line."""
    product = PRODUCTS[pc]
    quantity = dice.rng.randint(*product.quantity)
    price = product.price * price_share * dice.share("0.92", "1.05")
    net = money(to_currency(price, "CNY", currency) * quantity, currency)
    cost = to_currency(net * dice.share("0.68", "0.84"), currency, CURRENCY[seller])
    return product.name, quantity, net, cost, product.kind


def third_party_sales(dice: Dice, p: Period) -> None:
    for s in SELLING:
        functional = CURRENCY[s.entity]
        for n in range(1, s.docs + 1):
            doc = Doc(
                f"{s.entity}-SI-{p.code}-{n:05d}",
                dice.day(p),
                s.entity,
                dice.rng.choice(s.currencies),
            )
            customer = dice.rng.choice(s.customers)
            domestic = doc.currency == functional
            for line in range(1, dice.rng.randint(1, 3) + 1):
                pc = dice.rng.choice(s.profit_centers)
                product, qty, net, cost, kind = sale_line(dice, s.entity, doc.currency, pc, D(1))
                rate = TAX[functional][0 if kind == "goods" else 1] if domestic else ZERO
                tax = money(net * rate, doc.currency)
                row = doc.sale(line, kind, customer, pc, product, qty, net, tax)
                (p.sales_xlsx if s.entity == "JP01" else p.sales).append(row)
                revenue = chart.REVENUE_GOODS if kind == "goods" else chart.REVENUE_SERVICES
                p.book(s.entity, revenue, pc, "", -to_currency(net, doc.currency, functional))
                if domestic:
                    p.totals[(s.entity, "receivables")] += net + tax
                if kind == "goods":
                    issue(p, doc, line, pc, product, qty, cost)


def issue(
    p: Period,
    sale: Doc,
    line: int,
    pc: str,
    item: str,
    qty: int,
    cost: Decimal,
    third_party: bool = True,
) -> None:
    """The delivery's stock issue at cost (inventory module, functional
    currency). Only third-party trade sizes the opening results, which
    carry no intragroup balances."""
    delivery = Doc(
        sale.doc_id.replace("-SI-", "-GI-"), sale.day, sale.entity, CURRENCY[sale.entity]
    )
    p.inventory.append(delivery.stock(line, "sale_issue", item, qty, cost, pc=pc))
    if third_party:
        p.book(sale.entity, chart.COST_OF_SALES, pc, "", cost)


# ---- intercompany: both sides in the invoice currency ----------------------


def ic_goods(dice: Dice, p: Period) -> None:
    for flow in IC_GOODS:
        domestic = CURRENCY[flow.seller] == CURRENCY[flow.buyer] == flow.currency
        for n in range(1, flow.docs + 1):
            number, day = f"{flow.seller}-IC-{p.code}-{flow.buyer}-{n:03d}", dice.day(p)
            invoice = Doc(number, day, flow.seller, flow.currency)
            received = Doc(number, day, flow.buyer, flow.currency)  # the buyer keeps the number
            for line in range(1, dice.rng.randint(1, 2) + 1):
                pc = dice.rng.choice(flow.profit_centers)
                product, qty, net, cost, _ = sale_line(
                    dice, flow.seller, flow.currency, pc, TRANSFER_PRICE
                )
                tax = money(net * TAX[flow.currency][0], flow.currency) if domestic else ZERO
                p.sales.append(
                    invoice.sale(
                        line,
                        "goods",
                        NAME[flow.buyer],
                        pc,
                        product,
                        qty,
                        net,
                        tax,
                        partner=flow.buyer,
                    )
                )
                issue(p, invoice, line, pc, product, qty, cost, third_party=False)
                p.purchasing.append(
                    received.purchase(
                        line,
                        "stock",
                        NAME[flow.seller],
                        product,
                        qty,
                        net,
                        tax,
                        partner=flow.seller,
                        pc=pc,
                    )
                )
                p.ic_invoiced[(flow.seller, flow.buyer, flow.currency)] += net + tax


def fees(p: Period) -> None:
    for fee in FEES:
        domestic = CURRENCY[fee.seller] == CURRENCY[fee.buyer] == fee.currency
        tax = money(fee.net * TAX[fee.currency][1], fee.currency) if domestic else ZERO
        number = f"{fee.seller}-SV-{p.code}-{fee.buyer}"
        invoice = Doc(number, p.last_day, fee.seller, fee.currency)
        p.sales.append(
            invoice.sale(
                1,
                "service",
                NAME[fee.buyer],
                "P900",
                fee.description,
                1,
                fee.net,
                tax,
                partner=fee.buyer,
            )
        )
        booked = fee.net
        if (p.period, fee.seller, fee.buyer) == FEE_SLIP[:3]:
            booked += FEE_SLIP[3]  # the buyer's typing slip: the one IC difference
        received = Doc(number, p.last_day, fee.buyer, fee.currency)
        cc = finance_cost_center(fee.buyer)
        if fee.buyer_module == "expenses":
            expense_row(
                p,
                received.expense(
                    "mgmt_fee",
                    NAME[fee.seller],
                    fee.description,
                    booked,
                    tax,
                    cc,
                    partner=fee.seller,
                ),
            )
        else:
            p.purchasing.append(
                received.purchase(
                    1,
                    "service",
                    NAME[fee.seller],
                    fee.description,
                    1,
                    booked,
                    tax,
                    partner=fee.seller,
                    cc=cc,
                )
            )
        p.ic_invoiced[(fee.seller, fee.buyer, fee.currency)] += fee.net + tax


# ---- purchases, stock counts -----------------------------------------------


def purchases(dice: Dice, p: Period) -> None:
    for b in BUYING:
        functional = CURRENCY[b.entity]
        for n in range(1, b.docs + 1):
            doc = Doc(
                f"{b.entity}-PI-{p.code}-{n:05d}",
                dice.day(p),
                b.entity,
                dice.rng.choice(b.currencies),
            )
            supplier = dice.rng.choice(b.suppliers)
            domestic = doc.currency == functional
            for line in range(1, dice.rng.randint(1, 3) + 1):
                item, price = dice.rng.choice(COMPONENTS)
                qty = (
                    dice.rng.randint(200, 4000) if b.entity == "CN01" else dice.rng.randint(50, 600)
                )
                net = money(to_currency(price, "CNY", doc.currency) * qty, doc.currency)
                tax = money(net * TAX[functional][0], doc.currency) if domestic else ZERO
                p.purchasing.append(doc.purchase(line, "stock", supplier, item, qty, net, tax))
                if domestic:
                    p.totals[(b.entity, "payables")] += net + tax
        # purchased services land on a cost center of the buying entity
        for n in range(1, 7):
            cc = dice.rng.choice(cost_centers_of(b.entity)).cost_center
            net = to_currency(D(dice.rng.randint(8000, 120000)), "CNY", functional)
            tax = money(net * TAX[functional][1], functional)
            doc = Doc(f"{b.entity}-PS-{p.code}-{n:03d}", dice.day(p), b.entity, functional)
            supplier = dice.rng.choice(SERVICE_SUPPLIERS)
            p.purchasing.append(
                doc.purchase(
                    1,
                    "service",
                    supplier,
                    "Logistics and advisory services",
                    1,
                    net,
                    tax,
                    cc=cc,
                )
            )
            p.totals[(b.entity, "payables")] += net + tax
            p.book(b.entity, chart.SERVICES, "", cc, net)


def stock_counts(dice: Dice, p: Period) -> None:
    """Scrap and count differences, on the quality or service cost center."""
    kinds = ("scrap",) * 4 + ("count_gain",) * 3 + ("count_loss",) * 3
    for entity, cc in (("CN01", "CN01-240"), ("CN02", "CN02-360")):
        for n, kind in enumerate(kinds, start=1):
            item, price = dice.rng.choice(COMPONENTS)
            qty = dice.rng.randint(1, 40)
            value = money(price * qty, "CNY")
            doc = Doc(f"{entity}-ST-{p.code}-{n:03d}", dice.day(p), entity, "CNY")
            p.inventory.append(doc.stock(1, kind, item, qty, value, cc=cc))
            sign = -1 if kind == "count_gain" else 1
            p.book(entity, chart.INVENTORY_DIFFERENCES, "", cc, sign * value)

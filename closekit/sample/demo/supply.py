"""What the group buys (purchasing module): goods and services from each
other, booked by both sides in the invoice currency with the seller's
invoice number as ``ic_ref``; components and peripherals from suppliers,
sized to the stock issued, so stock turns over; purchased services; and the
month's stock counts (inventory module)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from closekit.sample.demo.expenses import expense_row
from closekit.sample.demo.master import PRODUCTS, cost_centers_of, finance_cost_center
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.sales import TRANSFER_PRICE, issue
from closekit.sample.demo.scenario import (
    BOUGHT_IN,
    BOUGHT_IN_PRICE,
    BUYING,
    COMPONENTS,
    CURRENCY,
    FEE_SLIP,
    FEES,
    IC_GOODS,
    LATE_INVOICE,
    NAME,
    SERVICE_SUPPLIERS,
    TAX,
    ZERO,
    GoodsFlow,
    money,
    to_currency,
)
from closekit.sample.rows import Doc

D = Decimal


def issued(p: Period, entity: str, partner: str) -> Counter[str]:
    """Quantities the entity issued in the period, by profit center, of
    goods whose stock is held with ``partner``."""
    quantities: Counter[str] = Counter()
    names = {product.name: pc for pc, product in PRODUCTS.items()}
    for row in p.inventory:
        if (row.entity, row.kind, row.partner) == (entity, "sale_issue", partner):
            quantities[names[row.item]] += row.quantity
    return quantities


def late_invoice(p: Period) -> str:
    """The number of the one intragroup invoice only its seller books, or ''."""
    period, seller, buyer = LATE_INVOICE
    if p.period != period:
        return ""
    docs = next(f.docs for f in IC_GOODS if (f.seller, f.buyer) == (seller, buyer))
    return f"{seller}-IC-{p.code}-{buyer}-{docs:03d}"


def restock(dice: Dice, p: Period) -> None:
    """Each sales company buys from its group supplier about what it issued
    in the month, in that flow's invoices; the seller issues the goods from
    its own stock."""
    for flow in IC_GOODS:
        ordered = {
            pc: max(1, round(qty * dice.share("0.85", "1.15")))
            for pc, qty in sorted(issued(p, flow.buyer, flow.seller).items())
        }
        if not ordered:
            continue
        lines = _invoice_lines(ordered, flow.docs)
        for n in range(1, flow.docs + 1):
            _ic_invoice(dice, p, flow, n, lines[n - 1])


def _invoice_lines(ordered: dict[str, int], docs: int) -> list[list[tuple[str, int]]]:
    """Split the ordered quantities over ``docs`` invoices, each with at least one line."""
    parts: list[tuple[str, int]] = []
    chunks = -(-docs // len(ordered))
    for pc, qty in ordered.items():
        pieces = min(chunks, qty)
        parts += [(pc, qty // pieces + (1 if i < qty % pieces else 0)) for i in range(pieces)]
    invoices: list[list[tuple[str, int]]] = [[] for _ in range(docs)]
    for i, part in enumerate(parts):
        invoices[i % docs].append(part)
    return invoices


def _ic_invoice(
    dice: Dice, p: Period, flow: GoodsFlow, n: int, lines: list[tuple[str, int]]
) -> None:
    number = f"{flow.seller}-IC-{p.code}-{flow.buyer}-{n:03d}"
    late = number == late_invoice(p)
    day = p.last_day if late else dice.day(p)
    invoice = Doc(number, day, flow.seller, flow.currency)
    received = Doc(
        f"{flow.buyer}-PI-{p.code}-{flow.seller}-{n:03d}", day, flow.buyer, flow.currency
    )
    domestic = CURRENCY[flow.seller] == CURRENCY[flow.buyer] == flow.currency
    for line, (pc, qty) in enumerate(lines, start=1):
        product = PRODUCTS[pc]
        price = to_currency(product.price * flow.price, "CNY", flow.currency)
        net = money(price * qty, flow.currency)
        tax = money(net * TAX[flow.currency][0], flow.currency) if domestic else ZERO
        buyer, seller = NAME[flow.buyer], NAME[flow.seller]
        p.sales.append(
            invoice.sale(line, "goods", buyer, pc, product.name, qty, net, tax, flow.buyer, number)
        )
        issue(dice, p, f"{flow.seller}-GI-{p.code}-{flow.buyer}-{n:03d}", invoice, line, pc, qty)
        if not late:
            p.purchasing.append(
                received.purchase(
                    line, "stock", seller, product.name, qty, net, tax, flow.seller, pc, "", number
                )
            )


def fees(p: Period) -> None:
    """Monthly intragroup service charges, dated the last day of the month."""
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
                fee.buyer,
                number,
            )
        )
        booked = fee.net
        if (p.period, fee.seller, fee.buyer) == FEE_SLIP[:3]:
            booked += FEE_SLIP[3]  # the buyer's typing slip: the one IC difference
        received = Doc(f"{fee.buyer}-SV-{p.code}-{fee.seller}", p.last_day, fee.buyer, fee.currency)
        cc = finance_cost_center(fee.buyer)
        if fee.buyer_module == "expenses":
            row = received.expense(
                "mgmt_fee", NAME[fee.seller], fee.description, booked, tax, cc, fee.seller, number
            )
            expense_row(p, row)
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
                    fee.seller,
                    "",
                    cc,
                    number,
                )
            )


def components(dice: Dice, p: Period) -> None:
    """Stock bought from suppliers: CN01's components for about the bill of
    materials it issued, HK01's peripherals for about the peripherals it sold."""
    for b in BUYING:
        functional = CURRENCY[b.entity]
        used = sum(
            (
                r.value
                for r in p.inventory
                if (r.entity, r.kind, r.partner) == (b.entity, "sale_issue", "")
            ),
            ZERO,
        )
        catalogue: tuple[tuple[str, Decimal], ...] = COMPONENTS
        if b.entity != "CN01":
            catalogue = tuple(
                (PRODUCTS[pc].name, PRODUCTS[pc].price * BOUGHT_IN_PRICE)
                for pc in sorted(BOUGHT_IN)
            )
        budget = to_currency(used * dice.share("0.95", "1.05"), functional, "CNY") / b.docs
        for n in range(1, b.docs + 1):
            supplier = dice.rng.choice(b.suppliers)
            doc = Doc(f"{b.entity}-PI-{p.code}-{n:05d}", dice.day(p), b.entity, supplier.currency)
            count = dice.rng.randint(1, 3)
            for line in range(1, count + 1):
                item, price = dice.rng.choice(catalogue)
                target = budget * dice.share("0.5", "1.5") / count
                qty = max(1, round(target / price))
                net = money(to_currency(price, "CNY", doc.currency) * qty, doc.currency)
                domestic = doc.currency == functional
                tax = money(net * TAX[functional][0], doc.currency) if domestic else ZERO
                p.purchasing.append(doc.purchase(line, "stock", supplier.name, item, qty, net, tax))


def services(dice: Dice, p: Period) -> None:
    """Purchased services (logistics, advisory) on a cost center of the buyer."""
    for e in sorted(CURRENCY):
        functional = CURRENCY[e]
        for n in range(1, 7):
            cc = dice.rng.choice(cost_centers_of(e)).cost_center
            net = to_currency(D(dice.rng.randint(8000, 120000)), "CNY", functional)
            tax = money(net * TAX[functional][1], functional)
            doc = Doc(f"{e}-PS-{p.code}-{n:03d}", dice.day(p), e, functional)
            supplier = dice.rng.choice(SERVICE_SUPPLIERS)
            p.purchasing.append(
                doc.purchase(
                    1, "service", supplier, "Logistics and advisory services", 1, net, tax, cc=cc
                )
            )


def stock_counts(dice: Dice, p: Period) -> None:
    """Scrap and count differences: CN01's components on its quality cost
    center, CN02's products (bought from CN01) on its service cost center."""
    kinds = ("scrap",) * 4 + ("count_gain",) * 3 + ("count_loss",) * 3
    for n, kind in enumerate(kinds, start=1):
        item, price = dice.rng.choice(COMPONENTS)
        qty = dice.rng.randint(1, 40)
        doc = Doc(f"CN01-ST-{p.code}-{n:03d}", dice.day(p), "CN01", "CNY")
        p.inventory.append(doc.stock(1, kind, item, qty, money(price * qty, "CNY"), cc="CN01-240"))
    for n, kind in enumerate(kinds, start=1):
        pc = dice.rng.choice(("P110", "P120", "P210"))
        qty = dice.rng.randint(1, 4)
        value = money(PRODUCTS[pc].price * TRANSFER_PRICE[("CN01", "CN02")] * qty, "CNY")
        doc = Doc(f"CN02-ST-{p.code}-{n:03d}", dice.day(p), "CN02", "CNY")
        row = doc.stock(1, kind, PRODUCTS[pc].name, qty, value, cc="CN02-360", partner="CN01")
        p.inventory.append(row)

"""Third-party sales (sales module) and the stock each goods line issues
(inventory module): a sales company's goods come from its group supplier,
so its stock issues carry that supplier as partner (SPEC section 18.1)."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample.demo.master import PRODUCTS
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.scenario import (
    BOUGHT_IN,
    BOUGHT_IN_PRICE,
    CURRENCY,
    GROUP_SUPPLIER,
    IC_GOODS,
    MATERIALS,
    SELLING,
    TAX,
    ZERO,
    money,
    to_currency,
)
from closekit.sample.rows import Doc

D = Decimal
TRANSFER_PRICE = {(f.seller, f.buyer): f.price for f in IC_GOODS}


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
            customer = dice.rng.choice(s.customers).name
            domestic = doc.currency == functional
            for line in range(1, dice.rng.randint(1, 3) + 1):
                pc = dice.rng.choice(s.profit_centers)
                product = PRODUCTS[pc]
                qty = dice.rng.randint(*product.quantity)
                price = product.price * dice.share(*s.price)
                net = money(to_currency(price, "CNY", doc.currency) * qty, doc.currency)
                rate = TAX[functional][0 if product.kind == "goods" else 1] if domestic else ZERO
                tax = money(net * rate, doc.currency)
                row = doc.sale(line, product.kind, customer, pc, product.name, qty, net, tax)
                (p.sales_xlsx if s.entity == "JP01" else p.sales).append(row)
                if product.kind == "goods":
                    issue(dice, p, f"{s.entity}-GI-{p.code}-{n:05d}", doc, line, pc, qty)


def issue(dice: Dice, p: Period, number: str, sale: Doc, line: int, pc: str, qty: int) -> None:
    """The delivery's stock issue at cost, in the seller's functional currency:
    the factory's bill of materials, a bought-in product's purchase price, or
    the transfer price paid to the group supplier (then its partner)."""
    entity, functional = sale.entity, CURRENCY[sale.entity]
    partner, share = "", BOUGHT_IN_PRICE
    if pc not in BOUGHT_IN and entity in GROUP_SUPPLIER:
        partner = GROUP_SUPPLIER[entity]
        share = TRANSFER_PRICE[(partner, entity)]
    elif pc not in BOUGHT_IN:
        share = dice.share(*MATERIALS)
    product = PRODUCTS[pc]
    cost = to_currency(product.price * share * qty, "CNY", functional)
    delivery = Doc(number, sale.day, entity, functional)
    p.inventory.append(
        delivery.stock(line, "sale_issue", product.name, qty, cost, pc=pc, partner=partner)
    )

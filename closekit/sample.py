"""The demo workspace: Lotus Group's October and November 2026 close.

:func:`demo_tables` builds every file of ``sample_ledgers/`` from the master
data in :mod:`closekit.sample_master` and a seeded random generator, so the
committed demo is reproducible byte for byte (``closekit init DIR --sample``
writes exactly it). Every row is valid under SPEC section 4: revenue and
expense postings carry a profit center or a cost center, cost centers belong
to the posting entity, intercompany postings carry a partner, dates fall in
the period and (module, entity, doc_id, line) is unique.

What the ledgers show:
- third-party sales, purchases, stock issues and expense claims, some in a
  document currency other than the entity's (USD exports from Shenzhen, USD
  invoices in Hong Kong, USD travel claims);
- intercompany goods and management fees booked on both sides in the same
  invoice currency and amount, settled a month later by journals;
- exactly one intercompany difference: in November US01 booked Hong Kong's
  USD 48,500.00 management fee as USD 48,499.00 (about CNY 7.15, inside the
  10.00 tolerance);
- opening balances with year-to-date results for January-September, the
  foreign entities' equity and results at their historical and average rates;
- a capital increase in DE01 at the rate of its own date (journal
  ``amount_group``).
"""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NamedTuple

from closekit import sample_chart as chart
from closekit.sample_files import MONEY_COLUMNS, Cell, FileFormat, Table, write_table
from closekit.sample_master import (
    BUSINESS_UNITS,
    COST_CENTERS,
    ENTITIES,
    FX_RATES,
    INVESTMENTS,
    PRODUCTS,
    PROFIT_CENTERS,
    allocations,
    cost_centers_of,
    finance_cost_center,
)

PERIODS = ("2026-10", "2026-11")
SEED = 2026
GROUP_NAME = "Lotus Group"
D = Decimal
ZERO = D(0)

# CNY per unit used to price goods in a document currency; the books convert
# at the period's rates, these only make invoice amounts look plausible.
LIST_RATE = {"CNY": D(1), "USD": D("7.1"), "HKD": D("0.91"), "EUR": D("8.3"), "JPY": D("0.047")}
CURRENCY = {e.entity: e.currency for e in ENTITIES}
NAME = {e.entity: e.name for e in ENTITIES}
# Domestic indirect tax: (goods, services). Cross-border invoices carry none.
TAX = {
    "CNY": (D("0.13"), D("0.06")),
    "HKD": (ZERO, ZERO),
    "USD": (ZERO, ZERO),
    "EUR": (D("0.19"), D("0.19")),
    "JPY": (D("0.10"), D("0.10")),
}
MONTHLY_PAY = {"CNY": D(18000), "HKD": D(42000), "USD": D(9500), "EUR": D(7800), "JPY": D(650000)}
PPE = {
    "CN00": D("120000000"),
    "CN01": D("900000000"),
    "CN02": D("40000000"),
    "CN03": D("25000000"),
    "HK01": D("30000000"),
    "US01": D("6000000"),
    "DE01": D("3000000"),
    "JP01": D("400000000"),
}
LOANS = {"CN01": D("200000000"), "US01": D("5000000")}
RENT = {
    "CN00": D("450000"),
    "CN01": D("800000"),
    "CN02": D("380000"),
    "CN03": D("160000"),
    "HK01": D("520000"),
    "US01": D("85000"),
    "DE01": D("42000"),
    "JP01": D("6800000"),
}


def money(value: Decimal, currency: str) -> Decimal:
    """Round half away from zero to the currency's minor unit (yen have none)."""
    return value.quantize(D(1) if currency == "JPY" else D("0.01"), rounding=ROUND_HALF_UP)


def to_currency(amount: Decimal, source: str, target: str) -> Decimal:
    """Approximate conversion at list rates, for sizing figures only."""
    return money(amount * LIST_RATE[source] / LIST_RATE[target], target)


class Selling(NamedTuple):
    entity: str
    docs: int
    currencies: tuple[str, ...]
    profit_centers: tuple[str, ...]
    customers: tuple[str, ...]


SELLING = (
    Selling(
        "CN02",
        170,
        ("CNY",),
        ("P110", "P120", "P130", "P210", "P310", "P330", "P410", "P510"),
        (
            "京东商城",
            "苏宁易购",
            "国美电器",
            "上海华东电脑",
            "中国银行数据中心",
            "北京神州数码",
            "广州百脑汇",
            "成都天府软件园",
        ),
    ),
    Selling(
        "CN01",
        30,
        ("USD",),
        ("P210", "P310", "P320"),
        ("Global Data Centers LLC", "Nordic Compute AB", "Andes Telecom SA"),
    ),
    Selling(
        "HK01",
        60,
        ("HKD", "USD"),
        ("P410", "P420", "P110"),
        (
            "Fortress Electronics Ltd",
            "Broadway Digital Ltd",
            "Singapore Tech Pte Ltd",
            "Manila Office Supplies Inc",
        ),
    ),
    Selling(
        "US01",
        120,
        ("USD",),
        ("P110", "P210", "P320", "P510", "P520"),
        ("Best Buy Co", "CDW Corp", "Insight Enterprises", "State of Ohio", "Kaiser Health"),
    ),
    Selling(
        "DE01",
        80,
        ("EUR",),
        ("P210", "P330", "P510"),
        ("MediaMarkt GmbH", "Bechtle AG", "Cancom SE", "Siemens IT Services"),
    ),
    Selling(
        "JP01",
        60,
        ("JPY",),
        ("P110", "P410", "P520"),
        ("Yodobashi Camera", "Bic Camera", "Otsuka Shokai"),
    ),
)


class GoodsFlow(NamedTuple):
    """Intragroup goods: the seller invoices, the buyer receives into stock."""

    seller: str
    buyer: str
    currency: str
    docs: int
    profit_centers: tuple[str, ...]


IC_GOODS = (
    GoodsFlow("CN01", "CN02", "CNY", 12, ("P110", "P120", "P130", "P210", "P310", "P330")),
    GoodsFlow("CN01", "HK01", "USD", 8, ("P110", "P410", "P420")),
    GoodsFlow("CN01", "JP01", "JPY", 5, ("P110", "P410")),
    GoodsFlow("HK01", "US01", "USD", 8, ("P110", "P210", "P320")),
    GoodsFlow("HK01", "DE01", "EUR", 6, ("P210", "P330")),
)
TRANSFER_PRICE = D("0.85")  # intragroup price as a share of list price


class Fee(NamedTuple):
    """A monthly intragroup service charge; the buyer books it as an expense
    claim (``mgmt_fee``) or a purchased service."""

    seller: str
    buyer: str
    currency: str
    net: Decimal
    buyer_module: str
    description: str


FEES = (
    Fee("CN00", "CN01", "CNY", D("1200000.00"), "expenses", "Group management fee"),
    Fee("CN00", "CN02", "CNY", D("800000.00"), "expenses", "Group management fee"),
    Fee("CN00", "HK01", "HKD", D("650000.00"), "expenses", "Group management fee"),
    Fee("CN00", "JP01", "JPY", D("15000000"), "expenses", "Group management fee"),
    Fee("CN03", "CN01", "CNY", D("420000.00"), "purchasing", "Shared services: finance, HR, IT"),
    Fee("CN03", "CN02", "CNY", D("260000.00"), "purchasing", "Shared services: finance, HR, IT"),
    Fee("HK01", "US01", "USD", D("48500.00"), "expenses", "Regional management fee"),
    Fee("HK01", "DE01", "EUR", D("30000.00"), "expenses", "Regional management fee"),
)
# The one deliberate intercompany difference (see the module docstring).
FEE_SLIP = ("2026-11", "HK01", "US01", D("-1.00"))

COMPONENTS = (
    ("Intel Core Ultra 7 CPU", D("2400")),
    ("DDR5 16GB module", D("380")),
    ("NVMe SSD 1TB", D("420")),
    ("14-inch LCD panel", D("650")),
    ("Mainboard N14", D("900")),
    ("Li-ion battery 60Wh", D("260")),
    ("Chassis kit", D("150")),
    ("Power adapter 65W", D("70")),
)


class Buying(NamedTuple):
    entity: str
    docs: int
    currencies: tuple[str, ...]
    suppliers: tuple[str, ...]


BUYING = (
    Buying(
        "CN01",
        150,
        ("CNY", "CNY", "USD"),
        (
            "深圳华强电子",
            "东莞精密五金",
            "京东方科技",
            "宁德时代",
            "Intel Semiconductor (US)",
            "Micron Technology",
        ),
    ),
    Buying("CN02", 20, ("CNY",), ("上海联合物流", "苏州包装材料")),
    Buying("HK01", 10, ("HKD", "USD"), ("Kowloon Components Ltd", "Pacific Parts Trading")),
    Buying("US01", 20, ("USD",), ("Ingram Micro", "TD Synnex")),
    Buying("DE01", 15, ("EUR",), ("Also Holding AG", "Bechtle Logistik")),
    Buying("JP01", 10, ("JPY",), ("Marubeni Info", "Daiwabo Information")),
)

SERVICE_SUPPLIERS = ("DHL Express", "KPMG Advisory", "Accenture", "SF Express", "CBRE Facilities")
TRAVEL_PAYEES = ("Employee expense claim", "Corporate card", "Travel agency")
PAYEES_ZH = {
    "travel": "员工报销",
    "rent": "深圳物业管理有限公司",
    "salaries": "本厂员工",
    "utilities": "深圳供电局",
}
DESCRIPTIONS_ZH = {
    "travel": "差旅费报销",
    "rent": "厂房租金",
    "salaries": "本月工资",
    "utilities": "水电费",
    "mgmt_fee": "集团管理费",
}


@dataclass
class Period:
    """The rows of one period's files, and the functional-currency figures the
    journals and opening balances are sized from."""

    period: str
    sales: list[tuple[Cell, ...]] = field(default_factory=list)
    sales_xlsx: list[tuple[Cell, ...]] = field(default_factory=list)
    purchasing: list[tuple[Cell, ...]] = field(default_factory=list)
    inventory: list[tuple[Cell, ...]] = field(default_factory=list)
    expenses: list[tuple[Cell, ...]] = field(default_factory=list)
    expenses_zh: list[tuple[Cell, ...]] = field(default_factory=list)
    journals: list[tuple[Cell, ...]] = field(default_factory=list)
    # functional amounts, debit positive, by (entity, account, profit center, cost center)
    pnl: dict[tuple[str, str, str, str], Decimal] = field(default_factory=lambda: defaultdict(D))
    # functional totals by (entity, what): receivables, payables, payroll, claims
    totals: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(D))
    # intercompany invoices gross by (seller, buyer, invoice currency)
    ic_invoiced: dict[tuple[str, str, str], Decimal] = field(default_factory=lambda: defaultdict(D))

    @property
    def year_month(self) -> tuple[int, int]:
        return int(self.period[:4]), int(self.period[5:])

    @property
    def code(self) -> str:
        """``2610`` for 2026-10: the period part of document numbers."""
        return self.period[2:4] + self.period[5:]

    def day(self, n: int) -> date:
        return date(*self.year_month, n)

    @property
    def last_day(self) -> date:
        year, month = self.year_month
        return date(year, month, calendar.monthrange(year, month)[1])


class DemoBuilder:
    """Builds the demo ledgers period by period from one seeded generator."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.headcount = {cc.cost_center: self.rng.randint(4, 60) for cc in COST_CENTERS}

    # ---- small helpers -------------------------------------------------------

    def pick_day(self, p: Period) -> date:
        return p.day(self.rng.randint(1, p.last_day.day))

    def share(self, low: str, high: str) -> Decimal:
        return D(self.rng.randint(int(D(low) * 100), int(D(high) * 100))) / 100

    def book(self, p: Period, entity: str, account: str, pc: str, cc: str, amount: Decimal) -> None:
        p.pnl[(entity, account, pc, cc)] += amount

    # ---- sales and the stock they issue -------------------------------------

    def sale_line(
        self, p: Period, seller: str, currency: str, pc: str, price_share: Decimal
    ) -> tuple[str, int, Decimal, Decimal, str]:
        """(product, quantity, net, cost in functional currency, kind) of one line."""
        product = PRODUCTS[pc]
        quantity = self.rng.randint(*product.quantity)
        unit = to_currency(
            product.price * price_share * self.share("0.92", "1.05"), "CNY", currency
        )
        net = money(unit * quantity, currency)
        functional = CURRENCY[seller]
        cost = to_currency(net * self.share("0.68", "0.84"), currency, functional)
        return product.name, quantity, net, cost, product.kind

    def third_party_sales(self, p: Period) -> None:
        for s in SELLING:
            functional = CURRENCY[s.entity]
            for n in range(1, s.docs + 1):
                doc = f"{s.entity}-SI-{p.code}-{n:05d}"
                day = self.pick_day(p)
                currency = self.rng.choice(s.currencies)
                customer = self.rng.choice(s.customers)
                for line in range(1, self.rng.randint(1, 3) + 1):
                    pc = self.rng.choice(s.profit_centers)
                    product, qty, net, cost, kind = self.sale_line(p, s.entity, currency, pc, D(1))
                    domestic = currency == functional
                    rate = TAX[functional][0 if kind == "goods" else 1] if domestic else ZERO
                    tax = money(net * rate, currency)
                    row = (
                        doc,
                        line,
                        day,
                        s.entity,
                        currency,
                        kind,
                        customer,
                        "",
                        pc,
                        product,
                        qty,
                        net,
                        tax,
                    )
                    (p.sales_xlsx if s.entity == "JP01" else p.sales).append(row)
                    revenue = chart.REVENUE_GOODS if kind == "goods" else chart.REVENUE_SERVICES
                    self.book(p, s.entity, revenue, pc, "", -to_currency(net, currency, functional))
                    if domestic:
                        p.totals[(s.entity, "receivables")] += net + tax
                    if kind == "goods":
                        self.issue(p, s.entity, doc, line, day, pc, product, qty, cost)

    def issue(
        self,
        p: Period,
        entity: str,
        doc: str,
        line: int,
        day: date,
        pc: str,
        item: str,
        qty: int,
        cost: Decimal,
        third_party: bool = True,
    ) -> None:
        """The delivery's stock issue at cost (inventory module, functional
        currency). Only third-party trade sizes the opening results, which
        carry no intragroup balances."""
        gi = doc.replace("-SI-", "-GI-")
        p.inventory.append(
            (gi, line, day, entity, CURRENCY[entity], "sale_issue", "", pc, "", item, qty, cost)
        )
        if third_party:
            self.book(p, entity, chart.COST_OF_SALES, pc, "", cost)

    # ---- intercompany: both sides in the invoice currency -------------------

    def ic_goods(self, p: Period) -> None:
        for flow in IC_GOODS:
            seller_ccy, buyer_ccy = CURRENCY[flow.seller], CURRENCY[flow.buyer]
            domestic = seller_ccy == buyer_ccy == flow.currency
            for n in range(1, flow.docs + 1):
                doc = f"{flow.seller}-IC-{p.code}-{flow.buyer}-{n:03d}"
                day = self.pick_day(p)
                for line in range(1, self.rng.randint(1, 2) + 1):
                    pc = self.rng.choice(flow.profit_centers)
                    product, qty, net, cost, _ = self.sale_line(
                        p, flow.seller, flow.currency, pc, TRANSFER_PRICE
                    )
                    tax = money(net * TAX[flow.currency][0], flow.currency) if domestic else ZERO
                    p.sales.append(
                        (
                            doc,
                            line,
                            day,
                            flow.seller,
                            flow.currency,
                            "goods",
                            NAME[flow.buyer],
                            flow.buyer,
                            pc,
                            product,
                            qty,
                            net,
                            tax,
                        )
                    )
                    self.issue(
                        p, flow.seller, doc, line, day, pc, product, qty, cost, third_party=False
                    )
                    p.purchasing.append(
                        (
                            doc,
                            line,
                            day,
                            flow.buyer,
                            flow.currency,
                            "stock",
                            NAME[flow.seller],
                            flow.seller,
                            pc,
                            "",
                            product,
                            qty,
                            net,
                            tax,
                        )
                    )
                    p.ic_invoiced[(flow.seller, flow.buyer, flow.currency)] += net + tax

    def fees(self, p: Period) -> None:
        for fee in FEES:
            domestic = CURRENCY[fee.seller] == CURRENCY[fee.buyer] == fee.currency
            tax = money(fee.net * TAX[fee.currency][1], fee.currency) if domestic else ZERO
            doc = f"{fee.seller}-SV-{p.code}-{fee.buyer}"
            day = p.last_day
            p.sales.append(
                (
                    doc,
                    1,
                    day,
                    fee.seller,
                    fee.currency,
                    "service",
                    NAME[fee.buyer],
                    fee.buyer,
                    "P900",
                    fee.description,
                    1,
                    fee.net,
                    tax,
                )
            )
            booked = fee.net
            if (p.period, fee.seller, fee.buyer) == FEE_SLIP[:3]:
                booked += FEE_SLIP[3]  # the buyer's typing slip: one cent-level IC difference
            cc = finance_cost_center(fee.buyer)
            if fee.buyer_module == "expenses":
                self.expense_row(
                    p,
                    (
                        doc,
                        1,
                        day,
                        fee.buyer,
                        fee.currency,
                        "mgmt_fee",
                        NAME[fee.seller],
                        fee.seller,
                        "",
                        cc,
                        fee.description,
                        booked,
                        tax,
                    ),
                )
            else:
                p.purchasing.append(
                    (
                        doc,
                        1,
                        day,
                        fee.buyer,
                        fee.currency,
                        "service",
                        NAME[fee.seller],
                        fee.seller,
                        "",
                        cc,
                        fee.description,
                        1,
                        booked,
                        tax,
                    )
                )
            p.ic_invoiced[(fee.seller, fee.buyer, fee.currency)] += fee.net + tax

    # ---- purchases, stock counts --------------------------------------------

    def purchases(self, p: Period) -> None:
        for b in BUYING:
            functional = CURRENCY[b.entity]
            for n in range(1, b.docs + 1):
                doc = f"{b.entity}-PI-{p.code}-{n:05d}"
                day = self.pick_day(p)
                currency = self.rng.choice(b.currencies)
                supplier = self.rng.choice(b.suppliers)
                for line in range(1, self.rng.randint(1, 3) + 1):
                    item, price = self.rng.choice(COMPONENTS)
                    qty = (
                        self.rng.randint(200, 4000)
                        if b.entity == "CN01"
                        else self.rng.randint(50, 600)
                    )
                    net = money(to_currency(price, "CNY", currency) * qty, currency)
                    tax = (
                        money(net * TAX[functional][0], currency)
                        if currency == functional
                        else ZERO
                    )
                    p.purchasing.append(
                        (
                            doc,
                            line,
                            day,
                            b.entity,
                            currency,
                            "stock",
                            supplier,
                            "",
                            "",
                            "",
                            item,
                            qty,
                            net,
                            tax,
                        )
                    )
                    if currency == functional:
                        p.totals[(b.entity, "payables")] += net + tax
            # purchased services land on a cost center of the buying entity
            for n in range(1, 7):
                cc = self.rng.choice(cost_centers_of(b.entity)).cost_center
                net = to_currency(D(self.rng.randint(8000, 120000)), "CNY", functional)
                tax = money(net * TAX[functional][1], functional)
                doc = f"{b.entity}-PS-{p.code}-{n:03d}"
                p.purchasing.append(
                    (
                        doc,
                        1,
                        self.pick_day(p),
                        b.entity,
                        functional,
                        "service",
                        self.rng.choice(SERVICE_SUPPLIERS),
                        "",
                        "",
                        cc,
                        "Logistics and advisory services",
                        1,
                        net,
                        tax,
                    )
                )
                p.totals[(b.entity, "payables")] += net + tax
                self.book(p, b.entity, chart.SERVICES, "", cc, net)

    def stock_counts(self, p: Period) -> None:
        """Scrap and count differences, on the quality or service cost center."""
        for entity, cc in (("CN01", "CN01-240"), ("CN02", "CN02-360")):
            for n, kind in enumerate(
                ("scrap",) * 4 + ("count_gain",) * 3 + ("count_loss",) * 3, start=1
            ):
                item, price = self.rng.choice(COMPONENTS)
                qty = self.rng.randint(1, 40)
                value = money(price * qty, "CNY")
                p.inventory.append(
                    (
                        f"{entity}-ST-{p.code}-{n:03d}",
                        1,
                        self.pick_day(p),
                        entity,
                        "CNY",
                        kind,
                        "",
                        "",
                        cc,
                        item,
                        qty,
                        value,
                    )
                )
                sign = -1 if kind == "count_gain" else 1
                self.book(p, entity, chart.INVENTORY_DIFFERENCES, "", cc, sign * value)

    # ---- expense claims ------------------------------------------------------

    def expense_row(self, p: Period, row: tuple[Cell, ...]) -> None:
        """CN01's claims go to its own GB18030 export, with Chinese payees and texts."""
        if row[3] != "CN01":
            p.expenses.append(row)
            return
        kind = str(row[5])
        payee = row[6] if row[7] else PAYEES_ZH.get(kind, str(row[6]))
        description = DESCRIPTIONS_ZH.get(kind, str(row[10]))
        p.expenses_zh.append((*row[:6], payee, *row[7:10], description, *row[11:]))

    def expenses(self, p: Period) -> None:
        for e in ENTITIES:
            functional = e.currency
            centers = cost_centers_of(e.entity)
            for n, cc in enumerate(centers, start=1):
                pay = money(
                    MONTHLY_PAY[functional]
                    * self.headcount[cc.cost_center]
                    * self.share("0.95", "1.05"),
                    functional,
                )
                self.expense_row(
                    p,
                    (
                        f"{e.entity}-PY-{p.code}-{n:03d}",
                        1,
                        p.last_day,
                        e.entity,
                        functional,
                        "salaries",
                        "Payroll",
                        "",
                        "",
                        cc.cost_center,
                        "Salaries of the month",
                        pay,
                        ZERO,
                    ),
                )
                self.book(p, e.entity, chart.SALARIES, "", cc.cost_center, pay)
                p.totals[(e.entity, "payroll")] += pay
            main = finance_cost_center(e.entity)
            for kind, account, net in (
                ("rent", chart.RENT, RENT[e.entity]),
                (
                    "utilities",
                    chart.UTILITIES,
                    money(RENT[e.entity] * self.share("0.15", "0.30"), functional),
                ),
            ):
                tax = money(net * TAX[functional][1], functional)
                self.expense_row(
                    p,
                    (
                        f"{e.entity}-{kind[:2].upper()}-{p.code}",
                        1,
                        p.day(5),
                        e.entity,
                        functional,
                        kind,
                        "Landlord and utilities",
                        "",
                        "",
                        main,
                        f"{kind.title()} of the month",
                        net,
                        tax,
                    ),
                )
                self.book(p, e.entity, account, "", main, net)
                p.totals[(e.entity, "claims")] += net + tax
            for n in range(1, 6 * len(centers) + 1):
                cc = self.rng.choice(centers)
                foreign = e.entity == "CN01" and n % 10 == 0  # staff abroad claim in USD
                currency = "USD" if foreign else functional
                net = to_currency(D(self.rng.randint(300, 12000)), "CNY", currency)
                tax = ZERO if foreign else money(net * TAX[functional][1], currency)
                self.expense_row(
                    p,
                    (
                        f"{e.entity}-TR-{p.code}-{n:04d}",
                        1,
                        self.pick_day(p),
                        e.entity,
                        currency,
                        "travel",
                        self.rng.choice(TRAVEL_PAYEES),
                        "",
                        "",
                        cc.cost_center,
                        "Business travel",
                        net,
                        tax,
                    ),
                )
                self.book(
                    p,
                    e.entity,
                    chart.TRAVEL,
                    "",
                    cc.cost_center,
                    to_currency(net, currency, functional),
                )
                if not foreign:
                    p.totals[(e.entity, "claims")] += net + tax

    # ---- journals: depreciation, cash, settlements, capital ------------------

    def journal(
        self,
        p: Period,
        doc: str,
        entity: str,
        currency: str,
        description: str,
        lines: Sequence[tuple[str, str, str, str, Decimal, Decimal | None]],
    ) -> None:
        """lines: (account, partner, profit center, cost center, signed amount, amount_group)."""
        for n, (account, partner, pc, cc, amount, group) in enumerate(lines, start=1):
            debit, credit = (amount, None) if amount > 0 else (None, -amount)
            p.journals.append(
                (
                    doc,
                    n,
                    p.last_day,
                    entity,
                    currency,
                    account,
                    partner,
                    pc,
                    cc,
                    debit,
                    credit,
                    description,
                    group,
                )
            )

    def journals(
        self, p: Period, previous: Period | None, opening: dict[str, dict[str, Decimal]]
    ) -> None:
        for e in ENTITIES:
            ccy = e.currency
            centers = cost_centers_of(e.entity)
            monthly = money(PPE[e.entity] / 120, ccy)  # ten years straight line
            parts = [money(monthly / len(centers), ccy)] * len(centers)
            parts[-1] = monthly - sum(parts[:-1])
            self.journal(
                p,
                f"{e.entity}-DEP-{p.code}",
                e.entity,
                ccy,
                "Depreciation of the month",
                [
                    (chart.DEPRECIATION, "", "", cc.cost_center, part, None)
                    for cc, part in zip(centers, parts, strict=True)
                ]
                + [(chart.ACCUMULATED_DEPRECIATION, "", "", "", -monthly, None)],
            )
            for cc, part in zip(centers, parts, strict=True):
                self.book(p, e.entity, chart.DEPRECIATION, "", cc.cost_center, part)
            before = (
                opening[e.entity]
                if previous is None
                else {
                    "receivables": previous.totals[(e.entity, "receivables")],
                    "payables": previous.totals[(e.entity, "payables")],
                }
            )
            cash_moves = (
                (
                    "COL",
                    "Customer collections",
                    chart.RECEIVABLES,
                    -money(before["receivables"] * D("0.85"), ccy),
                ),
                (
                    "PAY",
                    "Supplier payments",
                    chart.PAYABLES,
                    money(before["payables"] * D("0.85"), ccy),
                ),
                ("SAL", "Payroll paid", chart.ACCRUED_PAYROLL, p.totals[(e.entity, "payroll")]),
                (
                    "EXP",
                    "Expense claims and bills paid",
                    chart.ACCRUALS,
                    money(p.totals[(e.entity, "claims")] * D("0.9"), ccy),
                ),
            )
            for code, description, account, amount in cash_moves:
                if amount:
                    self.journal(
                        p,
                        f"{e.entity}-{code}-{p.code}",
                        e.entity,
                        ccy,
                        description,
                        [
                            (account, "", "", "", amount, None),
                            (chart.CASH, "", "", "", -amount, None),
                        ],
                    )
        if previous is not None:
            self.settlements(p, previous)
            self.capital_increase(p)

    def settlements(self, p: Period, previous: Period) -> None:
        """Last month's intragroup invoices paid in their invoice currency, both sides."""
        for (seller, buyer, currency), gross in sorted(previous.ic_invoiced.items()):
            doc = f"STL-{p.code}-{seller}-{buyer}"
            text = f"Settlement of {previous.period} intercompany invoices"
            self.journal(
                p,
                doc,
                seller,
                currency,
                text,
                [
                    (chart.CASH, "", "", "", gross, None),
                    (chart.IC_RECEIVABLES, buyer, "", "", -gross, None),
                ],
            )
            self.journal(
                p,
                doc,
                buyer,
                currency,
                text,
                [
                    (chart.IC_PAYABLES, seller, "", "", gross, None),
                    (chart.CASH, "", "", "", -gross, None),
                ],
            )

    def capital_increase(self, p: Period) -> None:
        """HK01 injects EUR 2m into DE01; both historical-rate lines keep the
        CNY value of the day (EUR 2m x 8.33 = CNY 16.66m)."""
        self.journal(
            p,
            f"CAP-{p.code}-DE01",
            "DE01",
            "EUR",
            "Capital increase by HK01",
            [
                (chart.CASH, "", "", "", D("2000000.00"), None),
                (chart.SHARE_CAPITAL, "", "", "", D("-2000000.00"), D("-16660000.00")),
            ],
        )
        self.journal(
            p,
            f"CAP-{p.code}-DE01",
            "HK01",
            "HKD",
            "Capital increase in DE01",
            [
                (chart.INVESTMENTS, "DE01", "", "", D("18150000.00"), D("16660000.00")),
                (chart.CASH, "", "", "", D("-18150000.00"), None),
            ],
        )

    # ---- opening balances -----------------------------------------------------

    def opening(
        self, october: Period
    ) -> tuple[list[tuple[Cell, ...]], dict[str, dict[str, Decimal]]]:
        """Balances at 30 September 2026 in functional currency: the balance
        sheet, and January-September results sized as nine Octobers. Foreign
        entities bring equity at historical and results at the year's average
        rate (``amount_group``); cash is sized so retained earnings are a credit."""
        rows: list[tuple[Cell, ...]] = []
        sizes: dict[str, dict[str, Decimal]] = {}
        for e in ENTITIES:
            ccy = e.currency
            foreign = ccy != "CNY"
            lines: list[tuple[str, str, str, str, Decimal, Decimal | None]] = []
            receivables = october.totals[(e.entity, "receivables")]
            payables = october.totals[(e.entity, "payables")]
            sizes[e.entity] = {"receivables": receivables, "payables": payables}
            cogs = sum(
                (
                    v
                    for (ent, acc, _, _), v in october.pnl.items()
                    if ent == e.entity and acc == chart.COST_OF_SALES
                ),
                ZERO,
            )
            bs: list[tuple[str, Decimal]] = [
                (chart.RECEIVABLES, receivables),
                (chart.INVENTORIES, money(cogs * D("2.5"), ccy)),  # ten weeks of stock
                (chart.PPE, PPE[e.entity]),
                (chart.ACCUMULATED_DEPRECIATION, -money(PPE[e.entity] * D("0.4"), ccy)),
                (chart.PAYABLES, -payables),
                (chart.ACCRUALS, -money(october.totals[(e.entity, "claims")] * D("0.3"), ccy)),
                (chart.LOANS, -LOANS.get(e.entity, ZERO)),
            ]
            lines += [(account, "", "", "", amount, None) for account, amount in bs if amount]
            for parent, sub, cost, cost_group in INVESTMENTS:
                if parent == e.entity:
                    lines.append(
                        (chart.INVESTMENTS, sub, "", "", cost, cost_group if foreign else None)
                    )
            lines.append(
                (
                    chart.SHARE_CAPITAL,
                    "",
                    "",
                    "",
                    -e.share_capital,
                    -money(e.share_capital * e.historical_rate, "CNY") if foreign else None,
                )
            )
            for (ent, account, pc, cc), amount in sorted(october.pnl.items()):
                if ent == e.entity and amount:
                    ytd = money(amount * 9 * self.share("0.90", "1.10"), ccy)
                    lines.append(
                        (
                            account,
                            "",
                            pc,
                            cc,
                            ytd,
                            money(ytd * e.ytd_rate, "CNY") if foreign else None,
                        )
                    )
            # depreciation is journalled at month end, after this is sized: nine months of it
            depreciation = money(PPE[e.entity] / 120 * 9, ccy)
            lines.append(
                (
                    chart.DEPRECIATION,
                    "",
                    "",
                    finance_cost_center(e.entity),
                    depreciation,
                    money(depreciation * e.ytd_rate, "CNY") if foreign else None,
                )
            )
            others = sum((line[4] for line in lines), ZERO)
            cash = max(
                to_currency(D("30000000"), "CNY", ccy), money(-others + e.share_capital / 10, ccy)
            )
            retained = -(others + cash)
            lines.insert(0, (chart.CASH, "", "", "", cash, None))
            lines.append(
                (
                    chart.RETAINED_EARNINGS,
                    "",
                    "",
                    "",
                    retained,
                    money(retained * e.historical_rate * D("1.02"), "CNY") if foreign else None,
                )
            )
            for n, (account, partner, pc, cc, amount, group) in enumerate(lines, start=1):
                rows.append(
                    (
                        f"OB-{e.entity}",
                        n,
                        october.day(1),
                        e.entity,
                        ccy,
                        account,
                        partner,
                        pc,
                        cc,
                        amount,
                        group,
                    )
                )
        return rows, sizes

    # ---- the whole demo -------------------------------------------------------

    def build(self) -> list[Table]:
        periods = [Period(period) for period in PERIODS]
        for p in periods:
            self.third_party_sales(p)
            self.ic_goods(p)
            self.fees(p)
            self.purchases(p)
            self.stock_counts(p)
            self.expenses(p)
        opening_rows, opening_sizes = self.opening(periods[0])
        for index, p in enumerate(periods):
            self.journals(p, periods[index - 1] if index else None, opening_sizes)
        ledgers = [Table(f"ledgers/{PERIODS[0]}/opening.csv", chart.OPENING_COLUMNS, opening_rows)]
        for p in periods:
            ledgers += period_tables(p)
        return master_tables() + [minor_units(table) for table in ledgers]


def minor_units(table: Table) -> Table:
    """Amounts written to their currency's minor unit (``0.00`` for a zero
    tax, no decimals for yen); ``amount_group`` is always CNY."""
    currency = table.columns.index("currency")
    money_columns = [i for i, name in enumerate(table.columns) if name in MONEY_COLUMNS]

    def fix(row: tuple[Cell, ...]) -> tuple[Cell, ...]:
        cells = list(row)
        for i in money_columns:
            value = cells[i]
            if isinstance(value, Decimal):
                unit = "CNY" if table.columns[i] == "amount_group" else str(row[currency])
                cells[i] = money(value, unit)
        return tuple(cells)

    return Table(table.path, table.columns, [fix(row) for row in table.rows], table.fmt)


def period_tables(p: Period) -> list[Table]:
    folder = f"ledgers/{p.period}"
    return [
        Table(f"{folder}/sales.csv", chart.SALES_COLUMNS, p.sales),
        Table(f"{folder}/sales-JP01.xlsx", chart.SALES_COLUMNS, p.sales_xlsx, "xlsx"),
        Table(f"{folder}/purchasing.csv", chart.PURCHASING_COLUMNS, p.purchasing),
        Table(f"{folder}/inventory.parquet", chart.INVENTORY_COLUMNS, p.inventory, "parquet"),
        Table(f"{folder}/expenses.csv", chart.EXPENSES_COLUMNS, p.expenses),
        Table(f"{folder}/expenses-CN01.csv", chart.EXPENSES_COLUMNS, p.expenses_zh, "gb18030"),
        Table(f"{folder}/journals.csv", chart.JOURNAL_COLUMNS, p.journals),
    ]


def master_tables() -> list[Table]:
    fmt: FileFormat = "csv"
    return [
        Table(
            "master/entities.csv",
            chart.ENTITY_COLUMNS,
            [
                (
                    e.entity,
                    e.name,
                    e.name_zh,
                    e.currency,
                    e.parent,
                    e.ownership_pct,
                    "full" if e.parent else "",
                )
                for e in ENTITIES
            ],
            fmt,
        ),
        Table("master/accounts.csv", chart.ACCOUNT_COLUMNS, [tuple(a) for a in chart.ACCOUNTS]),
        Table("master/business_units.csv", chart.BU_COLUMNS, list(BUSINESS_UNITS)),
        Table("master/profit_centers.csv", chart.PC_COLUMNS, list(PROFIT_CENTERS)),
        Table(
            "master/cost_centers.csv",
            chart.CC_COLUMNS,
            [
                (c.cost_center, c.name, c.name_zh, c.entity, c.department, c.profit_center)
                for c in COST_CENTERS
            ],
        ),
        Table("master/fx_rates.csv", chart.FX_COLUMNS, list(FX_RATES)),
        Table(
            "master/posting_rules.csv", chart.RULE_COLUMNS, [tuple(r) for r in chart.POSTING_RULES]
        ),
        Table("master/allocations.csv", chart.ALLOCATION_COLUMNS, list(allocations())),
    ]


def demo_tables(seed: int = SEED) -> list[Table]:
    """Every data file of the demo workspace, in writing order."""
    return DemoBuilder(seed).build()


def write_demo(root: Path) -> list[Path]:
    """Write the demo workspace under ``root``: closekit.toml, master data,
    ledgers and README.md. Returns the files written."""
    from closekit.sample_readme import demo_readme

    root.mkdir(parents=True, exist_ok=True)
    tables = demo_tables()
    written = [write_table(root, table) for table in tables]
    settings = root / "closekit.toml"
    settings.write_text(chart.settings_toml(GROUP_NAME), encoding="utf-8")
    notes = root / "README.md"
    notes.write_text(demo_readme(tables), encoding="utf-8")
    return [settings, notes, *written]


def write_blank(root: Path, group_name: str) -> list[Path]:
    """A new workspace to fill in: closekit.toml, the demo's chart of accounts
    and posting rules as a starting point (the special accounts of
    closekit.toml exist in it), the other master files with their headers
    only, and ``ledgers/``."""
    root.mkdir(parents=True, exist_ok=True)
    settings = root / "closekit.toml"
    settings.write_text(chart.settings_toml(group_name), encoding="utf-8")
    written = [settings]
    for table in master_tables():
        if table.path.endswith("allocations.csv"):
            continue  # optional
        keep = table.path.endswith(("accounts.csv", "posting_rules.csv"))
        written.append(write_table(root, table if keep else Table(table.path, table.columns, [])))
    (root / "ledgers").mkdir(exist_ok=True)
    return written

"""The demo group's business: who sells what to whom, in which currency, at
what price, on what payment terms, with how many people and at what cost
(used by :mod:`closekit.sample.demo`).

The supply chain: CN01 (Shenzhen) makes every product but peripherals from
bought components and sells them to the group's sales companies at transfer
prices (CN02 in China, JP01 in Japan, HK01 in Hong Kong), and exports servers
to data centers itself; HK01, the Asian trading hub, resells to US01 and DE01
and to Asian customers, and buys peripherals from third parties. Services
(warranty, cloud seats) have no stock. Prices are shares of a product's CNY
list price (:data:`closekit.sample.demo.master.PRODUCTS`).

Amounts are :class:`~decimal.Decimal`, rounded half away from zero to the
currency's minor unit; list prices are converted at fixed list rates only to
make invoice amounts plausible (the books convert at the period's rates).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from closekit.sample.chart import cents
from closekit.sample.demo.master import ENTITIES

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
# Statutory income tax on the month's profit (no tax on a loss: DE01 carries
# its losses forward and recognises no deferred tax asset for them).
INCOME_TAX = {
    "CN00": D("0.25"),
    "CN01": D("0.15"),  # high and new technology enterprise
    "CN02": D("0.25"),
    "CN03": D("0.25"),
    "HK01": D("0.165"),
    "US01": D("0.25"),  # federal and state
    "DE01": D("0.30"),
    "JP01": D("0.31"),
}

# ---- people -----------------------------------------------------------------

# Monthly cost of one employee (pay and social charges) by currency, and the
# department's multiple of it.
MONTHLY_PAY = {"CNY": D(18000), "HKD": D(45000), "USD": D(9500), "EUR": D(7000), "JPY": D(650000)}
DEPARTMENT_PAY = {
    "Manufacturing": D("0.45"),
    "Quality": D("0.60"),
    "Logistics": D("0.50"),
    "Customer service": D("0.80"),
    "R&D": D("1.60"),
    "IT": D("1.30"),
    "Legal": D("1.80"),
    "Sales": D("1.20"),
    "Treasury": D("1.50"),
    "Executive": D("4.00"),
}
# The factory's production departments: their pay (kind ``wages``) and their
# share of depreciation are costs of the goods made (account 5300).
PRODUCTION = frozenset({"Manufacturing", "Quality", "Logistics"})

# ---- fixed assets, loans, rent ---------------------------------------------------

# Property, plant and equipment at cost, depreciated over ten years; 40% was
# depreciated at 30 September 2026.
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
# Bank loans (functional currency) and their annual interest rate, paid monthly.
LOANS = {"CN01": (D("200000000"), D("0.036")), "US01": (D("5000000"), D("0.065"))}
# Interest earned on the holding's deposits, annual rate.
DEPOSIT_RATE = D("0.015")
DEPOSITS = frozenset({"CN00"})
# Income tax is paid in the month after a quarter ends.
TAX_PAYMENT_MONTHS = frozenset({1, 4, 7, 10})
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
    return cents(value, 0 if currency == "JPY" else 2)


def to_currency(amount: Decimal, source: str, target: str) -> Decimal:
    """Approximate conversion at list rates, for sizing figures only."""
    return money(amount * LIST_RATE[source] / LIST_RATE[target], target)


# ---- selling to third parties --------------------------------------------------


class Customer(NamedTuple):
    """A customer and its payment terms: an invoice is paid at the end of the
    ``terms``-th month after the month it is dated in."""

    name: str
    terms: int


class Selling(NamedTuple):
    entity: str
    docs: int
    currencies: tuple[str, ...]
    profit_centers: tuple[str, ...]
    customers: tuple[Customer, ...]
    price: tuple[str, str]  # the range of the selling price, shares of list price


SELLING = (
    Selling(
        "CN02",
        170,
        ("CNY",),
        ("P110", "P120", "P130", "P210", "P220", "P310", "P330", "P110", "P120", "P210", "P510"),
        (
            Customer("京东商城", 2),
            Customer("苏宁易购", 2),
            Customer("国美电器", 2),
            Customer("上海华东电脑", 1),
            Customer("中国银行数据中心", 2),
            Customer("北京神州数码", 1),
            Customer("广州百脑汇", 1),
            Customer("成都天府软件园", 1),
        ),
        ("0.92", "1.05"),
    ),
    Selling(
        "CN01",
        30,
        ("USD",),
        ("P210", "P310", "P320"),
        (
            Customer("Global Data Centers LLC", 2),
            Customer("Nordic Compute AB", 1),
            Customer("Andes Telecom SA", 2),
        ),
        ("0.88", "0.96"),  # direct deals with data centers
    ),
    Selling(
        "HK01",
        60,
        ("HKD", "USD", "USD"),
        ("P410", "P420", "P110"),
        (
            Customer("Fortress Electronics Ltd", 1),
            Customer("Broadway Digital Ltd", 1),
            Customer("Singapore Tech Pte Ltd", 2),
            Customer("Manila Office Supplies Inc", 2),
        ),
        ("0.92", "1.05"),
    ),
    Selling(
        "US01",
        120,
        ("USD",),
        ("P110", "P210", "P220", "P320", "P110", "P210", "P510", "P520"),
        (
            Customer("Best Buy Co", 1),
            Customer("CDW Corp", 1),
            Customer("Insight Enterprises", 1),
            Customer("State of Ohio", 2),
            Customer("Kaiser Health", 2),
        ),
        ("0.92", "1.05"),
    ),
    Selling(
        "DE01",
        80,
        ("EUR",),
        ("P210", "P330", "P210", "P510"),
        (
            Customer("MediaMarkt GmbH", 2),
            Customer("Bechtle AG", 1),
            Customer("Cancom SE", 1),
            Customer("Siemens IT Services", 2),
        ),
        ("0.82", "0.94"),  # a price war in Europe: DE01 sells below its cost base
    ),
    Selling(
        "JP01",
        60,
        ("JPY",),
        ("P110", "P410", "P110", "P520"),
        (
            Customer("Yodobashi Camera", 1),
            Customer("Bic Camera", 1),
            Customer("Otsuka Shokai", 2),
        ),
        ("0.92", "1.05"),
    ),
)

# ---- the supply chain -------------------------------------------------------------

# CN01's bill of materials, a share of list price.
MATERIALS = ("0.64", "0.68")
# Where each sales company's goods come from; peripherals are bought in.
GROUP_SUPPLIER = {"CN02": "CN01", "HK01": "CN01", "JP01": "CN01", "US01": "HK01", "DE01": "HK01"}
BOUGHT_IN = frozenset({"P420"})
BOUGHT_IN_PRICE = D("0.72")


class GoodsFlow(NamedTuple):
    """Intragroup goods: each month the buyer restocks what it issued, in
    ``docs`` invoices of the seller in ``currency`` at ``price`` x list."""

    seller: str
    buyer: str
    currency: str
    docs: int
    price: Decimal


# In supply order: the hub restocks US01 and DE01 before CN01 restocks the hub.
IC_GOODS = (
    GoodsFlow("HK01", "US01", "USD", 8, D("0.86")),
    GoodsFlow("HK01", "DE01", "EUR", 6, D("0.86")),
    GoodsFlow("CN01", "CN02", "CNY", 12, D("0.86")),
    GoodsFlow("CN01", "HK01", "USD", 10, D("0.80")),
    GoodsFlow("CN01", "JP01", "JPY", 5, D("0.84")),
)
# Stock at 30 September, in months of the goods issued in October.
STOCK_MONTHS = {"CN01": D("1.8"), "HK01": D("1.2")}
DEFAULT_STOCK_MONTHS = D("1.5")
# Intragroup invoices are paid at the end of the month after their date.
IC_TERMS = 1
# One intragroup invoice the buyer has not booked at period end: CN01's last
# November invoice to JP01, dated the 30th, reaches JP01 after its books
# close; JP01 received the goods and accrues them by a journal.
LATE_INVOICE = ("2026-11", "CN01", "JP01")


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
    Fee("CN00", "CN01", "CNY", D("1500000.00"), "expenses", "Group management fee"),
    Fee("CN00", "CN02", "CNY", D("800000.00"), "expenses", "Group management fee"),
    Fee("CN00", "HK01", "HKD", D("650000.00"), "expenses", "Group management fee"),
    Fee("CN00", "JP01", "JPY", D("15000000"), "expenses", "Group management fee"),
    Fee("CN03", "CN01", "CNY", D("2600000.00"), "purchasing", "Shared services: finance, HR, IT"),
    Fee("CN03", "CN02", "CNY", D("1800000.00"), "purchasing", "Shared services: finance, HR, IT"),
    Fee("HK01", "US01", "USD", D("48500.00"), "expenses", "Regional management fee"),
    Fee("HK01", "DE01", "EUR", D("30000.00"), "expenses", "Regional management fee"),
)
# The one deliberate intercompany difference: US01's typing slip on HK01's
# November fee (period, seller, buyer, booked minus invoiced).
FEE_SLIP = ("2026-11", "HK01", "US01", D("-1.00"))

# ---- buying from third parties ------------------------------------------------------


class Supplier(NamedTuple):
    name: str
    currency: str
    terms: int  # months, as for customers


class Buying(NamedTuple):
    """Stock bought from third parties: CN01's components, HK01's peripherals."""

    entity: str
    docs: int
    suppliers: tuple[Supplier, ...]


BUYING = (
    Buying(
        "CN01",
        150,
        (
            Supplier("深圳华强电子", "CNY", 2),
            Supplier("东莞精密五金", "CNY", 1),
            Supplier("京东方科技", "CNY", 2),
            Supplier("宁德时代", "CNY", 2),
            Supplier("Intel Semiconductor (US)", "USD", 1),
            Supplier("Micron Technology", "USD", 1),
        ),
    ),
    Buying(
        "HK01",
        10,
        (Supplier("Kowloon Components Ltd", "HKD", 1), Supplier("Pacific Parts Trading", "USD", 1)),
    ),
)
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
# Purchased services (logistics, advisory) in the entity's currency, 30 days.
SERVICE_SUPPLIERS = ("DHL Express", "KPMG Advisory", "Accenture", "SF Express", "CBRE Facilities")
SERVICE_TERMS = 1
TRAVEL_PAYEES = ("Employee expense claim", "Corporate card", "Travel agency")
PAYEES_ZH = {
    "travel": "员工报销",
    "rent": "深圳物业管理有限公司",
    "salaries": "本厂员工",
    "wages": "本厂员工",
    "utilities": "深圳供电局",
}
DESCRIPTIONS_ZH = {
    "travel": "差旅费报销",
    "rent": "厂房租金",
    "salaries": "本月工资",
    "wages": "本月生产工人工资",
    "utilities": "水电费",
    "mgmt_fee": "集团管理费",
}

# ---- treasury ----------------------------------------------------------------------

# Foreign-currency cash an entity keeps (document currency); above twice
# this the treasury sells the excess for functional currency at month end,
# below half it buys back up to it.
FOREIGN_FLOAT = {
    ("CN01", "USD"): D("6000000"),
    ("HK01", "USD"): D("4000000"),
    ("HK01", "EUR"): D("1000000"),
}
# Cash at 30 September at least this many months of the entity's outgoings.
MINIMUM_CASH_MONTHS = D("1.5")

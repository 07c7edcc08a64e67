"""The demo group's trading scenario: who sells what to whom, in which
currency, at what price, tax and volume (used by :mod:`closekit.sample.demo`).

Amounts are :class:`~decimal.Decimal`, rounded half away from zero to the
currency's minor unit; list prices are in CNY and converted at fixed list
rates only to make invoice amounts plausible (the books convert at the
period's rates).
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
    return cents(value, 0 if currency == "JPY" else 2)


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

"""Master data of the demo group, Lotus Group: a PC maker headquartered in
Beijing with a Shenzhen factory, a Shanghai sales company, a Wuhan shared
service center, an 80%-owned Hong Kong sub-holding (with US and German
subsidiaries) and a 60%-owned Japanese joint venture.

Plain literal tables, so that a reader sees the group at a glance; the
ledgers that run on it are built by :mod:`closekit.sample.demo`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple


class DemoEntity(NamedTuple):
    """A legal entity of the demo group.

    share_capital: functional currency; historical_rate: CNY per unit at which
    capital and retained earnings were contributed/earned (opening
    ``amount_group``); ytd_rate: average rate of January-September 2026.
    """

    entity: str
    name: str
    name_zh: str
    currency: str
    parent: str
    ownership_pct: str
    share_capital: Decimal
    historical_rate: Decimal
    ytd_rate: Decimal


D = Decimal

ENTITIES: tuple[DemoEntity, ...] = (
    DemoEntity(
        "CN00",
        "Lotus Holdings (Beijing) Co., Ltd.",
        "莲花控股(北京)有限公司",
        "CNY",
        "",
        "",
        D("1000000000"),
        D(1),
        D(1),
    ),
    DemoEntity(
        "CN01",
        "Lotus Computer (Shenzhen) Co., Ltd.",
        "莲花电脑(深圳)有限公司",
        "CNY",
        "CN00",
        "100",
        D("300000000"),
        D(1),
        D(1),
    ),
    DemoEntity(
        "CN02",
        "Lotus Electronics Trading (Shanghai) Co., Ltd.",
        "莲花电子贸易(上海)有限公司",
        "CNY",
        "CN00",
        "100",
        D("50000000"),
        D(1),
        D(1),
    ),
    DemoEntity(
        "CN03",
        "Lotus Shared Services (Wuhan) Co., Ltd.",
        "莲花共享服务(武汉)有限公司",
        "CNY",
        "CN00",
        "100",
        D("10000000"),
        D(1),
        D(1),
    ),
    DemoEntity(
        "HK01",
        "Lotus International (Hong Kong) Ltd.",
        "莲花国际(香港)有限公司",
        "HKD",
        "CN00",
        "80",
        D("200000000"),
        D("0.90"),
        D("0.9131"),
    ),
    DemoEntity(
        "US01",
        "Lotus Americas Inc.",
        "莲花美洲公司",
        "USD",
        "HK01",
        "100",
        D("20000000"),
        D("6.90"),
        D("7.1180"),
    ),
    DemoEntity(
        "DE01",
        "Lotus Europe GmbH",
        "莲花欧洲有限公司",
        "EUR",
        "HK01",
        "100",
        D("10000000"),
        D("7.80"),
        D("8.1420"),
    ),
    DemoEntity(
        "JP01",
        "Lotus Japan K.K.",
        "莲花日本株式会社",
        "JPY",
        "CN00",
        "60",
        D("1000000000"),
        D("0.048"),
        D("0.04795"),
    ),
)

# Investments at the parent (functional currency, CNY at the historical rate):
# ownership x the subsidiary's translated share capital, except JP01, bought
# for 32,000,000 against 60% x 48,000,000 = 28,800,000: goodwill 3,200,000.
INVESTMENTS: tuple[tuple[str, str, Decimal, Decimal], ...] = (
    # parent, subsidiary, amount (parent's currency), amount_group (CNY)
    ("CN00", "CN01", D("300000000"), D("300000000")),
    ("CN00", "CN02", D("50000000"), D("50000000")),
    ("CN00", "CN03", D("10000000"), D("10000000")),
    ("CN00", "HK01", D("144000000"), D("144000000")),  # 80% x HKD 200m x 0.90
    ("CN00", "JP01", D("32000000"), D("32000000")),  # goodwill 3.2m
    ("HK01", "US01", D("156000000"), D("138000000")),  # 100% x USD 20m x 6.90 (HKD 7.80/USD)
    ("HK01", "DE01", D("87000000"), D("78000000")),  # 100% x EUR 10m x 7.80
)

# CNY per unit: closing and average (SPEC section 3, fx_rates.csv).
FX_RATES: tuple[tuple[str, str, Decimal, Decimal], ...] = (
    ("2026-10", "CNY", D("1"), D("1")),
    ("2026-10", "EUR", D("8.3120"), D("8.2950")),
    ("2026-10", "HKD", D("0.9187"), D("0.9158")),
    ("2026-10", "JPY", D("0.046982"), D("0.047215")),
    ("2026-10", "SGD", D("5.5120"), D("5.5030")),
    ("2026-10", "USD", D("7.1456"), D("7.1234")),
    ("2026-11", "CNY", D("1"), D("1")),
    ("2026-11", "EUR", D("8.2874"), D("8.3305")),
    ("2026-11", "HKD", D("0.9176"), D("0.9192")),
    ("2026-11", "JPY", D("0.047103"), D("0.046850")),
    ("2026-11", "SGD", D("5.5340"), D("5.5250")),
    ("2026-11", "USD", D("7.1388"), D("7.1520")),
)

BUSINESS_UNITS: tuple[tuple[str, str, str, str], ...] = (
    ("GRP", "Lotus Group", "莲花集团", ""),
    ("PCD", "PCs and Devices", "个人电脑与设备", "GRP"),
    ("CON", "Consumer PCs", "消费电脑", "PCD"),
    ("COM", "Commercial PCs", "商用电脑", "PCD"),
    ("ISG", "Infrastructure Solutions", "基础设施方案", "GRP"),
    ("SRV", "Servers", "服务器", "ISG"),
    ("STO", "Storage", "存储", "ISG"),
    ("SSG", "Solutions and Services", "方案与服务", "GRP"),
    ("ACC", "Accessories", "配件", "SSG"),
    ("SVC", "Services", "服务", "SSG"),
    ("COR", "Corporate center", "集团总部", "GRP"),
)


class Product(NamedTuple):
    """What a profit center sells: name, list price in CNY, quantity range, kind."""

    name: str
    price: Decimal
    quantity: tuple[int, int]
    kind: str


PROFIT_CENTERS: tuple[tuple[str, str, str, str], ...] = (
    ("P110", "Consumer notebooks", "消费笔记本", "CON"),
    ("P120", "Consumer desktops", "消费台式机", "CON"),
    ("P130", "Gaming PCs", "游戏电脑", "CON"),
    ("P210", "Business notebooks", "商用笔记本", "COM"),
    ("P220", "Workstations", "工作站", "COM"),
    ("P230", "Thin clients", "瘦客户机", "COM"),
    ("P310", "Rack servers", "机架服务器", "SRV"),
    ("P320", "Edge servers", "边缘服务器", "SRV"),
    ("P330", "Storage arrays", "存储阵列", "STO"),
    ("P410", "Monitors", "显示器", "ACC"),
    ("P420", "Peripherals", "外设", "ACC"),
    ("P510", "Warranty and support", "保修与支持", "SVC"),
    ("P520", "Cloud services", "云服务", "SVC"),
    ("P900", "Corporate and holding", "总部及控股", "COR"),
)

PRODUCTS: dict[str, Product] = {
    "P110": Product("AirBook 14", D("5200"), (10, 120), "goods"),
    "P120": Product("HomeStation D5", D("3900"), (10, 80), "goods"),
    "P130": Product("Legend G7", D("9800"), (5, 40), "goods"),
    "P210": Product("ThinkLine T14", D("7600"), (10, 150), "goods"),
    "P220": Product("ProStation P5", D("18500"), (2, 20), "goods"),
    "P230": Product("Edge TC3", D("2300"), (20, 200), "goods"),
    "P310": Product("Rack R650", D("62000"), (1, 8), "goods"),
    "P320": Product("Edge E210", D("28000"), (1, 10), "goods"),
    "P330": Product("Vault S500", D("88000"), (1, 3), "goods"),
    "P410": Product("View 27Q", D("1800"), (20, 300), "goods"),
    "P420": Product("Dock U3", D("650"), (50, 400), "goods"),
    "P510": Product("Premier Support 3y", D("1200"), (10, 200), "service"),
    "P520": Product("Lotus Cloud seat", D("300"), (50, 500), "service"),
}

# Cost centers per entity: (code suffix, name, name_zh, department, profit
# center, staff). An empty profit center marks a shared service, reached only
# by allocations; staff (headcount) sizes the payroll.
_CC: dict[str, tuple[tuple[str, str, str, str, str, int], ...]] = {
    "CN00": (
        ("100", "Executive office", "总裁办", "Executive", "", 6),
        ("110", "Group finance", "集团财务", "Finance", "", 25),
        ("120", "Group HR", "集团人力资源", "Human resources", "", 12),
        ("130", "Legal and compliance", "法务合规", "Legal", "", 8),
        ("140", "Group IT", "集团信息技术", "IT", "", 15),
    ),
    "CN01": (
        ("200", "Notebook assembly line", "笔记本装配线", "Manufacturing", "P110", 420),
        ("210", "Desktop assembly line", "台式机装配线", "Manufacturing", "P120", 160),
        ("220", "Workstation line", "工作站产线", "Manufacturing", "P220", 120),
        ("230", "Server assembly", "服务器装配", "Manufacturing", "P310", 120),
        ("240", "Quality assurance", "质量保证", "Quality", "", 90),
        ("250", "Procurement", "采购部", "Procurement", "", 30),
        ("260", "Logistics and warehouse", "物流仓储", "Logistics", "", 120),
        ("270", "R&D notebooks", "笔记本研发", "R&D", "P210", 70),
        ("280", "R&D servers", "服务器研发", "R&D", "P310", 55),
        ("290", "Factory finance", "工厂财务", "Finance", "", 25),
        ("291", "Factory HR", "工厂人力资源", "Human resources", "", 15),
        ("292", "Factory IT", "工厂信息技术", "IT", "", 20),
        ("293", "Facilities", "厂务", "Facilities", "", 35),
    ),
    "CN02": (
        ("300", "Consumer sales China", "中国消费销售", "Sales", "P110", 60),
        ("310", "Gaming sales China", "中国游戏电脑销售", "Sales", "P130", 20),
        ("320", "Commercial sales China", "中国商用销售", "Sales", "P210", 45),
        ("330", "Server sales China", "中国服务器销售", "Sales", "P310", 15),
        ("340", "Storage sales China", "中国存储销售", "Sales", "P330", 10),
        ("350", "Marketing China", "中国市场部", "Marketing", "", 30),
        ("360", "Customer service China", "中国客户服务", "Customer service", "P510", 60),
        ("370", "Sales finance", "销售财务", "Finance", "", 15),
        ("380", "Sales HR", "销售人力资源", "Human resources", "", 8),
    ),
    "CN03": (
        ("400", "Finance shared services", "财务共享中心", "Finance", "", 70),
        ("410", "HR shared services", "人力共享中心", "Human resources", "", 35),
        ("420", "IT shared services", "IT共享中心", "IT", "", 45),
        ("430", "Procurement shared services", "采购共享中心", "Procurement", "", 25),
    ),
    "HK01": (
        ("500", "Asia trading desk", "亚洲贸易部", "Sales", "P410", 20),
        ("510", "Asia peripherals sales", "亚洲外设销售", "Sales", "P420", 12),
        ("520", "Treasury", "资金部", "Treasury", "", 5),
        ("530", "Finance Hong Kong", "香港财务", "Finance", "", 10),
    ),
    "US01": (
        ("600", "Consumer sales North America", "北美消费销售", "Sales", "P110", 25),
        ("610", "Commercial sales North America", "北美商用销售", "Sales", "P210", 30),
        ("620", "Edge sales North America", "北美边缘计算销售", "Sales", "P320", 12),
        ("630", "Marketing North America", "北美市场部", "Marketing", "", 10),
        ("640", "Support North America", "北美技术支持", "Customer service", "P510", 30),
        ("650", "Finance North America", "北美财务", "Finance", "", 10),
        ("660", "HR North America", "北美人力资源", "Human resources", "", 5),
    ),
    "DE01": (
        ("700", "Commercial sales EMEA", "欧洲商用销售", "Sales", "P210", 35),
        ("710", "Storage sales EMEA", "欧洲存储销售", "Sales", "P330", 20),
        ("720", "Marketing EMEA", "欧洲市场部", "Marketing", "", 15),
        ("730", "Support EMEA", "欧洲技术支持", "Customer service", "P510", 20),
        ("740", "Finance EMEA", "欧洲财务", "Finance", "", 10),
    ),
    "JP01": (
        ("800", "Consumer sales Japan", "日本消费销售", "Sales", "P110", 25),
        ("810", "Monitor sales Japan", "日本显示器销售", "Sales", "P410", 15),
        ("820", "Cloud services Japan", "日本云服务", "Sales", "P520", 12),
        ("830", "Finance Japan", "日本财务", "Finance", "", 8),
        ("840", "Administration Japan", "日本行政", "Administration", "", 6),
    ),
}


class CostCenter(NamedTuple):
    cost_center: str
    name: str
    name_zh: str
    entity: str
    department: str
    profit_center: str
    staff: int


COST_CENTERS: tuple[CostCenter, ...] = tuple(
    CostCenter(f"{entity}-{suffix}", name, zh, entity, dept, pc, staff)
    for entity, rows in _CC.items()
    for suffix, name, zh, dept, pc, staff in rows
)


def cost_centers_of(entity: str) -> tuple[CostCenter, ...]:
    return tuple(cc for cc in COST_CENTERS if cc.entity == entity)


def finance_cost_center(entity: str) -> str:
    """Where an entity books its corporate charges (its finance department)."""
    return next(cc.cost_center for cc in cost_centers_of(entity) if cc.department == "Finance")


# Allocation cycles run in name order (SPEC section 3). IT and factory support
# go on fixed keys; corporate functions follow the month's revenue. The
# executive office (CN00-100) is deliberately left unallocated.
_IT_KEYS = (
    ("P110", "0.25"),
    ("P210", "0.25"),
    ("P310", "0.20"),
    ("P120", "0.10"),
    ("P410", "0.10"),
    ("P510", "0.10"),
)
_FACTORY_KEYS = (
    ("P110", "0.35"),
    ("P120", "0.20"),
    ("P220", "0.15"),
    ("P310", "0.20"),
    ("P320", "0.10"),
)
_REVENUE_RECEIVERS = tuple(pc for pc, *_ in PROFIT_CENTERS if pc != "P900")


def allocations() -> list[tuple[str, str, str, str, Decimal | None]]:
    rows: list[tuple[str, str, str, str, Decimal | None]] = []
    shared = [cc for cc in COST_CENTERS if not cc.profit_center and cc.cost_center != "CN00-100"]
    for cc in shared:
        if cc.department == "IT":
            rows += [("10-IT", cc.cost_center, pc, "fixed", D(s)) for pc, s in _IT_KEYS]
        elif cc.department in ("Quality", "Procurement", "Logistics", "Facilities"):
            rows += [("20-FACTORY", cc.cost_center, pc, "fixed", D(s)) for pc, s in _FACTORY_KEYS]
    for cc in shared:
        if cc.department in (
            "Finance",
            "Human resources",
            "Legal",
            "Marketing",
            "Treasury",
            "Administration",
        ):
            rows += [
                ("30-CORPORATE", cc.cost_center, pc, "revenue", None) for pc in _REVENUE_RECEIVERS
            ]
    return rows

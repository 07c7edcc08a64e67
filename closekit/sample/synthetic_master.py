"""Master data of a synthetic group of any size (``closekit sample``).

The shape follows the reference PC maker: a Chinese top holding, regional
sub-holdings (the first owned 80%), operating companies in a dozen currencies
below them (some 60% or 75% owned, a few one level deeper), Chinese factories
that sell to the others, business units in a tree, profit centers under the
leaf units, and cost centers in 32 departments of which the corporate ones
are shared services allocated on fixed keys or on revenue. The chart of
accounts and posting rules are the demo's (:mod:`closekit.sample.chart`).

Everything is derived from the size and a seeded :class:`random.Random`, so
the same options give the same master files.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from closekit.errors import ClosekitError
from closekit.periods import add_months
from closekit.sample.chart import cents

D = Decimal
FIRST_PERIOD = "2026-10"


class Currency(NamedTuple):
    """code; rate: CNY per unit around which the months' rates move; minor:
    decimal places of an invoice; goods/services: domestic indirect tax."""

    code: str
    rate: Decimal
    minor: int
    goods: Decimal
    services: Decimal


CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        Currency("CNY", D(1), 2, D("0.13"), D("0.06")),
        Currency("USD", D("7.12"), 2, D(0), D(0)),
        Currency("HKD", D("0.915"), 2, D(0), D(0)),
        Currency("EUR", D("8.30"), 2, D("0.19"), D("0.19")),
        Currency("JPY", D("0.0472"), 0, D("0.10"), D("0.10")),
        Currency("GBP", D("9.05"), 2, D("0.20"), D("0.20")),
        Currency("SGD", D("5.30"), 2, D("0.09"), D("0.09")),
        Currency("INR", D("0.0852"), 2, D("0.18"), D("0.18")),
        Currency("BRL", D("1.31"), 2, D("0.17"), D("0.17")),
        Currency("KRW", D("0.00521"), 0, D("0.10"), D("0.10")),
        Currency("MXN", D("0.39"), 2, D("0.16"), D("0.16")),
        Currency("AUD", D("4.65"), 2, D("0.10"), D("0.10")),
    )
}
# Operating companies take currencies in this order: China-heavy, like the reference group.
OPERATING_CURRENCIES = (
    "CNY",
    "USD",
    "CNY",
    "EUR",
    "JPY",
    "CNY",
    "GBP",
    "SGD",
    "INR",
    "CNY",
    "BRL",
    "KRW",
    "MXN",
    "AUD",
    "USD",
    "EUR",
)
HOLDING_CURRENCIES = ("HKD", "USD", "EUR", "SGD")

DEPARTMENTS = (
    "Executive",
    "Finance",
    "Treasury",
    "Tax",
    "Internal audit",
    "Legal",
    "Human resources",
    "IT",
    "Facilities",
    "Procurement",
    "Corporate communications",
    "Strategy",
    "Logistics",
    "Warehouse",
    "Manufacturing",
    "Quality",
    "Process engineering",
    "R&D hardware",
    "R&D software",
    "Industrial design",
    "Product management",
    "Marketing",
    "Sales consumer",
    "Sales commercial",
    "Sales public sector",
    "Channel sales",
    "E-commerce",
    "Customer service",
    "Technical support",
    "Field service",
    "Supply chain planning",
    "Administration",
)
# Corporate functions are shared services: no profit center, reached by allocation.
SHARED = frozenset(DEPARTMENTS[:12]) | {"Administration"}
FIXED_KEY_DEPARTMENTS = frozenset({"IT", "Facilities", "Procurement"})
UNALLOCATED = "Executive"

BU_NAMES = (
    "Consumer PCs",
    "Commercial PCs",
    "Gaming",
    "Workstations",
    "Servers",
    "Storage",
    "Networking",
    "Monitors",
    "Accessories",
    "Tablets",
    "Smart devices",
    "Services",
    "Cloud",
    "Software",
    "Components",
    "Education",
    "Public sector",
    "Retail",
)
PRODUCT_FAMILIES = (
    ("AirBook", D("5200"), 60),
    ("HomeStation", D("3900"), 40),
    ("Legend", D("9800"), 20),
    ("ThinkLine", D("7600"), 60),
    ("ProStation", D("18500"), 10),
    ("Edge TC", D("2300"), 80),
    ("Rack R", D("62000"), 4),
    ("Vault S", D("88000"), 2),
    ("View", D("1800"), 100),
    ("Dock", D("650"), 150),
    ("Premier Support", D("1200"), 80),
    ("Cloud seat", D("300"), 200),
)


class SynthEntity(NamedTuple):
    entity: str
    name: str
    currency: str
    parent: str
    ownership_pct: Decimal
    role: str  # top | holding | factory | operating
    share_capital: Decimal  # functional currency
    historical_rate: Decimal  # CNY per unit at which capital was paid in


class ProfitCenter(NamedTuple):
    profit_center: str
    name: str
    business_unit: str
    product: str
    price: Decimal  # list price in CNY
    max_quantity: int
    kind: str  # goods | service


class SynthCostCenter(NamedTuple):
    cost_center: str
    name: str
    entity: str
    department: str
    profit_center: str
    headcount: int


@dataclass(frozen=True)
class Size:
    """What ``closekit sample`` builds; the defaults are the reference group."""

    entities: int = 44
    business_units: int = 15
    profit_centers: int = 179
    cost_centers: int = 1400
    lines: int = 250_000  # source rows per month, approximately
    periods: int = 2
    seed: int = 1

    def refusals(self) -> list[str]:
        wrong = []
        if self.entities < 4:
            wrong.append(
                "--entities must be at least 4 (a parent, an 80% sub-holding with a subsidiary, "
                "a 60% subsidiary)"
            )
        if self.business_units < 2:
            wrong.append("--business-units must be at least 2")
        if self.profit_centers < 3:
            wrong.append("--profit-centers must be at least 3")
        if self.cost_centers < 2 * self.entities:
            wrong.append("--cost-centers must be at least twice --entities")
        if self.lines < 1000:
            wrong.append("--lines must be at least 1000")
        if not 1 <= self.periods <= 24:
            wrong.append("--periods must be between 1 and 24")
        return wrong

    def check(self) -> None:
        if problems := self.refusals():
            raise ClosekitError("; ".join(problems))

    @property
    def period_list(self) -> list[str]:
        return [add_months(FIRST_PERIOD, k) for k in range(self.periods)]


@dataclass(frozen=True)
class Master:
    """The synthetic group's master data."""

    entities: tuple[SynthEntity, ...]
    business_units: tuple[tuple[str, str, str], ...]  # code, name, parent
    profit_centers: tuple[ProfitCenter, ...]
    cost_centers: tuple[SynthCostCenter, ...]
    allocations: tuple[tuple[str, str, str, str, Decimal | None], ...]
    fx_rates: tuple[tuple[str, str, Decimal, Decimal], ...]  # period, currency, closing, average

    def entity(self, code: str) -> SynthEntity:
        return next(e for e in self.entities if e.entity == code)

    @property
    def corporate_profit_center(self) -> str:
        return self.profit_centers[0].profit_center


def _entities(n: int) -> tuple[SynthEntity, ...]:
    holdings = max(1, n // 12)
    out = [
        SynthEntity(
            "E000", "Lotus Synthetic Holdings", "CNY", "", D(100), "top", D("2000000000"), D(1)
        )
    ]
    for i in range(1, holdings + 1):
        currency = HOLDING_CURRENCIES[(i - 1) % len(HOLDING_CURRENCIES)]
        own = D(80) if i == 1 else D(100)
        out.append(_entity(i, f"Lotus Regional Holding {i:02d}", currency, "E000", own, "holding"))
    factories = 0
    for i in range(holdings + 1, n):
        currency = OPERATING_CURRENCIES[(i - holdings - 1) % len(OPERATING_CURRENCIES)]
        if i == holdings + 1:
            parent = "E001"  # the 80% sub-holding owns a 100% subsidiary
        elif i % 10 == 7 and i - 1 > holdings + 1:
            parent = f"E{i - 1:03d}"  # a fourth level
        elif i % 4 == 0:
            parent = "E000"
        else:
            parent = f"E{1 + i % holdings:03d}"
        own = D(60) if i % 9 == 4 else D(75) if i % 13 == 6 else D(100)
        role = "operating"
        if currency == "CNY" and parent == "E000" and factories < 2:
            role, factories = "factory", factories + 1
        out.append(_entity(i, f"Lotus Operating Company {i:03d}", currency, parent, own, role))
    if not any(e.role == "factory" for e in out):
        out[-1] = out[-1]._replace(role="factory")
    if all(e.ownership_pct != 60 for e in out):
        # the last company, never the sub-holding's first (100%) subsidiary
        out[-1] = out[-1]._replace(ownership_pct=D(60))
    return tuple(out)


def _entity(i: int, name: str, currency: str, parent: str, own: Decimal, role: str) -> SynthEntity:
    rate = CURRENCIES[currency].rate
    # capital in round millions; CNY value at a historical rate of 4 decimals,
    # so capital, its CNY value and ownership x that value are exact in cents
    capital = D(10_000_000 * (1 + i % 5)) / rate
    capital = cents(capital, -6) if capital >= 1_000_000 else D(1_000_000)
    historical = cents(rate * D("0.97"), 4) if currency != "CNY" else D(1)
    return SynthEntity(f"E{i:03d}", name, currency, parent, own, role, capital, historical)


def _business_units(n: int) -> tuple[tuple[str, str, str], ...]:
    groups = max(1, round((n - 1) ** 0.5))
    units = [("BU00", "Lotus Group", "")]
    for j in range(1, n):
        parent = "BU00" if j <= groups else f"BU{1 + (j - 1) % groups:02d}"
        name = BU_NAMES[(j - 1) % len(BU_NAMES)]
        units.append((f"BU{j:02d}", name if j <= len(BU_NAMES) else f"{name} {j}", parent))
    return tuple(units)


def _profit_centers(n: int, units: tuple[tuple[str, str, str], ...]) -> tuple[ProfitCenter, ...]:
    parents = {parent for _, _, parent in units}
    leaves = [code for code, _, _ in units if code not in parents] or [units[0][0]]
    out = [ProfitCenter("PC000", "Corporate and holding", units[0][0], "", D(0), 1, "service")]
    for j in range(1, n):
        family, price, quantity = PRODUCT_FAMILIES[j % len(PRODUCT_FAMILIES)]
        kind = "service" if family in ("Premier Support", "Cloud seat") else "goods"
        model = f"{family} {j:03d}"
        out.append(
            ProfitCenter(
                f"PC{j:03d}", f"{model} line", leaves[j % len(leaves)], model, price, quantity, kind
            )
        )
    return tuple(out)


def _cost_centers(
    n: int, entities: tuple[SynthEntity, ...], pcs: tuple[ProfitCenter, ...], rng: random.Random
) -> tuple[SynthCostCenter, ...]:
    out: list[SynthCostCenter] = []
    counts = dict.fromkeys((e.entity for e in entities), 0)
    for j in range(n):
        entity = entities[j % len(entities)].entity
        # every entity's first cost center is its finance department (where
        # corporate charges land), the rest walk through the departments
        department = "Finance" if counts[entity] == 0 else DEPARTMENTS[j % len(DEPARTMENTS)]
        counts[entity] += 1
        pc = "" if department in SHARED else pcs[1 + rng.randrange(len(pcs) - 1)].profit_center
        out.append(
            SynthCostCenter(
                f"{entity}-C{counts[entity]:04d}",
                f"{department} {entity}",
                entity,
                department,
                pc,
                rng.randint(3, 80),
            )
        )
    return tuple(out)


def _allocations(
    ccs: tuple[SynthCostCenter, ...], pcs: tuple[ProfitCenter, ...], rng: random.Random
) -> tuple[tuple[str, str, str, str, Decimal | None], ...]:
    receivers = [pc.profit_center for pc in pcs[1:]]
    fixed_keys = (D("0.40"), D("0.30"), D("0.20"), D("0.10"))
    out: list[tuple[str, str, str, str, Decimal | None]] = []
    for cc in ccs:
        if cc.profit_center or cc.department == UNALLOCATED:
            continue
        if cc.department in FIXED_KEY_DEPARTMENTS and len(receivers) >= len(fixed_keys):
            chosen = rng.sample(receivers, len(fixed_keys))
            out += [
                ("10-SUPPORT", cc.cost_center, pc, "fixed", key)
                for pc, key in sorted(zip(chosen, fixed_keys, strict=True))
            ]
        else:
            chosen = sorted(rng.sample(receivers, min(8, len(receivers))))
            out += [("20-CORPORATE", cc.cost_center, pc, "revenue", None) for pc in chosen]
    return tuple(sorted(out, key=lambda r: (r[0], r[1], r[2])))


def _fx_rates(
    periods: list[str], currencies: set[str], rng: random.Random
) -> tuple[tuple[str, str, Decimal, Decimal], ...]:
    out = []
    drift = dict.fromkeys(sorted(currencies), D(0))
    for period in periods:
        for code in sorted(currencies):
            c = CURRENCIES[code]
            if code == "CNY":
                out.append((period, code, D(1), D(1)))
                continue
            drift[code] += D(rng.randint(-100, 100)) / 10000
            places = 6 if c.rate >= 1 else 8
            average = cents(c.rate * (1 + drift[code]), places)
            closing = cents(c.rate * (1 + drift[code] + D(rng.randint(-50, 50)) / 10000), places)
            out.append((period, code, closing, average))
    return tuple(out)


def build_master(size: Size) -> Master:
    size.check()
    rng = random.Random(size.seed)
    entities = _entities(size.entities)
    units = _business_units(size.business_units)
    pcs = _profit_centers(size.profit_centers, units)
    ccs = _cost_centers(size.cost_centers, entities, pcs, rng)
    currencies = {e.currency for e in entities} | {"USD"}  # USD invoices everywhere
    return Master(
        entities,
        units,
        pcs,
        ccs,
        _allocations(ccs, pcs, rng),
        _fx_rates(size.period_list, currencies, rng),
    )


def days_in(period: str) -> int:
    return calendar.monthrange(int(period[:4]), int(period[5:]))[1]

"""The two companies that join the demo group in November 2026 (SPEC 14):
SG01, a Singapore systems integrator CN00 buys 70% of (an acquisition with
pre-acquisition reserves in a foreign currency, SPEC 15.1), and CN04, a
Hefei display maker CN00 buys 30% of (an associate, SPEC 16.2).

Their books come to the group from their own systems as month-end journals:
the opening balances at 30 September (the group's opening file, like every
entity's), then October, the month before the deal, and November. They
trade with third parties only, so nothing of theirs is intercompany. Their
figures are fixed literals, not drawn from the demo's dice, so that adding
them leaves every other figure of the demo as it was; the worked figures of
the events are in ``tests/test_demo_events.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from closekit.sample import chart
from closekit.sample.demo.master import COST_CENTERS, ENTITIES, CostCenter, DemoEntity
from closekit.sample.demo.period import Period
from closekit.sample.rows import Doc, JournalRow, OpeningRow, Posting

D = Decimal
ZERO = D(0)


class Month(NamedTuple):
    """A newcomer's month in its currency: sales of goods and of services,
    cost of the goods sold, payroll, rent, depreciation; collections from
    customers and payments to suppliers."""

    goods: Decimal
    services: Decimal
    cost_of_sales: Decimal
    payroll: Decimal
    rent: Decimal
    depreciation: Decimal
    collected: Decimal
    paid: Decimal


class Newcomer(NamedTuple):
    """A company whose books the demo writes from literals: master data,
    the balance sheet at 30 September (capital and past years' reserves at
    their historical rates), January-September as ``ytd`` (nine months at
    the year's average rate), October and November, and its income tax."""

    entity: DemoEntity
    centers: tuple[CostCenter, ...]
    goods_pc: str
    services_pc: str
    reserves: Decimal
    reserves_rate: Decimal
    ppe: Decimal
    depreciated: Decimal
    receivables: Decimal
    payables: Decimal
    tax_payable: Decimal
    ytd: Month
    months: dict[str, Month]
    tax_rate: Decimal


SG01 = Newcomer(
    DemoEntity(
        "SG01",
        "Merlion Systems Pte. Ltd.",
        "鱼尾狮系统私人有限公司",
        "SGD",
        "CN00",
        "70",
        D("5000000"),
        D("5.05"),
        D("5.40"),
    ),
    (
        CostCenter(
            "SG01-900", "Solutions Singapore", "新加坡解决方案", "SG01", "Sales", "P310", 30
        ),
        CostCenter(
            "SG01-910",
            "Cloud operations Singapore",
            "新加坡云运营",
            "SG01",
            "Customer service",
            "P520",
            14,
        ),
    ),
    "P310",
    "P520",
    reserves=D("2600000.00"),
    reserves_rate=D("5.15"),
    ppe=D("6000000.00"),
    depreciated=D("1800000.00"),
    receivables=D("2150000.00"),
    payables=D("1120000.00"),
    tax_payable=D("210000.00"),
    ytd=Month(
        D("6300000.00"),
        D("2700000.00"),
        D("4950000.00"),
        D("1890000.00"),
        D("360000.00"),
        D("450000.00"),
        ZERO,
        ZERO,
    ),
    months={
        "2026-10": Month(
            D("720000.00"),
            D("310000.00"),
            D("560000.00"),
            D("215000.00"),
            D("40000.00"),
            D("50000.00"),
            D("990000.00"),
            D("540000.00"),
        ),
        "2026-11": Month(
            D("760000.00"),
            D("320000.00"),
            D("590000.00"),
            D("215000.00"),
            D("40000.00"),
            D("50000.00"),
            D("1010000.00"),
            D("575000.00"),
        ),
    },
    tax_rate=D("0.17"),
)

CN04 = Newcomer(
    DemoEntity(
        "CN04",
        "Huaxin Display (Hefei) Co., Ltd.",
        "华芯显示(合肥)有限公司",
        "CNY",
        "CN00",
        "30",
        D("100000000"),
        D(1),
        D(1),
    ),
    (
        CostCenter(
            "CN04-950",
            "Panel production Hefei",
            "合肥面板生产",
            "CN04",
            "Manufacturing",
            "P410",
            260,
        ),
        CostCenter(
            "CN04-960", "Administration Hefei", "合肥行政", "CN04", "Administration", "P410", 25
        ),
    ),
    "P410",
    "P410",
    reserves=D("35000000.00"),
    reserves_rate=D(1),
    ppe=D("120000000.00"),
    depreciated=D("30000000.00"),
    receivables=D("28000000.00"),
    payables=D("16000000.00"),
    tax_payable=D("3000000.00"),
    ytd=Month(
        D("180000000.00"),
        ZERO,
        D("133000000.00"),
        D("18900000.00"),
        ZERO,
        D("9000000.00"),
        ZERO,
        ZERO,
    ),
    months={
        "2026-10": Month(
            D("21000000.00"),
            ZERO,
            D("15500000.00"),
            D("2100000.00"),
            ZERO,
            D("1000000.00"),
            D("20500000.00"),
            D("15200000.00"),
        ),
        "2026-11": Month(
            D("22000000.00"),
            ZERO,
            D("16200000.00"),
            D("2100000.00"),
            ZERO,
            D("1000000.00"),
            D("21200000.00"),
            D("15800000.00"),
        ),
    },
    tax_rate=D("0.25"),
)

NEWCOMERS = (SG01, CN04)
# Every entity and cost center of the master files, the newcomers last.
GROUP_ENTITIES: tuple[DemoEntity, ...] = (*ENTITIES, *(n.entity for n in NEWCOMERS))
GROUP_COST_CENTERS: tuple[CostCenter, ...] = (
    *COST_CENTERS,
    *(c for n in NEWCOMERS for c in n.centers),
)


def profit_before_tax(month: Month) -> Decimal:
    return (
        month.goods
        + month.services
        - month.cost_of_sales
        - month.payroll
        - month.rent
        - month.depreciation
    )


def income_tax(company: Newcomer, month: Month) -> Decimal:
    return (max(profit_before_tax(month), ZERO) * company.tax_rate).quantize(D("0.01"))


def _results(company: Newcomer, month: Month, rate: Decimal | None) -> list[Posting]:
    """A month's (or January-September's) P&L lines, debit positive; with
    ``rate``, each at it in CNY (opening ``amount_group`` of a foreign
    company)."""
    first, second = (cc.cost_center for cc in company.centers)
    split = (month.payroll * D("0.6")).quantize(D("0.01"))
    lines = [
        Posting(chart.REVENUE_GOODS, -month.goods, profit_center=company.goods_pc),
        Posting(chart.REVENUE_SERVICES, -month.services, profit_center=company.services_pc),
        Posting(chart.COST_OF_SALES, month.cost_of_sales, profit_center=company.goods_pc),
        Posting(chart.SALARIES, split, cost_center=first),
        Posting(chart.SALARIES, month.payroll - split, cost_center=second),
        Posting(chart.RENT, month.rent, cost_center=second),
        Posting(chart.DEPRECIATION, month.depreciation, cost_center=first),
        Posting(chart.INCOME_TAX, income_tax(company, month), cost_center=second),
    ]
    lines = [line for line in lines if line.amount]
    if rate is None or company.entity.currency == "CNY":
        return lines
    return [line._replace(amount_group=(line.amount * rate).quantize(D("0.01"))) for line in lines]


def opening(company: Newcomer, october: Period) -> list[OpeningRow]:
    """The balance sheet at 30 September with January-September's results;
    cash is what makes it balance."""
    e = company.entity
    foreign = e.currency != "CNY"
    lines = [
        Posting(chart.RECEIVABLES, company.receivables),
        Posting(chart.PPE, company.ppe),
        Posting(chart.ACCUMULATED_DEPRECIATION, -company.depreciated),
        Posting(chart.PAYABLES, -company.payables),
        Posting(chart.INCOME_TAX_PAYABLE, -company.tax_payable),
        Posting(
            chart.SHARE_CAPITAL,
            -e.share_capital,
            amount_group=-e.share_capital * e.historical_rate if foreign else None,
        ),
        Posting(
            chart.RETAINED_EARNINGS,
            -company.reserves,
            amount_group=(-company.reserves * company.reserves_rate).quantize(D("0.01"))
            if foreign
            else None,
        ),
        *_results(company, company.ytd, e.ytd_rate),
    ]
    cash = -sum((line.amount for line in lines), ZERO)
    return Doc(f"OB-{e.entity}", october.day(1), e.entity, e.currency).opening(
        [Posting(chart.CASH, cash), *lines]
    )


def month_journals(company: Newcomer, p: Period) -> tuple[list[JournalRow], list[JournalRow]]:
    """The month's journals and cash book: invoices to customers, goods
    bought, payroll and rent paid, depreciation, income tax accrued (the
    month's P&L lines, each with its counterpart); customers' collections
    and suppliers' payments."""
    e, month = company.entity, company.months[p.period]
    ccy, code = e.currency, f"{e.entity}-{p.code}"
    results = _results(company, month, None)

    def doc(
        suffix: str, day: date, text: str, accounts: tuple[str, ...], other: Posting
    ) -> list[JournalRow]:
        lines = [line for line in results if line.account in accounts]
        debits_first = sorted([*lines, other], key=lambda line: line.amount < 0)
        return Doc(f"{code}-{suffix}", day, e.entity, ccy).journal(text, debits_first)

    sales = month.goods + month.services
    tax = income_tax(company, month)
    journals = [
        *doc(
            "SAL",
            p.last_day,
            "Invoices to customers of the month",
            (chart.REVENUE_GOODS, chart.REVENUE_SERVICES),
            Posting(chart.RECEIVABLES, sales),
        ),
        *doc(
            "COS",
            p.last_day,
            "Goods delivered to customers, bought in",
            (chart.COST_OF_SALES,),
            Posting(chart.PAYABLES, -month.cost_of_sales),
        ),
        *doc(
            "PAY",
            p.day(25),
            "Payroll and rent of the month",
            (chart.SALARIES, chart.RENT),
            Posting(chart.CASH, -month.payroll - month.rent),
        ),
        *doc(
            "DEP",
            p.last_day,
            "Depreciation of the month",
            (chart.DEPRECIATION,),
            Posting(chart.ACCUMULATED_DEPRECIATION, -month.depreciation),
        ),
        *doc(
            "TAX",
            p.last_day,
            "Current income tax of the month",
            (chart.INCOME_TAX,),
            Posting(chart.INCOME_TAX_PAYABLE, -tax),
        ),
    ]
    bank = Doc(f"{code}-BK-0001", p.last_day, e.entity, ccy).journal(
        "Receipts from customers",
        [Posting(chart.CASH, month.collected), Posting(chart.RECEIVABLES, -month.collected)],
    )
    bank += Doc(f"{code}-BK-0002", p.last_day, e.entity, ccy).journal(
        "Payments to suppliers",
        [Posting(chart.PAYABLES, month.paid), Posting(chart.CASH, -month.paid)],
    )
    return journals, bank

"""The chart of accounts and settings shared by the demo group
(:mod:`closekit.sample`) and the synthetic generator
(:mod:`closekit.sample.synthetic`).

A PC maker's chart: a balance-sheet tree (assets, liabilities, equity) and an
income-statement tree (revenue, cost of sales, operating expenses, other gains
and losses, the NCI share), the special accounts of ``closekit.toml``, and the
intercompany accounts with their elimination plugs (SPEC section 7.2).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple


def cents(value: Decimal, places: int = 2) -> Decimal:
    """Round half away from zero to ``places`` decimals (negative: to tens,
    hundreds, ...), the rounding SPEC section 1 uses for money."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class Account(NamedTuple):
    """One row of ``master/accounts.csv`` (SPEC section 3)."""

    account: str
    name: str
    name_zh: str
    type: str
    parent: str
    rate: str = ""
    ic_plug: str = ""
    role: str = ""
    revalue: str = ""
    cash_flow: str = ""  # SPEC 19.2; empty: the parent's, else the type's default


# Account codes the generators refer to by meaning.
CASH, CASH_IN_TRANSIT = "1110", "1190"
RECEIVABLES, IC_RECEIVABLES, IC_DIFFERENCE = "1200", "1250", "1290"
INVENTORIES, VAT_RECOVERABLE = "1300", "1400"
PPE, ACCUMULATED_DEPRECIATION, INVESTMENTS, GOODWILL = "1510", "1520", "1600", "1700"
PAYABLES, IC_PAYABLES, ACCRUED_PAYROLL, VAT_PAYABLE, INCOME_TAX_PAYABLE, ACCRUALS, LOANS = (
    "2110",
    "2150",
    "2200",
    "2300",
    "2350",
    "2400",
    "2510",
)
SHARE_CAPITAL, RETAINED_EARNINGS, CTA, NCI_EQUITY = "3100", "3200", "3300", "3900"
DIVIDEND_INCOME = "4800"
REVENUE_GOODS, REVENUE_SERVICES, IC_REVENUE_GOODS, IC_REVENUE_SERVICES = (
    "4100",
    "4200",
    "4500",
    "4600",
)
COST_OF_SALES, UNREALISED_PROFIT = "5100", "5150"
INVENTORY_DIFFERENCES, PRODUCTION_COSTS = "5200", "5300"
SALARIES, TRAVEL, RENT, UTILITIES, DEPRECIATION, SERVICES, IC_SERVICE_EXPENSE = (
    "6100",
    "6200",
    "6300",
    "6400",
    "6500",
    "6600",
    "6700",
)
OWNERSHIP_CHANGES = "3400"
ASSOCIATE_RESULT, DISPOSAL_GAIN = "7400", "7600"
ALLOCATION, FX_GAIN_LOSS, INTEREST_INCOME, INTEREST_EXPENSE = "6950", "7100", "7200", "7300"
IC_PL_DIFFERENCE, INCOME_TAX, NCI_PROFIT = "7900", "7510", "8900"

ACCOUNTS: tuple[Account, ...] = (
    Account("1000", "Assets", "资产", "asset", ""),
    Account("1100", "Current assets", "流动资产", "asset", "1000", cash_flow="operating"),
    Account(CASH, "Cash and bank", "货币资金", "asset", "1100", revalue="yes", cash_flow="cash"),
    # Currency exchanges pass through it (one journal per currency): nil at month end.
    Account(CASH_IN_TRANSIT, "Cash in transit", "在途资金", "asset", "1100", cash_flow="cash"),
    Account(RECEIVABLES, "Trade receivables", "应收账款", "asset", "1100", revalue="yes"),
    Account(
        IC_RECEIVABLES,
        "Intercompany receivables",
        "内部应收款",
        "asset",
        "1100",
        ic_plug=IC_DIFFERENCE,
        revalue="yes",
    ),
    Account(
        IC_DIFFERENCE,
        "Intercompany differences",
        "内部往来差异",
        "asset",
        "1100",
        role="ic_difference",
    ),
    Account(INVENTORIES, "Inventories", "存货", "asset", "1100", role="inventory"),
    Account(VAT_RECOVERABLE, "VAT recoverable", "待抵扣进项税", "asset", "1100"),
    Account("1500", "Non-current assets", "非流动资产", "asset", "1000", cash_flow="investing"),
    Account(PPE, "Property, plant and equipment", "固定资产原值", "asset", "1500"),
    # Operating, so that depreciation is added back to profit (SPEC 19.2).
    Account(
        ACCUMULATED_DEPRECIATION,
        "Accumulated depreciation",
        "累计折旧",
        "asset",
        "1500",
        cash_flow="operating",
    ),
    Account(
        INVESTMENTS,
        "Investments in subsidiaries",
        "长期股权投资",
        "asset",
        "1500",
        rate="historical",
        role="investment",
    ),
    Account(GOODWILL, "Goodwill", "商誉", "asset", "1500", rate="historical"),
    Account("2000", "Liabilities", "负债", "liability", ""),
    Account("2100", "Current liabilities", "流动负债", "liability", "2000"),
    Account(PAYABLES, "Trade payables", "应付账款", "liability", "2100", revalue="yes"),
    Account(
        IC_PAYABLES,
        "Intercompany payables",
        "内部应付款",
        "liability",
        "2100",
        ic_plug=IC_DIFFERENCE,
        revalue="yes",
    ),
    Account(ACCRUED_PAYROLL, "Accrued payroll", "应付职工薪酬", "liability", "2100"),
    Account(VAT_PAYABLE, "VAT payable", "应交增值税", "liability", "2100"),
    Account(INCOME_TAX_PAYABLE, "Income tax payable", "应交所得税", "liability", "2100"),
    Account(ACCRUALS, "Accrued expenses", "其他应付款", "liability", "2100"),
    Account(
        "2500", "Non-current liabilities", "非流动负债", "liability", "2000", cash_flow="financing"
    ),
    Account(LOANS, "Bank loans", "长期借款", "liability", "2500", revalue="yes"),
    Account("3000", "Equity", "所有者权益", "equity", ""),
    Account(SHARE_CAPITAL, "Share capital", "实收资本", "equity", "3000", role="share_capital"),
    Account(RETAINED_EARNINGS, "Retained earnings", "未分配利润", "equity", "3000"),
    Account(CTA, "Cumulative translation adjustment", "外币报表折算差额", "equity", "3000"),
    # What the owners paid above or below NCI's carrying amount when they
    # bought out minorities (SPEC 15.3): equity, never profit or goodwill.
    Account(OWNERSHIP_CHANGES, "Changes in ownership interests", "少数股权变动", "equity", "3000"),
    Account(NCI_EQUITY, "Non-controlling interests", "少数股东权益", "equity", "3000"),
    Account("4000", "Revenue", "营业收入", "revenue", ""),
    Account(REVENUE_GOODS, "Sales of goods", "商品销售收入", "revenue", "4000"),
    Account(REVENUE_SERVICES, "Service revenue", "服务收入", "revenue", "4000"),
    Account(
        IC_REVENUE_GOODS,
        "Intercompany sales of goods",
        "内部商品销售收入",
        "revenue",
        "4000",
        ic_plug=COST_OF_SALES,
    ),
    Account(
        IC_REVENUE_SERVICES,
        "Intercompany service revenue",
        "内部服务收入",
        "revenue",
        "4000",
        ic_plug=IC_PL_DIFFERENCE,
    ),
    # Dividends from subsidiaries: eliminated against the payer's retained
    # earnings at a node holding both (SPEC 17).
    Account(
        DIVIDEND_INCOME,
        "Dividends from group companies",
        "子公司分红收益",
        "revenue",
        "4000",
        ic_plug=RETAINED_EARNINGS,
        role="dividend_income",
    ),
    Account("5000", "Cost of sales", "营业成本", "expense", ""),
    Account(COST_OF_SALES, "Cost of goods sold", "商品销售成本", "expense", "5000"),
    # Group only: the movement of unrealised profit in the members' stock
    # bought from each other (SPEC 18.1); no entity posts to it.
    Account(
        UNREALISED_PROFIT,
        "Unrealised profit in group inventory",
        "未实现内部销售利润",
        "expense",
        "5000",
    ),
    Account(
        INVENTORY_DIFFERENCES,
        "Inventory scrap and count differences",
        "存货报废及盘盈亏",
        "expense",
        "5000",
    ),
    Account(
        PRODUCTION_COSTS,
        "Production labour and overhead",
        "生产人工及制造费用",
        "expense",
        "5000",
    ),
    Account("6000", "Operating expenses", "期间费用", "expense", ""),
    Account(SALARIES, "Salaries and benefits", "职工薪酬", "expense", "6000"),
    Account(TRAVEL, "Travel", "差旅费", "expense", "6000"),
    Account(RENT, "Rent", "租赁费", "expense", "6000"),
    Account(UTILITIES, "Utilities", "水电费", "expense", "6000"),
    Account(DEPRECIATION, "Depreciation", "折旧费", "expense", "6000"),
    Account(SERVICES, "Purchased services", "外购服务费", "expense", "6000"),
    Account(
        IC_SERVICE_EXPENSE,
        "Intercompany service expense",
        "内部服务费",
        "expense",
        "6000",
        ic_plug=IC_PL_DIFFERENCE,
    ),
    Account(ALLOCATION, "Management allocations", "管理分摊", "expense", "6000"),
    Account("7000", "Other gains and losses", "其他损益", "expense", ""),
    Account(FX_GAIN_LOSS, "Foreign exchange gains and losses", "汇兑损益", "expense", "7000"),
    Account(INTEREST_INCOME, "Interest income", "利息收入", "expense", "7000"),
    Account(INTEREST_EXPENSE, "Interest expense", "利息支出", "expense", "7000"),
    # The group's share of its associates' results (SPEC 16.2); no entity posts to it.
    Account(
        ASSOCIATE_RESULT, "Share of profit of associates", "对联营企业的投资收益", "expense", "7000"
    ),
    # A holder's own gain or loss on selling shares of a group company (with it
    # as partner), replaced at the group by the gain of SPEC 16.1.
    Account(
        DISPOSAL_GAIN,
        "Gains on disposal of investments",
        "处置长期股权投资收益",
        "expense",
        "7000",
        role="disposal_gain",
    ),
    Account(
        IC_PL_DIFFERENCE,
        "Intercompany P&L differences",
        "内部损益差异",
        "expense",
        "7000",
        role="ic_difference",
    ),
    Account("7500", "Income tax", "所得税", "expense", ""),
    Account(INCOME_TAX, "Current income tax expense", "当期所得税费用", "expense", "7500"),
    Account("8000", "Attributable to non-controlling interests", "归属于少数股东", "expense", ""),
    Account(NCI_PROFIT, "Profit attributable to NCI", "少数股东损益", "expense", "8000"),
)


def settings_toml(group_name: str) -> str:
    """``closekit.toml`` for a generated workspace (SPEC section 2)."""
    return f"""\
[group]
name = "{group_name}"
currency = "CNY"
fiscal_year_start = 1

[accounts]
retained_earnings = "{RETAINED_EARNINGS}"
cta = "{CTA}"
nci_equity = "{NCI_EQUITY}"
nci_profit = "{NCI_PROFIT}"
goodwill = "{GOODWILL}"
fx_gain_loss = "{FX_GAIN_LOSS}"
allocation = "{ALLOCATION}"
unrealised_profit = "{UNREALISED_PROFIT}"
ownership_changes = "{OWNERSHIP_CHANGES}"
associate_result = "{ASSOCIATE_RESULT}"
disposal_gain = "{DISPOSAL_GAIN}"

[intercompany]
tolerance = "10.00"

[database]
path = "closekit.duckdb"

[output]
dir = "out"
language = "en"
"""


# master/statement_layout.csv: the income statement's running subtotals, and
# "Other gains and losses" shown positive when it is a net gain; income tax
# follows them, so they end at profit before tax.
STATEMENT_LAYOUT: tuple[tuple[str, str, str, str], ...] = (
    ("5000", "", "Gross profit", "毛利"),
    ("6000", "", "Operating profit", "营业利润"),
    ("7000", "credit", "Profit before tax", "税前利润"),
)

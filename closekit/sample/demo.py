"""The demo workspace: Lotus Group's October and November 2026 close.

:func:`demo_tables` builds every file of ``sample_ledgers/`` from the master
data (:mod:`closekit.sample.demo_master`), the trading scenario
(:mod:`closekit.sample.scenario`) and one seeded random generator, so the
committed demo is reproducible byte for byte (``closekit init DIR --sample``
writes exactly it). Every row is valid under SPEC section 4: revenue and
expense postings carry a profit center or a cost center, cost centers belong
to the posting entity, intercompany postings carry a partner, dates fall in
the period and (module, entity, doc_id, line) is unique.

What the ledgers show:
- third-party sales, purchases, stock issues and expense claims, some in a
  document currency other than the entity's (USD exports from Shenzhen, USD
  invoices in Hong Kong, USD travel claims);
- intragroup goods and management fees booked on both sides in the same
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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from closekit.sample import chart
from closekit.sample.demo_master import (
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
from closekit.sample.files import MONEY_COLUMNS, Cell, Table, write_table
from closekit.sample.rows import (
    Doc,
    ExpenseRow,
    InventoryRow,
    JournalRow,
    OpeningRow,
    Posting,
    PurchasingRow,
    SalesRow,
)
from closekit.sample.scenario import (
    BUYING,
    COMPONENTS,
    CURRENCY,
    DESCRIPTIONS_ZH,
    FEE_SLIP,
    FEES,
    IC_GOODS,
    LOANS,
    MONTHLY_PAY,
    NAME,
    PAYEES_ZH,
    PPE,
    RENT,
    SELLING,
    SERVICE_SUPPLIERS,
    TAX,
    TRANSFER_PRICE,
    TRAVEL_PAYEES,
    ZERO,
    money,
    to_currency,
)

PERIODS = ("2026-10", "2026-11")
SEED = 2026
GROUP_NAME = "Lotus Group"
D = Decimal


@dataclass
class Period:
    """The rows of one period's files, and the functional-currency figures the
    journals and opening balances are sized from."""

    period: str
    sales: list[SalesRow] = field(default_factory=list)
    sales_xlsx: list[SalesRow] = field(default_factory=list)  # JP01's own export
    purchasing: list[PurchasingRow] = field(default_factory=list)
    inventory: list[InventoryRow] = field(default_factory=list)
    expenses: list[ExpenseRow] = field(default_factory=list)
    expenses_zh: list[ExpenseRow] = field(default_factory=list)  # CN01's GB18030 export
    journals: list[JournalRow] = field(default_factory=list)
    # functional amounts, debit positive, by (entity, account, profit center, cost center)
    pnl: dict[tuple[str, str, str, str], Decimal] = field(default_factory=lambda: defaultdict(D))
    # functional totals by (entity, what): receivables, payables, payroll, claims
    totals: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(D))
    # intercompany invoices gross by (seller, buyer, invoice currency)
    ic_invoiced: dict[tuple[str, str, str], Decimal] = field(default_factory=lambda: defaultdict(D))

    @property
    def code(self) -> str:
        """``2610`` for 2026-10: the period part of document numbers."""
        return self.period[2:4] + self.period[5:]

    def day(self, n: int) -> date:
        return date(int(self.period[:4]), int(self.period[5:]), n)

    @property
    def last_day(self) -> date:
        return self.day(calendar.monthrange(int(self.period[:4]), int(self.period[5:]))[1])


class DemoBuilder:
    """Builds the demo ledgers period by period from one seeded generator.
    The order of the generator's calls is part of the committed demo: change
    it and ``sample_ledgers/`` must be regenerated."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.headcount = {cc.cost_center: self.rng.randint(4, 60) for cc in COST_CENTERS}

    def pick_day(self, p: Period) -> date:
        return p.day(self.rng.randint(1, p.last_day.day))

    def share(self, low: str, high: str) -> Decimal:
        return D(self.rng.randint(int(D(low) * 100), int(D(high) * 100))) / 100

    def book(self, p: Period, entity: str, account: str, pc: str, cc: str, amount: Decimal) -> None:
        p.pnl[(entity, account, pc, cc)] += amount

    # ---- sales and the stock they issue ---------------------------------------

    def sale_line(
        self, seller: str, currency: str, pc: str, price_share: Decimal
    ) -> tuple[str, int, Decimal, Decimal, str]:
        """(product, quantity, net, cost in functional currency, kind) of one line."""
        product = PRODUCTS[pc]
        quantity = self.rng.randint(*product.quantity)
        price = product.price * price_share * self.share("0.92", "1.05")
        net = money(to_currency(price, "CNY", currency) * quantity, currency)
        cost = to_currency(net * self.share("0.68", "0.84"), currency, CURRENCY[seller])
        return product.name, quantity, net, cost, product.kind

    def third_party_sales(self, p: Period) -> None:
        for s in SELLING:
            functional = CURRENCY[s.entity]
            for n in range(1, s.docs + 1):
                doc = Doc(
                    f"{s.entity}-SI-{p.code}-{n:05d}",
                    self.pick_day(p),
                    s.entity,
                    self.rng.choice(s.currencies),
                )
                customer = self.rng.choice(s.customers)
                domestic = doc.currency == functional
                for line in range(1, self.rng.randint(1, 3) + 1):
                    pc = self.rng.choice(s.profit_centers)
                    product, qty, net, cost, kind = self.sale_line(s.entity, doc.currency, pc, D(1))
                    rate = TAX[functional][0 if kind == "goods" else 1] if domestic else ZERO
                    tax = money(net * rate, doc.currency)
                    row = doc.sale(line, kind, customer, pc, product, qty, net, tax)
                    (p.sales_xlsx if s.entity == "JP01" else p.sales).append(row)
                    revenue = chart.REVENUE_GOODS if kind == "goods" else chart.REVENUE_SERVICES
                    self.book(
                        p, s.entity, revenue, pc, "", -to_currency(net, doc.currency, functional)
                    )
                    if domestic:
                        p.totals[(s.entity, "receivables")] += net + tax
                    if kind == "goods":
                        self.issue(p, doc, line, pc, product, qty, cost)

    def issue(
        self,
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
            self.book(p, sale.entity, chart.COST_OF_SALES, pc, "", cost)

    # ---- intercompany: both sides in the invoice currency ----------------------

    def ic_goods(self, p: Period) -> None:
        for flow in IC_GOODS:
            domestic = CURRENCY[flow.seller] == CURRENCY[flow.buyer] == flow.currency
            for n in range(1, flow.docs + 1):
                number, day = f"{flow.seller}-IC-{p.code}-{flow.buyer}-{n:03d}", self.pick_day(p)
                invoice = Doc(number, day, flow.seller, flow.currency)
                received = Doc(number, day, flow.buyer, flow.currency)  # the buyer keeps the number
                for line in range(1, self.rng.randint(1, 2) + 1):
                    pc = self.rng.choice(flow.profit_centers)
                    product, qty, net, cost, _ = self.sale_line(
                        flow.seller, flow.currency, pc, TRANSFER_PRICE
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
                    self.issue(p, invoice, line, pc, product, qty, cost, third_party=False)
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

    def fees(self, p: Period) -> None:
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
                self.expense_row(
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

    def purchases(self, p: Period) -> None:
        for b in BUYING:
            functional = CURRENCY[b.entity]
            for n in range(1, b.docs + 1):
                doc = Doc(
                    f"{b.entity}-PI-{p.code}-{n:05d}",
                    self.pick_day(p),
                    b.entity,
                    self.rng.choice(b.currencies),
                )
                supplier = self.rng.choice(b.suppliers)
                domestic = doc.currency == functional
                for line in range(1, self.rng.randint(1, 3) + 1):
                    item, price = self.rng.choice(COMPONENTS)
                    qty = (
                        self.rng.randint(200, 4000)
                        if b.entity == "CN01"
                        else self.rng.randint(50, 600)
                    )
                    net = money(to_currency(price, "CNY", doc.currency) * qty, doc.currency)
                    tax = money(net * TAX[functional][0], doc.currency) if domestic else ZERO
                    p.purchasing.append(doc.purchase(line, "stock", supplier, item, qty, net, tax))
                    if domestic:
                        p.totals[(b.entity, "payables")] += net + tax
            # purchased services land on a cost center of the buying entity
            for n in range(1, 7):
                cc = self.rng.choice(cost_centers_of(b.entity)).cost_center
                net = to_currency(D(self.rng.randint(8000, 120000)), "CNY", functional)
                tax = money(net * TAX[functional][1], functional)
                doc = Doc(f"{b.entity}-PS-{p.code}-{n:03d}", self.pick_day(p), b.entity, functional)
                supplier = self.rng.choice(SERVICE_SUPPLIERS)
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
                self.book(p, b.entity, chart.SERVICES, "", cc, net)

    def stock_counts(self, p: Period) -> None:
        """Scrap and count differences, on the quality or service cost center."""
        kinds = ("scrap",) * 4 + ("count_gain",) * 3 + ("count_loss",) * 3
        for entity, cc in (("CN01", "CN01-240"), ("CN02", "CN02-360")):
            for n, kind in enumerate(kinds, start=1):
                item, price = self.rng.choice(COMPONENTS)
                qty = self.rng.randint(1, 40)
                value = money(price * qty, "CNY")
                doc = Doc(f"{entity}-ST-{p.code}-{n:03d}", self.pick_day(p), entity, "CNY")
                p.inventory.append(doc.stock(1, kind, item, qty, value, cc=cc))
                sign = -1 if kind == "count_gain" else 1
                self.book(p, entity, chart.INVENTORY_DIFFERENCES, "", cc, sign * value)

    # ---- expense claims ----------------------------------------------------------

    def expense_row(self, p: Period, row: ExpenseRow) -> None:
        """CN01's claims go to its own GB18030 export, with Chinese payees and texts."""
        if row.entity != "CN01":
            p.expenses.append(row)
            return
        payee = row.payee if row.partner else PAYEES_ZH.get(row.kind, row.payee)
        description = DESCRIPTIONS_ZH.get(row.kind, row.description)
        p.expenses_zh.append(row._replace(payee=payee, description=description))

    def expenses(self, p: Period) -> None:
        for e in ENTITIES:
            functional = e.currency
            centers = cost_centers_of(e.entity)
            for n, cc in enumerate(centers, start=1):
                headcount = self.headcount[cc.cost_center]
                pay = money(
                    MONTHLY_PAY[functional] * headcount * self.share("0.95", "1.05"), functional
                )
                doc = Doc(f"{e.entity}-PY-{p.code}-{n:03d}", p.last_day, e.entity, functional)
                self.expense_row(
                    p,
                    doc.expense(
                        "salaries",
                        "Payroll",
                        "Salaries of the month",
                        pay,
                        money(ZERO, functional),
                        cc.cost_center,
                    ),
                )
                self.book(p, e.entity, chart.SALARIES, "", cc.cost_center, pay)
                p.totals[(e.entity, "payroll")] += pay
            main = finance_cost_center(e.entity)
            utilities = money(RENT[e.entity] * self.share("0.15", "0.30"), functional)
            for kind, account, net in (
                ("rent", chart.RENT, RENT[e.entity]),
                ("utilities", chart.UTILITIES, utilities),
            ):
                tax = money(net * TAX[functional][1], functional)
                doc = Doc(f"{e.entity}-{kind[:2].upper()}-{p.code}", p.day(5), e.entity, functional)
                self.expense_row(
                    p,
                    doc.expense(
                        kind,
                        "Landlord and utilities",
                        f"{kind.title()} of the month",
                        net,
                        tax,
                        main,
                    ),
                )
                self.book(p, e.entity, account, "", main, net)
                p.totals[(e.entity, "claims")] += net + tax
            for n in range(1, 6 * len(centers) + 1):
                cc = self.rng.choice(centers)
                abroad = e.entity == "CN01" and n % 10 == 0  # staff abroad claim in USD
                currency = "USD" if abroad else functional
                net = to_currency(D(self.rng.randint(300, 12000)), "CNY", currency)
                tax = ZERO if abroad else money(net * TAX[functional][1], currency)
                doc = Doc(f"{e.entity}-TR-{p.code}-{n:04d}", self.pick_day(p), e.entity, currency)
                payee = self.rng.choice(TRAVEL_PAYEES)
                self.expense_row(
                    p, doc.expense("travel", payee, "Business travel", net, tax, cc.cost_center)
                )
                self.book(
                    p,
                    e.entity,
                    chart.TRAVEL,
                    "",
                    cc.cost_center,
                    to_currency(net, currency, functional),
                )
                if not abroad:
                    p.totals[(e.entity, "claims")] += net + tax

    # ---- journals: depreciation, cash, settlements, capital -------------------

    def journals(
        self, p: Period, previous: Period | None, opening: dict[str, dict[str, Decimal]]
    ) -> None:
        for e in ENTITIES:
            ccy = e.currency
            centers = cost_centers_of(e.entity)
            monthly = money(PPE[e.entity] / 120, ccy)  # ten years straight line
            parts = [money(monthly / len(centers), ccy)] * len(centers)
            parts[-1] = monthly - sum(parts[:-1])
            depreciation = [
                Posting(chart.DEPRECIATION, part, cost_center=cc.cost_center)
                for cc, part in zip(centers, parts, strict=True)
            ]
            doc = Doc(f"{e.entity}-DEP-{p.code}", p.last_day, e.entity, ccy)
            p.journals += doc.journal(
                "Depreciation of the month",
                [*depreciation, Posting(chart.ACCUMULATED_DEPRECIATION, -monthly)],
            )
            for line in depreciation:
                self.book(p, e.entity, chart.DEPRECIATION, "", line.cost_center, line.amount)
            if previous is None:
                before = opening[e.entity]
            else:
                before = {
                    what: previous.totals[(e.entity, what)] for what in ("receivables", "payables")
                }
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
                    doc = Doc(f"{e.entity}-{code}-{p.code}", p.last_day, e.entity, ccy)
                    p.journals += doc.journal(
                        description, [Posting(account, amount), Posting(chart.CASH, -amount)]
                    )
        if previous is not None:
            self.settlements(p, previous)
            self.capital_increase(p)

    def settlements(self, p: Period, previous: Period) -> None:
        """Last month's intragroup invoices paid in their invoice currency, both sides."""
        for (seller, buyer, currency), gross in sorted(previous.ic_invoiced.items()):
            number = f"STL-{p.code}-{seller}-{buyer}"
            text = f"Settlement of {previous.period} intercompany invoices"
            p.journals += Doc(number, p.last_day, seller, currency).journal(
                text,
                [Posting(chart.CASH, gross), Posting(chart.IC_RECEIVABLES, -gross, partner=buyer)],
            )
            p.journals += Doc(number, p.last_day, buyer, currency).journal(
                text,
                [Posting(chart.IC_PAYABLES, gross, partner=seller), Posting(chart.CASH, -gross)],
            )

    def capital_increase(self, p: Period) -> None:
        """HK01 subscribes EUR 2m of new DE01 capital for HKD 18.15m; both
        historical-rate lines keep the CNY value of the day (EUR 2m x 8.33 =
        CNY 16.66m), so the investment still eliminates without goodwill."""
        number, value = f"CAP-{p.code}-DE01", D("16660000.00")
        p.journals += Doc(number, p.last_day, "DE01", "EUR").journal(
            "Capital increase by HK01",
            [
                Posting(chart.CASH, D("2000000.00")),
                Posting(chart.SHARE_CAPITAL, D("-2000000.00"), amount_group=-value),
            ],
        )
        p.journals += Doc(number, p.last_day, "HK01", "HKD").journal(
            "Capital increase in DE01",
            [
                Posting(chart.INVESTMENTS, D("18150000.00"), partner="DE01", amount_group=value),
                Posting(chart.CASH, D("-18150000.00")),
            ],
        )

    # ---- opening balances --------------------------------------------------------

    def opening(self, october: Period) -> tuple[list[OpeningRow], dict[str, dict[str, Decimal]]]:
        """Balances at 30 September 2026 in functional currency: the balance
        sheet, and January-September results sized as nine Octobers. Foreign
        entities bring equity at historical and results at the year's average
        rate (``amount_group``); cash is sized so retained earnings are a credit."""
        rows: list[OpeningRow] = []
        sizes: dict[str, dict[str, Decimal]] = {}
        for e in ENTITIES:
            ccy = e.currency
            foreign = ccy != "CNY"
            sizes[e.entity] = {
                what: october.totals[(e.entity, what)] for what in ("receivables", "payables")
            }
            cogs = sum(
                (
                    v
                    for (ent, acc, _, _), v in october.pnl.items()
                    if ent == e.entity and acc == chart.COST_OF_SALES
                ),
                ZERO,
            )
            balance_sheet = [
                (chart.RECEIVABLES, sizes[e.entity]["receivables"]),
                (chart.INVENTORIES, money(cogs * D("2.5"), ccy)),  # ten weeks of stock
                (chart.PPE, PPE[e.entity]),
                (chart.ACCUMULATED_DEPRECIATION, -money(PPE[e.entity] * D("0.4"), ccy)),
                (chart.PAYABLES, -sizes[e.entity]["payables"]),
                (chart.ACCRUALS, -money(october.totals[(e.entity, "claims")] * D("0.3"), ccy)),
                (chart.LOANS, -LOANS.get(e.entity, ZERO)),
            ]
            lines = [Posting(account, amount) for account, amount in balance_sheet if amount]
            lines += [
                Posting(
                    chart.INVESTMENTS, cost, partner=sub, amount_group=group if foreign else None
                )
                for parent, sub, cost, group in INVESTMENTS
                if parent == e.entity
            ]
            lines.append(
                Posting(
                    chart.SHARE_CAPITAL,
                    -e.share_capital,
                    amount_group=fixed_group(ccy, e.historical_rate, -e.share_capital),
                )
            )
            for (ent, account, pc, cc), amount in sorted(october.pnl.items()):
                if ent == e.entity and amount:
                    ytd = money(amount * 9 * self.share("0.90", "1.10"), ccy)
                    lines.append(
                        Posting(
                            account,
                            ytd,
                            profit_center=pc,
                            cost_center=cc,
                            amount_group=fixed_group(ccy, e.ytd_rate, ytd),
                        )
                    )
            # depreciation is journalled at month end, after this is sized: nine months of it
            depreciation = money(PPE[e.entity] / 120 * 9, ccy)
            lines.append(
                Posting(
                    chart.DEPRECIATION,
                    depreciation,
                    cost_center=finance_cost_center(e.entity),
                    amount_group=fixed_group(ccy, e.ytd_rate, depreciation),
                )
            )
            others = sum((x.amount for x in lines), ZERO)
            cash = max(
                to_currency(D("30000000"), "CNY", ccy), money(-others + e.share_capital / 10, ccy)
            )
            retained = -(others + cash)
            # past years' results translated at a blend of their rates
            lines = [
                Posting(chart.CASH, cash),
                *lines,
                Posting(
                    chart.RETAINED_EARNINGS,
                    retained,
                    amount_group=fixed_group(ccy, e.historical_rate * D("1.02"), retained),
                ),
            ]
            rows += Doc(f"OB-{e.entity}", october.day(1), e.entity, ccy).opening(lines)
        return rows, sizes

    # ---- the whole demo ------------------------------------------------------------

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


def fixed_group(currency: str, rate: Decimal, amount: Decimal) -> Decimal | None:
    """An opening ``amount_group``: the amount at a historical or average
    rate for a foreign entity; none for a CNY entity (SPEC section 4)."""
    return money(amount * rate, "CNY") if currency != "CNY" else None


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
    entities = [
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
    ]
    centers = [
        (c.cost_center, c.name, c.name_zh, c.entity, c.department, c.profit_center)
        for c in COST_CENTERS
    ]
    return [
        Table("master/entities.csv", chart.ENTITY_COLUMNS, entities),
        Table("master/accounts.csv", chart.ACCOUNT_COLUMNS, [tuple(a) for a in chart.ACCOUNTS]),
        Table("master/business_units.csv", chart.BU_COLUMNS, list(BUSINESS_UNITS)),
        Table("master/profit_centers.csv", chart.PC_COLUMNS, list(PROFIT_CENTERS)),
        Table("master/cost_centers.csv", chart.CC_COLUMNS, centers),
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
    from closekit.sample.readme import demo_readme

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

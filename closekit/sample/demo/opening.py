"""The demo's opening balances at 30 September 2026 (opening module), sized
from October's books so the first month runs off them: invoices still open
on their terms, a month of payroll, claims and VAT, a quarter of income tax,
stock for some months of issues (held with the group supplier as partner),
January-September results as nine Octobers, and cash so that retained
earnings are a credit. Foreign entities bring equity at historical and
results at the year's average rate (``amount_group``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.books import AVERAGE, Books, Item, functional
from closekit.sample.demo.master import ENTITIES, INVESTMENTS, finance_cost_center
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.scenario import (
    CURRENCY,
    DEFAULT_STOCK_MONTHS,
    DEPOSIT_RATE,
    DEPOSITS,
    FOREIGN_FLOAT,
    LOANS,
    MINIMUM_CASH_MONTHS,
    PPE,
    STOCK_MONTHS,
    ZERO,
    money,
)
from closekit.sample.demo.treasury import add_months
from closekit.sample.rows import Doc, OpeningRow, Posting

D = Decimal
MONTHS_BEFORE = 9  # January to September
# Balances held for this many months of October's movement.
HELD_MONTHS = (
    (chart.ACCRUED_PAYROLL, 1),
    (chart.ACCRUALS, 1),
    (chart.VAT_PAYABLE, 1),
    (chart.VAT_RECOVERABLE, 1),
    (chart.INCOME_TAX_PAYABLE, 3),
)


def backlog(dice: Dice, items: list[tuple[Item, int]]) -> list[Item]:
    """The invoices open at 30 September, sized from October's: one with
    terms of n months stands for the last n months' invoices, due in
    October, November, ...; a customer's or supplier's give or take 15%,
    an intragroup one as it is (both sides must agree)."""
    return [
        replace(
            item,
            due=add_months(item.due, k - terms),
            amount=item.amount
            if item.partner
            else money(item.amount * dice.share("0.85", "1.15"), item.currency),
        )
        for item, terms in items
        for k in range(terms)
    ]


def opening(dice: Dice, october: Period, books: Books, items: list[Item]) -> list[OpeningRow]:
    """Opening rows per entity from ``books`` (October alone) and the open
    ``items`` at 30 September."""
    month = october.period
    rows: list[OpeningRow] = []
    for e in ENTITIES:
        ccy = e.currency

        lines: list[Posting] = []
        open_: dict[tuple[str, str, str], Decimal] = defaultdict(D)
        for item in items:
            if item.entity == e.entity:
                open_[(item.account, item.currency, item.partner)] += item.amount
        lines += [
            _held(e.entity, month, a, amount, c, p)
            for (a, c, p), amount in sorted(open_.items())
            if amount
        ]
        for account, months in HELD_MONTHS:
            for key in books.keys(e.entity, account, month):
                amount = books.balance(e.entity, account, month, key.currency, key.partner)
                if amount:
                    lines.append(
                        _held(e.entity, month, account, amount * months, key.currency, key.partner)
                    )
        stock_months = STOCK_MONTHS.get(e.entity, DEFAULT_STOCK_MONTHS)
        for partner in sorted(
            {k.partner for k in books.keys(e.entity, chart.COST_OF_SALES, month)}
        ):
            issued = books.balance(e.entity, chart.COST_OF_SALES, month, None, partner)
            lines.append(
                Posting(chart.INVENTORIES, money(issued * stock_months, ccy), partner=partner)
            )
        lines += [
            _held(e.entity, month, chart.CASH, amount, currency)
            for (entity, currency), amount in sorted(FOREIGN_FLOAT.items())
            if entity == e.entity
        ]
        lines += [
            Posting(chart.PPE, PPE[e.entity]),
            Posting(chart.ACCUMULATED_DEPRECIATION, -money(PPE[e.entity] * D("0.4"), ccy)),
        ]
        if e.entity in LOANS:
            lines.append(Posting(chart.LOANS, -LOANS[e.entity][0]))
        lines += [
            Posting(
                chart.INVESTMENTS, cost, partner=sub, amount_group=group if ccy != "CNY" else None
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
        results, costs = _year_to_date(dice, books, month, e.entity, ccy, e.ytd_rate)
        lines += results
        others = sum((x.amount for x in lines), ZERO)
        cash = max(
            money(costs * MINIMUM_CASH_MONTHS, ccy), money(-others + e.share_capital / 10, ccy)
        )
        lines.insert(0, Posting(chart.CASH, cash))
        if e.entity in DEPOSITS:
            earned = money(-cash * DEPOSIT_RATE / 12 * MONTHS_BEFORE, ccy)
            lines.append(
                Posting(chart.INTEREST_INCOME, earned, cost_center=finance_cost_center(e.entity))
            )
        retained = -sum((x.amount for x in lines), ZERO)
        # past years' results translated at a blend of their rates
        lines.append(
            Posting(
                chart.RETAINED_EARNINGS,
                retained,
                amount_group=fixed_group(ccy, e.historical_rate * D("1.02"), retained),
            )
        )
        rows += Doc(f"OB-{e.entity}", october.day(1), e.entity, ccy).opening(lines)
    return rows


def _held(
    entity: str, month: str, account: str, amount: Decimal, currency: str, partner: str = ""
) -> Posting:
    """A balance held in ``currency``: its functional amount (at ``month``'s
    average rate), and the currency's own when it is not the entity's."""
    value = functional(amount, currency, entity, month)
    if currency == CURRENCY[entity]:
        return Posting(account, value, partner=partner)
    return Posting(account, value, partner=partner, currency=currency, amount_doc=amount)


def _year_to_date(
    dice: Dice, books: Books, month: str, entity: str, ccy: str, rate: Decimal
) -> tuple[list[Posting], Decimal]:
    """January-September results as nine Octobers (each third-party line
    give or take 10%), and October's costs. Intragroup lines are nine
    Octobers exactly, in group currency at October's average rate of their
    document currency, so both sides of a pair agree."""
    lines: list[Posting] = []
    costs = ZERO
    for (_, key, pc, cc), doc, amount in books.results(month, entity):
        if not amount:
            continue
        costs += max(amount, ZERO)
        if key.partner:
            ytd = amount * MONTHS_BEFORE
            group = money(doc * MONTHS_BEFORE * AVERAGE[(month, key.currency)], "CNY")
            fixed = group if ccy != "CNY" else None
        else:
            ytd = money(amount * MONTHS_BEFORE * dice.share("0.90", "1.10"), ccy)
            fixed = fixed_group(ccy, rate, ytd)
        lines.append(
            Posting(
                key.account,
                ytd,
                partner=key.partner,
                profit_center=pc,
                cost_center=cc,
                amount_group=fixed,
            )
        )
    return lines, costs


def fixed_group(currency: str, rate: Decimal, amount: Decimal) -> Decimal | None:
    """An opening ``amount_group``: the amount at a historical or average
    rate for a foreign entity; none for a CNY entity (SPEC section 4)."""
    return money(amount * rate, "CNY") if currency != "CNY" else None

"""The demo's expense claims (expenses module): payroll per cost center, rent
and utilities on the finance cost center, travel claims; CN01's go to its
own GB18030 export with Chinese payees and texts."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.master import COST_CENTERS, ENTITIES, cost_centers_of, finance_cost_center
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.scenario import (
    DESCRIPTIONS_ZH,
    MONTHLY_PAY,
    PAYEES_ZH,
    RENT,
    TAX,
    TRAVEL_PAYEES,
    ZERO,
    money,
    to_currency,
)
from closekit.sample.rows import Doc, ExpenseRow

D = Decimal


def headcount(dice: Dice) -> dict[str, int]:
    """Staff per cost center, drawn once for the whole demo."""
    return {cc.cost_center: dice.rng.randint(4, 60) for cc in COST_CENTERS}


def expense_row(p: Period, row: ExpenseRow) -> None:
    """CN01's claims go to its own GB18030 export, with Chinese payees and texts."""
    if row.entity != "CN01":
        p.expenses.append(row)
        return
    payee = row.payee if row.partner else PAYEES_ZH.get(row.kind, row.payee)
    description = DESCRIPTIONS_ZH.get(row.kind, row.description)
    p.expenses_zh.append(row._replace(payee=payee, description=description))


def expenses(dice: Dice, p: Period, staff: dict[str, int]) -> None:
    for e in ENTITIES:
        functional = e.currency
        centers = cost_centers_of(e.entity)
        for n, cc in enumerate(centers, start=1):
            pay = money(
                MONTHLY_PAY[functional] * staff[cc.cost_center] * dice.share("0.95", "1.05"),
                functional,
            )
            doc = Doc(f"{e.entity}-PY-{p.code}-{n:03d}", p.last_day, e.entity, functional)
            expense_row(
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
            p.book(e.entity, chart.SALARIES, "", cc.cost_center, pay)
            p.totals[(e.entity, "payroll")] += pay
        main = finance_cost_center(e.entity)
        utilities = money(RENT[e.entity] * dice.share("0.15", "0.30"), functional)
        for kind, account, net in (
            ("rent", chart.RENT, RENT[e.entity]),
            ("utilities", chart.UTILITIES, utilities),
        ):
            tax = money(net * TAX[functional][1], functional)
            doc = Doc(f"{e.entity}-{kind[:2].upper()}-{p.code}", p.day(5), e.entity, functional)
            expense_row(
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
            p.book(e.entity, account, "", main, net)
            p.totals[(e.entity, "claims")] += net + tax
        for n in range(1, 6 * len(centers) + 1):
            cc = dice.rng.choice(centers)
            abroad = e.entity == "CN01" and n % 10 == 0  # staff abroad claim in USD
            currency = "USD" if abroad else functional
            net = to_currency(D(dice.rng.randint(300, 12000)), "CNY", currency)
            tax = ZERO if abroad else money(net * TAX[functional][1], currency)
            doc = Doc(f"{e.entity}-TR-{p.code}-{n:04d}", dice.day(p), e.entity, currency)
            payee = dice.rng.choice(TRAVEL_PAYEES)
            expense_row(
                p, doc.expense("travel", payee, "Business travel", net, tax, cc.cost_center)
            )
            p.book(
                e.entity, chart.TRAVEL, "", cc.cost_center, to_currency(net, currency, functional)
            )
            if not abroad:
                p.totals[(e.entity, "claims")] += net + tax

"""The demo's expense claims (expenses module): payroll per cost center
(the factory's production workers as ``wages``, a cost of the goods made),
rent and utilities on the finance cost center, travel claims; CN01's go to
its own GB18030 export with Chinese payees and texts."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample.demo.master import ENTITIES, cost_centers_of, finance_cost_center
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.scenario import (
    DEPARTMENT_PAY,
    DESCRIPTIONS_ZH,
    MONTHLY_PAY,
    PAYEES_ZH,
    PRODUCTION,
    RENT,
    TAX,
    TRAVEL_PAYEES,
    ZERO,
    money,
    to_currency,
)
from closekit.sample.rows import Doc, ExpenseRow

D = Decimal
FACTORY = "CN01"


def expense_row(p: Period, row: ExpenseRow) -> None:
    """CN01's claims go to its own GB18030 export, with Chinese payees and texts."""
    if row.entity != FACTORY:
        p.expenses.append(row)
        return
    payee = row.payee if row.partner else PAYEES_ZH.get(row.kind, row.payee)
    description = DESCRIPTIONS_ZH.get(row.kind, row.description)
    p.expenses_zh.append(row._replace(payee=payee, description=description))


def payroll(dice: Dice, p: Period) -> None:
    """Each cost center's pay of the month, booked on the last day."""
    for e in ENTITIES:
        functional = e.currency
        for n, cc in enumerate(cost_centers_of(e.entity), start=1):
            per_head = MONTHLY_PAY[functional] * DEPARTMENT_PAY.get(cc.department, D(1))
            pay = money(per_head * cc.staff * dice.share("0.97", "1.03"), functional)
            production = e.entity == FACTORY and cc.department in PRODUCTION
            kind, text = ("wages", "Production wages") if production else ("salaries", "Salaries")
            doc = Doc(f"{e.entity}-PY-{p.code}-{n:03d}", p.last_day, e.entity, functional)
            expense_row(
                p,
                doc.expense(
                    kind,
                    "Payroll",
                    f"{text} of the month",
                    pay,
                    money(ZERO, functional),
                    cc.cost_center,
                ),
            )


def claims(dice: Dice, p: Period) -> None:
    """Rent and utilities on the finance cost center; travel claims, some of
    CN01's staff abroad in USD."""
    for e in ENTITIES:
        functional = e.currency
        centers = cost_centers_of(e.entity)
        main = finance_cost_center(e.entity)
        utilities = money(RENT[e.entity] * dice.share("0.15", "0.30"), functional)
        for kind, net in (("rent", RENT[e.entity]), ("utilities", utilities)):
            tax = money(net * TAX[functional][1], functional)
            doc = Doc(f"{e.entity}-{kind[:2].upper()}-{p.code}", p.day(5), e.entity, functional)
            expense_row(
                p,
                doc.expense(
                    kind, "Landlord and utilities", f"{kind.title()} of the month", net, tax, main
                ),
            )
        for n in range(1, 6 * len(centers) + 1):
            cc = dice.rng.choice(centers)
            abroad = e.entity == FACTORY and n % 10 == 0  # staff abroad claim in USD
            currency = "USD" if abroad else functional
            net = to_currency(D(dice.rng.randint(300, 12000)), "CNY", currency)
            tax = ZERO if abroad else money(net * TAX[functional][1], currency)
            doc = Doc(f"{e.entity}-TR-{p.code}-{n:04d}", dice.day(p), e.entity, currency)
            payee = dice.rng.choice(TRAVEL_PAYEES)
            expense_row(
                p, doc.expense("travel", payee, "Business travel", net, tax, cc.cost_center)
            )

"""The demo's month-end journals: depreciation, cash (collections, supplier
payments, payroll and claims paid), last month's intragroup invoices settled
on both sides, and a capital increase at the rate of its own date."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.master import ENTITIES, cost_centers_of
from closekit.sample.demo.period import Period
from closekit.sample.demo.scenario import PPE, money
from closekit.sample.rows import Doc, Posting

D = Decimal


def journals(p: Period, previous: Period | None, opening: dict[str, dict[str, Decimal]]) -> None:
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
            p.book(e.entity, chart.DEPRECIATION, "", line.cost_center, line.amount)
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
        settlements(p, previous)
        capital_increase(p)


def settlements(p: Period, previous: Period) -> None:
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


def capital_increase(p: Period) -> None:
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

"""The demo's opening balances at 30 September 2026 (opening module): each
entity's balance sheet and its January-September results, sized from October."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.master import ENTITIES, INVESTMENTS, finance_cost_center
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.scenario import LOANS, PPE, ZERO, money, to_currency
from closekit.sample.rows import Doc, OpeningRow, Posting

D = Decimal


def opening(dice: Dice, october: Period) -> tuple[list[OpeningRow], dict[str, dict[str, Decimal]]]:
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
            Posting(chart.INVESTMENTS, cost, partner=sub, amount_group=group if foreign else None)
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
                ytd = money(amount * 9 * dice.share("0.90", "1.10"), ccy)
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


def fixed_group(currency: str, rate: Decimal, amount: Decimal) -> Decimal | None:
    """An opening ``amount_group``: the amount at a historical or average
    rate for a foreign entity; none for a CNY entity (SPEC section 4)."""
    return money(amount * rate, "CNY") if currency != "CNY" else None

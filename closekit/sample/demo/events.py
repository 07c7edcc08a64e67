"""The demo group's changes over time (SPEC 14-17): who holds what from
which period (``master/ownership.csv``), the deals behind each change as
the holder books them, and the dividends declared.

On 1 November 2026:
- CN00 buys 15% more of JP01 from its Japanese shareholders (60% -> 75%,
  an ownership change, SPEC 15.3);
- CN00 buys 70% of SG01, a Singapore systems integrator with reserves of
  its own (an acquisition, SPEC 15.1);
- CN00 buys 30% of CN04, a Hefei display maker (an associate, SPEC 16.2);
- HK01 sells all of DE01, its loss-making German subsidiary, to a European
  distributor (a loss of control, SPEC 16.1); DE01's November books still
  reach the group under the transitional service agreement that keeps it
  on the group's ERP until year end, and closekit leaves them out.

In November US01 pays its parent HK01, itself 80% owned, a dividend (one
through a partly owned intermediate, SPEC 17), JP01 pays 75% of one to
CN00 and 25% to its Japanese shareholders, and CN04 pays 30% of one to
CN00 (reversed against the associate's carrying amount, SPEC 16.2).
The figures each event gives are worked by hand in
``tests/test_demo_events.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from closekit.sample import chart
from closekit.sample.demo.master import ENTITIES, finance_cost_center
from closekit.sample.demo.newcomers import GROUP_ENTITIES
from closekit.sample.demo.period import Period
from closekit.sample.rows import Doc, JournalRow, Posting

D = Decimal
CURRENCY = {e.entity: e.currency for e in GROUP_ENTITIES}


class Holding(NamedTuple):
    """A row of ``master/ownership.csv``: from ``period`` on, ``parent``
    holds ``ownership_pct`` of ``entity`` by ``method``."""

    entity: str
    period: str
    parent: str
    ownership_pct: str
    method: str


class Deal(NamedTuple):
    """What the holder pays (positive) or receives (negative) for a change
    of ``entity``'s holding in ``period``, in the holder's currency, on the
    first day; a sale also gives the carrying amount of the investment it
    ends."""

    period: str
    entity: str
    holder: str
    price: Decimal
    text: str
    carrying: Decimal = D(0)


OWNERSHIP = (
    # SG01 and CN04 are outside the group until November: their books are
    # loaded, consolidated nowhere.
    Holding("CN04", "2026-10", "", "0", "none"),
    Holding("CN04", "2026-11", "CN00", "30", "equity"),
    Holding("DE01", "2026-11", "", "0", "none"),
    Holding("JP01", "2026-11", "CN00", "75", "full"),
    Holding("SG01", "2026-10", "", "0", "none"),
    Holding("SG01", "2026-11", "CN00", "70", "full"),
)

# HK01's investment in DE01: EUR 10m of capital at 7.80 (HKD 87,000,000)
# and October's capital increase (HKD 18,120,000).
DE01_COST = D("105120000.00")
DEALS = (
    Deal("2026-11", "JP01", "CN00", D("13500000.00"), "15% of JP01 bought from minorities"),
    Deal("2026-11", "SG01", "CN00", D("39000000.00"), "70% of SG01 bought"),
    Deal("2026-11", "CN04", "CN00", D("52000000.00"), "30% of CN04 bought"),
    Deal("2026-11", "DE01", "HK01", D("-240000000.00"), "DE01 sold", DE01_COST),
)


def holding(entity: str, period: str) -> tuple[str, Decimal]:
    """The parent of ``entity`` in ``period`` and the share it holds."""
    rows = [h for h in OWNERSHIP if h.entity == entity and h.period <= period]
    if rows:
        last = max(rows, key=lambda h: h.period)
        return last.parent, D(last.ownership_pct)
    e = next(e for e in ENTITIES if e.entity == entity)
    return e.parent, D(e.ownership_pct)


def deals(p: Period) -> list[JournalRow]:
    """The holder's journal of each deal of the period: a purchase debits
    its investment (role ``investment``, the entity as partner; SPEC 15.1,
    15.3 and 16.2 read the movement), a sale credits it at its carrying
    amount with the gain or loss on ``DISPOSAL_GAIN`` (role
    ``disposal_gain``, which SPEC 16.1 replaces by the group's gain)."""
    rows: list[JournalRow] = []
    for deal in DEALS:
        if deal.period != p.period:
            continue
        doc = Doc(f"STK-{p.code}-{deal.entity}", p.day(1), deal.holder, CURRENCY[deal.holder])
        if deal.price > 0:
            lines = [
                Posting(chart.INVESTMENTS, deal.price, partner=deal.entity),
                Posting(chart.CASH, -deal.price),
            ]
        else:
            gain = -deal.price - deal.carrying
            lines = [
                Posting(chart.CASH, -deal.price),
                Posting(chart.INVESTMENTS, -deal.carrying, partner=deal.entity),
                Posting(
                    chart.DISPOSAL_GAIN,
                    -gain,
                    partner=deal.entity,
                    cost_center=finance_cost_center(deal.holder),
                ),
            ]
        rows += doc.journal(deal.text, lines)
    return rows


class Dividend(NamedTuple):
    """A dividend ``payer`` declares and pays in ``period``, in its own
    currency; its parent receives its share, outside shareholders the rest."""

    period: str
    payer: str
    amount: Decimal


DIVIDENDS = (
    Dividend("2026-11", "US01", D("1000000.00")),
    Dividend("2026-11", "JP01", D("200000000")),
    Dividend("2026-11", "CN04", D("5000000.00")),
)


def dividends(p: Period) -> list[JournalRow]:
    """Dividends declared and paid on the 20th: the payer debits retained
    earnings (flow ``dividend``, SPEC 19.1) and pays every shareholder; its
    parent books its share (the holding of the day) as dividend income with
    the payer as partner."""
    rows: list[JournalRow] = []
    for dividend in DIVIDENDS:
        if dividend.period != p.period:
            continue
        payer, ccy, amount = dividend.payer, CURRENCY[dividend.payer], dividend.amount
        parent, pct = holding(payer, p.period)
        number = f"DIV-{p.code}-{payer}"
        rows += Doc(number, p.day(20), payer, ccy).journal(
            "Dividend declared and paid",
            [
                Posting(chart.RETAINED_EARNINGS, amount, flow="dividend"),
                Posting(chart.CASH, -amount),
            ],
        )
        received = (amount * pct / 100).quantize(amount)
        rows += Doc(number, p.day(20), parent, ccy).journal(
            f"Dividend from {payer}",
            [
                Posting(chart.CASH, received),
                Posting(
                    chart.DIVIDEND_INCOME,
                    -received,
                    partner=payer,
                    cost_center=finance_cost_center(parent),
                ),
            ],
        )
    return rows

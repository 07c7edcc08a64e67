"""Group events in the synthetic workspace (``closekit sample --events``;
issue 12, SPEC 14-16): in its second month the group

- **acquires** 70% of its last company, which was outside the group in the
  first month (``none``): its holder pays 1.25 x 70% of the company's net
  assets at the opening, so there is goodwill; its opening retained earnings
  and first-month result are pre-acquisition reserves (SPEC 15.1);
- **steps up** its first 60% subsidiary without subsidiaries to 80%, paying
  1.2 x 20% of its opening net assets (an equity transaction, SPEC 15.3);
- **sells 70%** of its last wholly owned operating company held by the top
  entity and keeps 30% (fair value 1.3 x 30% of its opening net assets in
  its currency): a loss of control with a gain and its CTA recycled (SPEC
  16.1), then an associate under the equity method (SPEC 16.2).

The events are master data (``master/ownership.csv``) and the holders'
journals (``journals`` of the month: the price against cash, the sale's own
gain on the ``disposal_gain`` account). Prices are fixed from the opening
balances, so the same options give the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

from closekit.errors import ClosekitError
from closekit.sample import chart
from closekit.sample.chart import cents
from closekit.sample.files import Table
from closekit.sample.rows import Posting
from closekit.sample.synthetic_master import CURRENCIES, Master, Size, SynthEntity
from closekit.sample.synthetic_tables import create_table

D = Decimal
OWNERSHIP_COLUMNS = ("entity", "from", "parent", "ownership_pct", "method", "fair_value")
ACQUIRED_PCT, STEP_FROM, STEP_TO, KEPT_PCT = D(70), D(60), D(80), D(30)

_TYPES = {a.account: a.type for a in chart.ACCOUNTS}


@dataclass(frozen=True)
class Events:
    """Which companies the second month's events concern."""

    period: str
    acquired: SynthEntity
    stepped_up: SynthEntity
    sold: SynthEntity

    @property
    def bought_later(self) -> frozenset[str]:
        """Companies no group entity holds at the opening."""
        return frozenset({self.acquired.entity})


def choose_events(m: Master, size: Size) -> Events:
    """The companies of the events; refused for a group or history too small
    to hold them."""
    if size.periods < 2 or size.entities < 12:
        raise ClosekitError("--events needs at least 2 --periods and 12 --entities")
    parents = {e.parent for e in m.entities}
    leaves = [
        e for e in m.entities if e.role in ("operating", "factory") and e.entity not in parents
    ]
    acquired = leaves[-1]
    stepped_up = next(e for e in leaves if e.ownership_pct == STEP_FROM and e != acquired)
    top = m.entities[0].entity
    sold = [
        e
        for e in leaves
        if e.role == "operating" and e.parent == top and e.ownership_pct == 100 and e != acquired
    ][-1]
    return Events(size.period_list[1], acquired, stepped_up, sold)


def net_assets(postings: list[Posting]) -> Decimal:
    """An entity's net assets from its opening lines, in its currency."""
    return sum((p.amount for p in postings if _TYPES[p.account] in ("asset", "liability")), D(0))


@dataclass(frozen=True)
class Deal:
    """A holder's purchase (``price`` > 0, paid) or sale (< 0, received) of
    shares of ``target``, in the holder's currency; ``cost_sold``: the
    investment a sale derecognises."""

    holder: SynthEntity
    target: SynthEntity
    price: Decimal
    cost_sold: Decimal = Decimal(0)


@dataclass(frozen=True)
class EventPlan:
    """The events with their prices, fixed from the opening balances."""

    events: Events
    deals: tuple[Deal, ...]
    kept_fair_value: Decimal  # of the stake kept in the company sold, its currency


def _minor(e: SynthEntity) -> int:
    return CURRENCIES[e.currency].minor


def _in_currency_of(holder: SynthEntity, amount: Decimal, target: SynthEntity) -> Decimal:
    """An amount of the target's currency in the holder's, at base rates."""
    rate = CURRENCIES[target.currency].rate / CURRENCIES[holder.currency].rate
    return cents(amount * rate, _minor(holder))


def plan_events(m: Master, events: Events, opening: dict[str, list[Posting]]) -> EventPlan:
    """Prices from the companies' opening net assets (NA): the purchase
    1.25 x 70% x NA, the step-up 1.2 x 20% x NA, the sale 1.3 x 70% x NA and
    the kept stake's fair value 1.3 x 30% x NA; the cost sold is 70% of the
    seller's opening investment."""
    acquired, stepped, sold = events.acquired, events.stepped_up, events.sold
    by_code = {e.entity: e for e in m.entities}
    buyer, step_holder, seller = (by_code[e.parent] for e in (acquired, stepped, sold))
    cost = next(
        p.amount
        for p in opening[seller.entity]
        if p.account == chart.INVESTMENTS and p.partner == sold.entity
    )
    sold_na = net_assets(opening[sold.entity])
    premium = D("1.25"), D("1.2"), D("1.3")
    return EventPlan(
        events,
        (
            Deal(
                buyer,
                acquired,
                _in_currency_of(
                    buyer,
                    net_assets(opening[acquired.entity]) * ACQUIRED_PCT / 100 * premium[0],
                    acquired,
                ),
            ),
            Deal(
                step_holder,
                stepped,
                _in_currency_of(
                    step_holder,
                    net_assets(opening[stepped.entity]) * (STEP_TO - STEP_FROM) / 100 * premium[1],
                    stepped,
                ),
            ),
            Deal(
                seller,
                sold,
                -_in_currency_of(seller, sold_na * (100 - KEPT_PCT) / 100 * premium[2], sold),
                cents(cost * (100 - KEPT_PCT) / 100, _minor(seller)),
            ),
        ),
        cents(sold_na * KEPT_PCT / 100 * premium[2], _minor(sold)),
    )


def ownership_table(m: Master, plan: EventPlan) -> Table:
    """master/ownership.csv: the acquired company outside the group until
    the events' month; the step-up; the sale with the kept stake's fair
    value (required for a loss of control that keeps a stake, SPEC 16.1)."""
    events = plan.events
    first, at = m.fx_rates[0][0], events.period
    acquired, stepped, sold = events.acquired, events.stepped_up, events.sold
    return Table(
        "master/ownership.csv",
        OWNERSHIP_COLUMNS,
        [
            (acquired.entity, first, "", "0", "none", ""),
            (acquired.entity, at, acquired.parent, ACQUIRED_PCT, "full", ""),
            (stepped.entity, at, stepped.parent, STEP_TO, "full", ""),
            (sold.entity, at, sold.parent, KEPT_PCT, "equity", plan.kept_fair_value),
        ],
    )


def add_event_journals(con: duckdb.DuckDBPyConnection, plan: EventPlan, code: str) -> None:
    """The holders' journals of the events' month, appended to ``journals``
    (amounts in integer cents of the holder's currency): the price of a
    purchase against cash; a sale's proceeds, the cost of the shares sold
    and the holder's own gain (partner: the company sold), which the group
    replaces with its gain on the loss of control."""
    rows: list[tuple[object, ...]] = []
    for deal in plan.deals:
        h, t = deal.holder, deal.target
        if deal.price > 0:
            lines = [(chart.INVESTMENTS, t.entity, deal.price), (chart.CASH, "", -deal.price)]
            what = f"Purchase of shares of {t.entity}"
        else:
            proceeds = -deal.price
            lines = [
                (chart.CASH, "", proceeds),
                (chart.INVESTMENTS, t.entity, -deal.cost_sold),
                (chart.DISPOSAL_GAIN, t.entity, deal.cost_sold - proceeds),
            ]
            what = f"Sale of shares of {t.entity}"
        doc = f"{h.entity}-INV-{code}-{t.entity}"
        for n, (account, partner, amount) in enumerate(lines, start=1):
            rows.append(
                (doc, n, h.entity, h.currency, account, partner or None, int(amount * 100), what)
            )
    create_table(
        con,
        "event_journal",
        "doc_id VARCHAR, line INTEGER, entity VARCHAR, currency VARCHAR, account VARCHAR, "
        "partner VARCHAR, amount_cents BIGINT, description VARCHAR",
        rows,
    )
    # The gain carries the holder's finance cost center, as its other P&L lines.
    con.execute(f"""
        INSERT INTO journals
        SELECT j.doc_id, j.line, month_end(), j.entity, j.currency, j.account, j.partner,
               NULL, CASE WHEN j.account = '{chart.DISPOSAL_GAIN}' THEN e.finance_cc END,
               j.amount_cents, j.description, 0
        FROM event_journal j JOIN ent e USING (entity)
    """)
    con.execute("DROP TABLE event_journal")

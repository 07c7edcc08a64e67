"""A change of holding in an associate, the end of equity accounting, and an
associate that becomes a subsidiary (SPEC 16.2, 15.1; IAS 28.22-28.25,
IFRS 3.42).

Measured once at Q, A's holder, when the period C of the event is
consolidated, from the node's figures at C-1 (``equity_method`` lines and
the lines earlier events fixed):

- K1 = the carrying amount of A at C-1: Q's investment-role balance with
  partner A plus the node's lines on those accounts with partner A;
- X1 = the share of A's OCI held in CTA at C-1 (the node's CTA lines with
  partner A, debit positive).

Every event first **freezes** the equity-method lines of C-1 as lines of
its own (step ``equity_change``): the share of profit earned before C
stays in the year's profit or loss (on retained earnings after the roll, or
at once when C-1 closed a fiscal year), and the carrying amount and OCI
built before C stay on the node. From C the equity method measures the new
holding o2 from NA*(C-1) (:mod:`.equity_method`). Then, by kind:

- **increase** (o1 < o2, still an associate): nothing else. The stake bought
  is added at its cost (Q's investment moved by it); no remeasurement of the
  stake held (IAS 28.32 looks at each purchase's own cost).
- **decrease keeping significant influence** (o2 < o1, IAS 28.25) and the
  **end of equity accounting** (method ``none``, IAS 28.22): a disposal of
  the fraction f = (o1 - o2) / o1 (1 at the end):

      gain = Pr + FVr - round(f x K1) - round(f x X1)

  Pr = Q's own gain (role ``disposal_gain``, partner A) + the decrease of Q's
  investment with partner A in C; FVr = ``fair_value`` of a stake kept at
  the end (A's currency at closing(A, C-1), IAS 28.22(b); 0 for a decrease).
  Lines: the investment to round((1 - f) x K1) (or FVr at the end), f x X1
  out of CTA (reclassified to profit or loss, IAS 28.25 and 28.22(c)), Q's
  own gain reversed, the group gain on ``[accounts] disposal_gain``.
- **associate acquired** (equity -> full, IFRS 3.42): the acquisition
  (:mod:`.acquisition`) takes the stake held at its fair value into the
  consideration; its remeasurement gain is fair value - K1 - X1 (the OCI of
  the associate recycled). The investment rule books fair value - Q's cost
  (:mod:`.investment`), so these lines take out what the equity method added
  above cost: the investment lines and the CTA with partner A, against
  ``disposal_gain`` (``carried`` = K1 - cost + X1).

- **holder changed inside the group** (A passes from Q to H, another group
  entity, at the same holding; IAS 28 and IFRS 10.B86(c)): at a node holding
  both Q and H nothing is acquired or sold: the equity method goes on (its
  lines of C-1 frozen, then measured from C on H's cost), and Q's own gain
  on the transfer is eliminated against H's investment, so the carrying
  amount and profit are as if A had stayed with Q. At a node holding Q but
  not H the stake left the node: the end of equity accounting above (f =
  1). At a node holding H but not Q it is an equity start at H's cost
  (:mod:`.equity_method`). A transfer that also changes the holding is not
  applied (the ``structure`` check fails for it).

Every line belongs to Q for NCI (SPEC 14) and is repeated at every later
period by :func:`closekit.consolidation.disposal.disposal_entries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.entries import INSERT_EVENT_LINE_STEP
from closekit.consolidation.measured import (
    MissingEventAccount,
    Rates,
    investment_balance,
    node_sum,
    own_gain_lines,
    round_cents,
)
from closekit.consolidation.structure import Event, PeriodStructure
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

STEP = "equity_change"
# SPEC 1: ratios of holdings are rounded to 18 decimals.
_RATIO = Decimal(1).scaleb(-18)

# The equity-method lines of node N at C-1, frozen at C; a P&L line of a
# fiscal year that closed before C moves to retained earnings.
_FREEZE_SQL = (
    INSERT_EVENT_LINE_STEP
    + """
SELECT $period, $a, c.node, c.entity,
       CASE WHEN pl_closed THEN '' ELSE c.partner END,
       CASE WHEN pl_closed THEN $retained_earnings ELSE c.account END,
       CASE WHEN pl_closed THEN '' ELSE c.profit_center END,
       CASE WHEN pl_closed THEN '' ELSE c.cost_center END,
       sum(c.amount_group), 'equity method of ' || $a || ' before ' || $period,
       c.owner, $step, 'profit'
FROM (SELECT c.*, a.type IN ('revenue', 'expense') AND NOT $same_year AS pl_closed
      FROM consolidation_entry c JOIN account a USING (account)
      WHERE c.period = $prior AND c.node = $node AND c.step = 'equity_method'
        AND c.partner = $a) c
GROUP BY ALL
HAVING sum(c.amount_group) <> 0
"""
)


@dataclass(frozen=True)
class Carried:
    """An associate's position at node ``node`` at C-1 (group currency,
    debit positive): carrying amount K1, of it Q's cost, and the share of
    its OCI in CTA X1."""

    node: str
    carrying: Decimal
    cost: Decimal
    oci: Decimal


def carried_positions(
    settings: Settings, con: duckdb.DuckDBPyConnection, prior: str, q: str, a: str
) -> list[Carried]:
    """K1, Q's cost and X1 of associate A at every node holding Q at C-1."""
    cost = investment_balance(con, prior, q, a)
    nodes = [
        n
        for (n,) in con.execute(
            "SELECT node FROM node_member WHERE period = ? AND entity = ? ORDER BY node",
            [prior, q],
        ).fetchall()
    ]
    positions = []
    for node in nodes:
        above_cost = node_sum(
            con,
            prior,
            node,
            # URP with the associate (urp_associates.py) is measured again
            # every period: it is not part of the carrying amount fixed here
            "partner = $a AND step IN ('equity_method', 'disposal', $step) AND account IN "
            "(SELECT account FROM account WHERE role = 'investment')",
            a=a,
            step=STEP,
        )
        oci = node_sum(
            con,
            prior,
            node,
            "partner = $a AND account = $cta AND step IN ('equity_method', $step)",
            a=a,
            cta=settings.accounts.cta,
            step=STEP,
        )
        positions.append(Carried(node, cost + above_cost, cost, oci))
    return positions


def investment_account(con: duckdb.DuckDBPyConnection, period: str, q: str, a: str) -> str:
    row = con.execute(
        """SELECT t.account FROM translated_balance t
           JOIN account a ON a.account = t.account AND a.role = 'investment'
           WHERE t.period = ? AND t.entity = ? AND t.partner = ?
           ORDER BY t.account LIMIT 1""",
        [period, q, a],
    ).fetchone()
    if row is None:
        row = con.execute(
            "SELECT account FROM account WHERE role = 'investment' ORDER BY account LIMIT 1"
        ).fetchone()
    assert row is not None  # an associate with a carrying amount has an investment account
    return str(row[0])


def freeze_equity_method(
    settings: Settings, con: duckdb.DuckDBPyConnection, structure: PeriodStructure, a: str
) -> None:
    """Fix the equity-method lines of A at C-1 at every node as lines of C."""
    period, prior = structure.period, structure.previous or structure.period
    start = settings.fiscal_year_start
    nodes = con.execute(
        "SELECT DISTINCT node FROM consolidation_entry WHERE period = ? AND step = "
        "'equity_method' AND partner = ? ORDER BY node",
        [prior, a],
    ).fetchall()
    for (node,) in nodes:
        con.execute(
            _FREEZE_SQL,
            {
                "period": period,
                "prior": prior,
                "a": a,
                "node": node,
                "step": STEP,
                "same_year": fiscal_year_start(prior, start) == fiscal_year_start(period, start),
                "retained_earnings": settings.accounts.retained_earnings,
            },
        )


# A line of an event at a node: (entity, partner, account, profit center,
# cost center, amount, note).
Line = tuple[str, str, str, str, str, Decimal, str]


def measure_associate_change(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    rates: Rates,
    structure: PeriodStructure,
    event: Event,
) -> None:
    """Measure an ``equity_change`` or ``equity_end`` of A at its holder Q and
    fix its lines (caller holds the transaction; C-1 is consolidated). A
    transfer to another holder that also changes the holding is left to the
    ``structure`` check."""
    accounts = settings.accounts
    period, a, q = structure.period, event.entity, event.holder
    transfer = event.kind == "equity_change" and event.before.parent != event.after.parent
    if transfer and event.before.ownership != event.after.ownership:
        return
    prior = structure.previous or period
    positions = carried_positions(settings, con, prior, q, a)
    if not positions:
        return  # Q was in no node: nothing was equity-accounted
    freeze_equity_method(settings, con, structure, a)
    o1, o2 = event.before.ownership / 100, event.after.ownership / 100
    paid_out = investment_balance(con, prior, q, a) - investment_balance(con, period, q, a)
    first = positions[0]
    if event.kind == "equity_change" and o2 > o1:
        # IAS 28.32: the stake bought is carried at its cost; nothing else moves.
        _store(con, period, event, first.carrying, -paid_out, None, Decimal(0))
        return
    own_lines = own_gain_lines(con, settings, period, prior, q, a)
    if transfer:
        _transfer(settings, con, structure, event, positions, paid_out, own_lines)
        return
    if accounts.disposal_gain is None:
        raise MissingEventAccount(
            f"the {'end of equity accounting' if event.kind == 'equity_end' else 'decrease'} "
            f"of {a} in {period} needs [accounts] disposal_gain in closekit.toml"
        )
    fraction = Decimal(1)
    if event.kind == "equity_change":
        fraction = ((o1 - o2) / o1).quantize(_RATIO, rounding=ROUND_HALF_UP)
    fair = Decimal(0)
    if event.kind == "equity_end" and event.after.ownership > 0:
        row = con.execute(
            "SELECT fair_value FROM ownership WHERE entity = ? AND from_period = ?",
            [a, period],
        ).fetchone()
        fair_fc = Decimal(row[0]) if row and row[0] is not None else Decimal(0)
        why = f"the end of equity accounting of {a}"
        fair = round_cents(fair_fc * rates.closing(a, prior, why))
    account = investment_account(con, prior, q, a)
    rows = []
    for p in positions:
        lines, gain, recycled = _sale_lines(
            settings, q, a, account, p, fraction, paid_out + fair, own_lines
        )
        rows += event_rows(period, a, p.node, q, lines, "disposal")
        if p is first:
            own_gain = -sum((line[4] for line in own_lines), Decimal(0))
            _store(con, period, event, p.carrying, own_gain + paid_out + fair, gain, recycled)
    insert_rows(con, rows)


def _sale_lines(
    settings: Settings,
    q: str,
    a: str,
    account: str,
    p: Carried,
    fraction: Decimal,
    moved: Decimal,
    own_lines: list[tuple[str, str, str, str, Decimal]],
) -> tuple[list[Line], Decimal, Decimal]:
    """The lines of selling ``fraction`` of the stake at node ``p.node``
    (module docstring): ``moved`` is Pr less Q's own gain plus FVr, what the
    investment moved by. Returns the lines, the group gain and the OCI
    recycled."""
    accounts = settings.accounts
    own_gain = -sum((line[4] for line in own_lines), Decimal(0))
    sold = round_cents(fraction * p.carrying)
    recycled = round_cents(fraction * p.oci)
    gain = own_gain + moved - sold - recycled
    lines: list[Line] = [
        (q, a, account, "", "", moved - sold, f"carrying amount of {a} sold"),
        (q, a, accounts.cta, "", "", -recycled, f"share of the OCI of {a} reclassified"),
        (q, a, str(accounts.disposal_gain), "", "", -gain, f"group gain on the shares in {a} sold"),
        *_own_gain_reversed(q, a, own_lines),
    ]
    return lines, gain, recycled


def _own_gain_reversed(
    q: str, a: str, own_lines: list[tuple[str, str, str, str, Decimal]]
) -> list[Line]:
    return [
        (q, partner, acc, pc, cc, -amount, f"{q}'s own gain on {a} reversed")
        for acc, partner, pc, cc, amount in own_lines
    ]


def event_rows(
    period: str, a: str, node: str, q: str, lines: list[Line], flow: str
) -> list[tuple[object, ...]]:
    return [
        (period, a, node, *line[:5], line[5], line[6], q, STEP, flow)
        for line in lines
        if line[5] != 0
    ]


def insert_rows(con: duckdb.DuckDBPyConnection, rows: list[tuple[object, ...]]) -> None:
    if rows:
        con.executemany(f"{INSERT_EVENT_LINE_STEP} VALUES ({', '.join('?' * 13)})", rows)


def _transfer(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    structure: PeriodStructure,
    event: Event,
    positions: list[Carried],
    paid_out: Decimal,
    own_lines: list[tuple[str, str, str, str, Decimal]],
) -> None:
    """A passes from Q to H inside the group at the same holding (module
    docstring): per node holding Q at C-1, continuity where H is held too,
    else the end of equity accounting of the whole stake."""
    period, prior, a = structure.period, structure.previous or structure.period, event.entity
    q, h = event.before.parent, event.after.parent
    with_h = {
        n
        for (n,) in con.execute(
            "SELECT node FROM node_member WHERE period = ? AND entity = ?", [period, h]
        ).fetchall()
    }
    if any(p.node not in with_h for p in positions) and settings.accounts.disposal_gain is None:
        raise MissingEventAccount(
            f"the transfer of {a} from {q} to {h} in {period} takes it out of a node "
            "holding only one of them; set [accounts] disposal_gain in closekit.toml"
        )
    own_gain = -sum((line[4] for line in own_lines), Decimal(0))
    rows = []
    for p in positions:
        if p.node in with_h:
            # IFRS 10.B86(c): the gain on a transfer inside the node is
            # eliminated from the buyer's cost; the carrying amount goes on
            account = investment_account(con, period, h, a)
            note = f"{q}'s gain on {a} eliminated from {h}'s cost"
            lines: list[Line] = [
                *_own_gain_reversed(q, a, own_lines),
                (h, a, account, "", "", -own_gain, note),
            ]
            rows += event_rows(period, a, p.node, q, lines, "movement")
        else:
            # IAS 28.22: the stake left this node, sold to H outside it
            account = investment_account(con, prior, q, a)
            lines, _, _ = _sale_lines(settings, q, a, account, p, Decimal(1), paid_out, own_lines)
            rows += event_rows(period, a, p.node, q, lines, "disposal")
    _store(con, period, event, positions[0].carrying, own_gain + paid_out, None, Decimal(0))
    insert_rows(con, rows)


def _store(
    con: duckdb.DuckDBPyConnection,
    period: str,
    event: Event,
    carrying: Decimal,
    consideration: Decimal,
    gain: Decimal | None,
    recycled: Decimal,
) -> None:
    """The event as ``structure`` shows it: net_assets is the carrying amount
    at C-1, consideration the proceeds (with a kept stake's fair value) or,
    for an increase, the price paid; cta_reclassified the OCI recycled."""
    con.execute(
        """INSERT INTO consolidation_event (period, entity, kind, holder, ownership_before,
               ownership_after, net_assets, consideration, gain, cta_reclassified)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            period,
            event.entity,
            event.kind,
            event.holder,
            event.before.ownership / 100,
            event.after.ownership / 100,
            carrying,
            consideration,
            gain,
            recycled,
        ],
    )

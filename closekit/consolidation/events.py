"""The events consolidation measured, as the ``structure`` command and check
read them (SPEC 14, 20)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.measured import (
    GOODWILL_AT_EVENT_SQL,
    investment_balance,
    round_cents,
    translated_sum,
)
from closekit.consolidation.structure import period_structure, top_entity
from closekit.errors import UnknownCode
from closekit.periods import previous
from closekit.snapshot import reads_period
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


def event_warnings(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> list[str]:
    """What a reviewer must look at in the period's events: bargain purchases
    (IFRS 3.36 asks for a reassessment), migrations that do not add up, and
    the negative goodwill a subsidiary held from the first period keeps
    (SPEC 15.2 keeps 7.3 for it)."""
    warnings = [
        f"node {holder}: negative goodwill "
        f"{(Decimal(fc) * Decimal(rate)).quantize(Decimal('0.01'), ROUND_HALF_UP)} "
        f"on {entity} kept on {settings.accounts.goodwill}"
        for holder, entity, fc, rate in con.execute(
            "SELECT holder, entity, goodwill_fc, goodwill_rate FROM consolidation_event "
            "WHERE period = ? AND kind = 'first_period' AND goodwill_fc < 0 ORDER BY entity",
            [period],
        ).fetchall()
    ]
    for entity, holder, gain, detail in con.execute(
        "SELECT entity, holder, CASE WHEN kind = 'acquisition' THEN gain END, detail "
        "FROM consolidation_event "
        "WHERE period = ? AND (coalesce(gain, 0) <> 0 OR detail <> '') ORDER BY entity",
        [period],
    ).fetchall():
        if gain:
            warnings.append(f"{holder}: bargain purchase of {entity}, gain {gain:,.2f}")
        if detail:
            warnings.append(f"{holder}: {entity}: {detail}")
    return warnings


@dataclass(frozen=True)
class StructureLine:
    """An entity of the tree below a node at a period.

    depth: 0 for the node. direct: the parent's holding in percent.
    effective: the product of holdings from the node down, in percent.
    """

    entity: str
    name: str
    depth: int
    parent: str
    method: str
    direct: Decimal
    effective: Decimal
    origin: str


@dataclass(frozen=True)
class EventLine:
    """An event of the period (SPEC 14) and, once the period is consolidated,
    what it measured (group currency unless _fc)."""

    entity: str
    kind: str
    holder: str
    sub_group_of: str
    before: Decimal
    after: Decimal
    net_assets: Decimal | None
    consideration: Decimal | None
    nci: Decimal | None
    goodwill_fc: Decimal | None
    goodwill: Decimal | None
    gain: Decimal | None
    measured: bool
    # the CTA the event reclassified, credit positive: recycled to profit or
    # loss on a loss of control or an associate's sale (IAS 21.48), between
    # owners and NCI on a change in ownership (IFRS 10.B96)
    cta_reclassified: Decimal | None = None


@dataclass(frozen=True)
class StructureView:
    period: str
    node: str
    entities: tuple[StructureLine, ...]
    events: tuple[EventLine, ...]


@reads_period
def structure_view(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, node: str | None = None
) -> StructureView:
    """The tree below ``node`` (default the group) with direct and effective
    holdings, and the period's events there: derived from master data, with
    the amounts consolidation measured when it has run."""
    structure = period_structure(settings, con, period)
    holdings = structure.holdings
    top = node or top_entity(con)
    if top not in holdings:
        raise UnknownCode(f"unknown entity {top!r} (--node)")
    names = dict(con.execute("SELECT entity, name FROM entity").fetchall())
    children: dict[str, list[str]] = {}
    for entity, holding in sorted(holdings.items()):
        children.setdefault(holding.parent, []).append(entity)
    lines: list[StructureLine] = []
    stack = [(top, 0, Decimal(100))]
    while stack:
        entity, depth, effective = stack.pop()
        h = holdings[entity]
        direct = Decimal(100) if depth == 0 else h.ownership
        lines.append(
            StructureLine(
                entity,
                names.get(entity, ""),
                depth,
                h.parent if depth else "",
                h.method,
                direct,
                effective,
                h.origin,
            )
        )
        stack.extend(
            (child, depth + 1, effective * holdings[child].ownership / 100)
            for child in reversed(children.get(entity, []))
        )
    below = {line.entity for line in lines}
    measured = {
        (row[0], row[1]): row[2:]
        for row in con.execute(
            "SELECT entity, kind, net_assets, consideration, nci, goodwill_fc, "
            f"{GOODWILL_AT_EVENT_SQL}, coalesce(gain, remeasurement_gain), "
            "-nullif(cta_reclassified, 0) FROM consolidation_event e WHERE period = ?",
            [period],
        ).fetchall()
    }
    consolidated = con.execute(
        "SELECT count(*) > 0 FROM node_member WHERE period = ?", [period]
    ).fetchone() == (True,)
    events = []
    for e in structure.events:
        # an entity sold or no longer held is out of the tree; its holder is not
        if (e.entity not in below and e.holder not in below) or e.entity == top:
            continue
        figures = measured.get((e.entity, e.kind))
        if figures is None and e.kind == "equity_start" and consolidated:
            figures = equity_start(con, period, e.entity, e.holder, e.after.ownership)
        na, paid, nci, gw_fc, gw, gain, cta = (
            None if v is None else Decimal(v) for v in figures or (None,) * 7
        )
        events.append(
            EventLine(
                e.entity,
                e.kind,
                e.holder,
                e.sub_group_of,
                e.before.ownership,
                e.after.ownership,
                na,
                paid,
                nci,
                gw_fc,
                gw,
                gain,
                figures is not None,
                cta,
            )
        )
    return StructureView(period, top, tuple(lines), tuple(events))


def equity_start(
    con: duckdb.DuckDBPyConnection, period: str, a: str, q: str, ownership: Decimal
) -> tuple[Decimal | None, ...]:
    """What the start of the equity method shows (IAS 28.32): A's net assets
    at the end of the period before (group currency), Q's cost (its
    investment in A), and the goodwill the carrying amount holds, cost less
    Q's share of those net assets (a negative one is a bargain, in the share
    of profit); in :class:`EventLine`'s order."""
    before = previous(period)
    cost = investment_balance(con, period, q, a)
    known = con.execute(
        "SELECT count(*) > 0 FROM translated_balance WHERE period = ? AND entity = ?", [before, a]
    ).fetchone() == (True,)
    if not known:  # A's books start with the period: no net assets before it
        return None, cost, None, None, None, None, None
    net_assets = translated_sum(con, before, a, "a.type IN ('asset', 'liability')")
    goodwill = cost - round_cents(ownership / 100 * net_assets)
    return net_assets, cost, None, None, goodwill, None, None

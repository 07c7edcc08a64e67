"""The events consolidation measured, as the ``structure`` command and check
read them (SPEC 14, 20)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.measured import GOODWILL_AT_EVENT_SQL
from closekit.consolidation.structure import period_structure, top_entity
from closekit.errors import UnknownCode
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
            f"{GOODWILL_AT_EVENT_SQL}, coalesce(gain, remeasurement_gain) "
            "FROM consolidation_event e WHERE period = ?",
            [period],
        ).fetchall()
    }
    events = []
    for e in structure.events:
        # an entity sold or no longer held is out of the tree; its holder is not
        if (e.entity not in below and e.holder not in below) or e.entity == top:
            continue
        figures = measured.get((e.entity, e.kind))
        na, paid, nci, gw_fc, gw, gain = (
            None if v is None else Decimal(v) for v in figures or (None,) * 6
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
            )
        )
    return StructureView(period, top, tuple(lines), tuple(events))

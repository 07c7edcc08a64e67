"""The group structure of a period: nodes, members, holdings and events
(SPEC 7.2, 14; IFRS 10.B86-B88, 10.23, 10.25; IAS 28.22).

The nodes, members and holdings of a period (entities.csv overlaid with the
ownership.csv rows in force, effective ownership the exact product of the
direct holdings) are closekit.master.tree's; they are stored here with the
effective ownership rounded to 18 places.

Events compare the structure at the previous period with a folder (P') with
the structure at P: a holding that becomes ``full`` is an acquisition, a
``full`` holding that changes is an ownership change, a ``full`` one that
ends is a loss of control; ``equity`` holdings start, change and end.
Entities that join or leave with an acquired or disposed entity form its
sub-group: one event, not one each (SPEC 14). Each event is measured at its
holder Q, the entity's direct parent.

The tree is master data (tens of rows), walked in Python with exact
Decimals; the result is written to ``structure`` and ``node_member`` for the
set-based rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from closekit.master.ownership import Holding, holdings_at

# The tree itself is master data's (closekit.master.tree, which loading uses
# too); its names are re-exported for the consolidation rules.
from closekit.master.tree import Holdings, node_members
from closekit.master.tree import Member as Member
from closekit.master.tree import excluded_entities as excluded_entities
from closekit.master.tree import read_holdings as read_holdings
from closekit.master.tree import top_entity as top_entity
from closekit.periods import period_folders
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# node_member.effective is DECIMAL(38, 18).
_EFFECTIVE_PLACES = Decimal(1).scaleb(-18)


@dataclass(frozen=True)
class Event:
    """What changed for ``entity`` between the previous period and this one.

    kind: acquisition | ownership_change | loss_of_control | equity_start |
        equity_change | equity_end.
    holder: Q, the direct parent that measures the event (after the event
        for acquisitions and equity starts, before it otherwise).
    sub_group_of: for an entity that joins or leaves only because an entity
        above it does, that entity; '' otherwise.
    before, after: the holdings at the previous period and at this one.
    """

    entity: str
    kind: str
    holder: str
    sub_group_of: str
    before: Holding
    after: Holding


def _kinds(before: Holding, after: Holding) -> list[str]:
    kinds = []
    if before.method != "full" and after.method == "full":
        kinds.append("acquisition")
    elif before.method == "full" and after.method == "full":
        if before.ownership != after.ownership:
            kinds.append("ownership_change")
    elif before.method == "full":
        kinds.append("loss_of_control")
    if before.method != "equity" and after.method == "equity":
        kinds.append("equity_start")
    elif before.method == "equity" and after.method == "equity":
        if before.ownership != after.ownership or before.parent != after.parent:
            kinds.append("equity_change")
    elif before.method == "equity":
        kinds.append("equity_end")
    return kinds


def derive_events(before: Holdings, after: Holdings) -> list[Event]:
    """Events between two structures, in entity order. An entity below an
    acquired or disposed one whose own holding did not change joins or leaves
    with it: an event of the same kind, of that entity's sub-group."""
    events: dict[str, Event] = {}
    for entity in sorted(after):
        old, new = before.get(entity), after[entity]
        if old is None or (not new.parent and not old.parent):
            continue
        for kind in _kinds(old, new):
            holder = new.parent if kind in ("acquisition", "equity_start") else old.parent
            events.setdefault(entity, Event(entity, kind, holder, "", old, new))
    was_member = {m.entity for m in node_members(before)}
    is_member = {m.entity for m in node_members(after)}
    for entity in sorted(after):
        if entity in events or (entity in was_member) == (entity in is_member):
            continue
        # Joins or leaves with the nearest entity above it that has an event.
        cursor = after[entity].parent if entity in is_member else before[entity].parent
        while cursor and cursor not in events:
            cursor = (after if entity in is_member else before)[cursor].parent
        if cursor:
            kind = "acquisition" if entity in is_member else "loss_of_control"
            parent = (after if entity in is_member else before)[entity].parent
            events[entity] = Event(entity, kind, parent, cursor, before[entity], after[entity])
    return [events[e] for e in sorted(events)]


@dataclass(frozen=True)
class PeriodStructure:
    """The structure consolidation uses for one period.

    previous: the period with a folder before this one (None for the first).
    holdings, members: at this period. events: since ``previous``.
    first: this is the workspace's first period (ownership rows of this
        period are its opening structure, migration columns included).
    """

    period: str
    previous: str | None
    holdings: Holdings
    previous_holdings: Holdings | None
    members: tuple[Member, ...]
    events: tuple[Event, ...]

    @property
    def first(self) -> bool:
        return self.previous is None


def period_structure(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> PeriodStructure:
    """The structure at ``period`` and its events since the previous folder period."""
    base, dated = read_holdings(con)
    holdings = holdings_at(base, dated, period)
    earlier = [p for p in period_folders(settings.ledgers_dir) if p < period]
    previous = earlier[-1] if earlier else None
    before = holdings_at(base, dated, previous) if previous else None
    events = derive_events(before, holdings) if before is not None else []
    return PeriodStructure(
        period,
        previous,
        holdings,
        before,
        tuple(node_members(holdings)),
        tuple(events),
    )


def write_structure(con: duckdb.DuckDBPyConnection, structure: PeriodStructure) -> None:
    """Rebuild ``structure`` and ``node_member`` for the period (caller holds
    the transaction)."""
    period = structure.period
    con.execute("DELETE FROM structure WHERE period = ?", [period])
    con.executemany(
        "INSERT INTO structure VALUES (?, ?, ?, ?, ?, ?)",
        [
            (period, e, h.parent, h.ownership / 100, h.method, h.origin)
            for e, h in sorted(structure.holdings.items())
        ],
    )
    con.execute("DELETE FROM node_member WHERE period = ?", [period])
    if structure.members:
        con.executemany(
            "INSERT INTO node_member (period, node, entity, depth, direct_parent, "
            "ownership, effective) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    period,
                    m.node,
                    m.entity,
                    m.depth,
                    m.direct_parent,
                    m.ownership,
                    m.effective.quantize(_EFFECTIVE_PLACES, rounding=ROUND_HALF_UP),
                )
                for m in structure.members
            ],
        )

"""Roll-forwards (SPEC 19.2) at a node, from its flows: NCI per subsidiary,
goodwill per acquisition, CTA per entity (owners and NCI). Each line runs
from the prior fiscal year end through the flows to the period end."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.statements.flows import FLOWS
from closekit.statements.queries import require_node
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

ZERO = Decimal(0)


@dataclass(frozen=True)
class RollLine:
    """One item (a subsidiary, an acquisition, an entity's CTA part):
    ``amounts`` per flow of :attr:`RollForward.flows`, then the closing."""

    item: str
    detail: str
    amounts: tuple[Decimal, ...]


@dataclass(frozen=True)
class RollForward:
    """``kind``: nci | goodwill | cta. Amounts are presented as the balance
    sheet shows them: NCI and CTA credit positive, goodwill debit positive."""

    kind: str
    node: str
    period: str
    flows: tuple[str, ...]
    lines: tuple[RollLine, ...]


_PARTS = {"owners": 0, "non-controlling interests": 1, "total": 2}


def _line_order(entry: tuple[tuple[str, str], object]) -> tuple[str, int, str]:
    (item, detail), _ = entry
    return item, _PARTS.get(detail, 0), detail


def _roll(
    kind: str,
    node: str,
    period: str,
    rows: list[tuple[str, str, str, Decimal]],
    sign: int,
) -> RollForward:
    """Lines from (item, detail, flow, amount) rows; flows in SPEC order,
    only those that occur (opening always)."""
    present = {flow for _, _, flow, _ in rows}
    flows = tuple(f for f in FLOWS if f == "opening" or f in present)
    cells: dict[tuple[str, str], dict[str, Decimal]] = {}
    for item, detail, flow, amount in rows:
        line = cells.setdefault((item, detail), {})
        line[flow] = line.get(flow, ZERO) + sign * Decimal(amount)
    lines = tuple(
        RollLine(item, detail, (*(c.get(f, ZERO) for f in flows), sum(c.values(), ZERO)))
        for (item, detail), c in sorted(cells.items(), key=_line_order)
    )
    return RollForward(kind, node, period, flows, lines)


def nci_rollforward(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str | None = None
) -> RollForward:
    """NCI per subsidiary: the flows of each subsidiary's nci_equity key."""
    node = require_node(con, period, node)
    rows = con.execute(
        """
        SELECT f.entity, coalesce(m.effective, 1) AS effective, f.flow, f.amount
        FROM node_flow f
        LEFT JOIN node_member m ON m.period = f.period AND m.node = f.node AND m.entity = f.entity
        WHERE f.period = $period AND f.node = $node AND f.account = $nci_equity
        """,
        {"period": period, "node": node, "nci_equity": settings.accounts.nci_equity},
    ).fetchall()
    return _roll(
        "nci",
        node,
        period,
        [(e, f"NCI {(1 - Decimal(eff)) * 100:.2f}%", flow, a) for e, eff, flow, a in rows],
        -1,
    )


def goodwill_rollforward(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str | None = None
) -> RollForward:
    """Goodwill per acquisition (the goodwill key with the subsidiary as
    partner), with the subsidiary's currency."""
    node = require_node(con, period, node)
    rows = con.execute(
        """
        SELECT f.partner, coalesce(e.currency, ''), f.flow, f.amount
        FROM node_flow f LEFT JOIN entity e ON e.entity = f.partner
        WHERE f.period = $period AND f.node = $node AND f.account = $goodwill
        """,
        {"period": period, "node": node, "goodwill": settings.accounts.goodwill},
    ).fetchall()
    return _roll("goodwill", node, period, rows, 1)


def cta_rollforward(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str | None = None
) -> RollForward:
    """CTA per entity: the entity's translated CTA, the owners' part (the
    node's CTA key) and NCI's part (the difference, moved to nci_equity)."""
    node = require_node(con, period, node)
    rows = con.execute(
        """
        WITH own AS (
            SELECT entity, flow, amount FROM node_flow
            WHERE period = $period AND node = $node AND account = $cta
        ),
        whole AS (
            SELECT f.entity, f.flow, f.amount FROM entity_flow f
            JOIN node_member m ON m.period = f.period AND m.node = $node AND m.entity = f.entity
            WHERE f.period = $period AND f.account = $cta
        )
        SELECT entity, 'owners', flow, amount FROM own
        UNION ALL
        SELECT entity, 'non-controlling interests', flow, amount FROM whole
        UNION ALL
        SELECT entity, 'non-controlling interests', flow, -amount FROM own
        UNION ALL
        SELECT entity, 'total', flow, amount FROM whole
        """,
        {"period": period, "node": node, "cta": settings.accounts.cta},
    ).fetchall()
    return _roll("cta", node, period, rows, -1)

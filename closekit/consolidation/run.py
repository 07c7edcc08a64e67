"""Consolidation of a period (SPEC sections 7 and 14-18): the rules run in order.

:func:`consolidate_period` runs, in one transaction:

1. translation of every entity into the group currency (:mod:`.translation`);
2. the group structure of the period, its nodes and their members (:mod:`.structure`);
3. the period's events measured once at their holders (:mod:`.acquisition`,
   :mod:`.migration`, :mod:`.ownership_change`, :mod:`.disposal`,
   :mod:`.associate_change`) and the event each member is consolidated from
   at each node (:mod:`.membership`);
4. at every node: intercompany elimination (:mod:`.elimination`), investment
   elimination and goodwill (:mod:`.investment`), the fixed lines of
   disposals and associate changes (:mod:`.disposal`), the equity method
   (:mod:`.equity_method`), unrealised profit in inventory (:mod:`.urp`) and
   with associates (:mod:`.urp_associates`), top-side journals
   (:mod:`.topside`), NCI in results and in reserves (:mod:`.nci`);
5. the flows of every balance-sheet key (:mod:`closekit.statements.flows`).

A node's consolidated trial balance is the sum of its members' translated
trial balances plus its own entries; every entry balances, so every node's
trial balance sums to zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit import status
from closekit.consolidation.acquisition import (
    forget_events,
    measure_acquisitions,
    measure_changes,
)
from closekit.consolidation.disposal import disposal_entries
from closekit.consolidation.elimination import eliminate_intercompany
from closekit.consolidation.equity_method import equity_method
from closekit.consolidation.event_rates import require_event_rates
from closekit.consolidation.events import event_warnings
from closekit.consolidation.investment import eliminate_investments
from closekit.consolidation.membership import assign_since
from closekit.consolidation.nci import nci_in_reserves, nci_in_results
from closekit.consolidation.queries import (
    ICPair,
    KeyFigures,
    consolidation_nodes,
    intercompany_pairs,
    key_figures,
)
from closekit.consolidation.structure import (
    excluded_entities,
    period_structure,
    write_structure,
)
from closekit.consolidation.topside import apply_topside, unapplied_topside
from closekit.consolidation.translation import translate_period
from closekit.consolidation.urp import eliminate_unrealised_profit
from closekit.consolidation.urp_associates import eliminate_associate_profit
from closekit.db import amounts_fit, transaction
from closekit.statements.flows import write_flows
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class NodeSummary:
    """A node, its name and its number of members (the node included)."""

    node: str
    name: str
    members: int


@dataclass(frozen=True)
class ConsolidationReport:
    """What :func:`consolidate_period` wrote.

    group: the top node. nodes: every node, the group first.
    ic_exceptions: checked pairs outside tolerance at the group.
    warnings: negative goodwill, entities excluded from consolidation.
    """

    period: str
    group: str
    nodes: tuple[NodeSummary, ...]
    figures: KeyFigures
    ic_exceptions: tuple[ICPair, ...]
    warnings: tuple[str, ...]


@amounts_fit("consolidate")
def consolidate_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> ConsolidationReport:
    """Translate, eliminate and compute NCI for ``period``, rebuilding its rows.

    Needs the period posted and fresh, unlocked, and every earlier period with
    a folder posted (translation sums movements over periods).
    """
    status.require_unlocked(con, period)
    status.require_step(con, period, "posted")
    status.require_earlier_posted(settings, con, period)
    before = _fingerprint(con, period)
    with transaction(con):
        translate_period(settings, con, period)
        structure = period_structure(settings, con, period)
        require_event_rates(settings, con, structure)
        write_structure(con, structure)
        con.execute("DELETE FROM consolidation_entry WHERE period = ?", [period])
        forget_events(con, period)
        measure_acquisitions(settings, con, structure)
        measure_changes(settings, con, structure)
        assign_since(con, period)
        eliminate_intercompany(con, settings, period)
        eliminate_investments(con, settings, period)
        disposal_entries(con, settings, period)
        equity_method(settings, con, structure)
        eliminate_unrealised_profit(con, settings, period)
        eliminate_associate_profit(con, settings, period)
        apply_topside(con, settings, period)
        nci_in_results(con, settings, period)
        nci_in_reserves(con, settings, period)
        write_flows(settings, con, period)
        if before is not None and _fingerprint(con, period) != before:
            status.mark_later_consolidations_stale(con, period)
        status.mark(con, period, "consolidated")
    return _report(settings, con, period)


# What later periods read of a consolidated period (SPEC 20): its entries,
# its measured events and the lines they fixed. Order-free digests of every
# row (an entry's note aside: words, not figures); equal digests mean a
# re-consolidation left later periods valid.
_FINGERPRINT = """
SELECT (SELECT count(*) || ':' || coalesce(sum(hash(node, step, entity, partner, account,
                                                    profit_center, cost_center,
                                                    amount_group, owner, flow)), 0)
        FROM consolidation_entry WHERE period = $p)
    || '|' || (SELECT count(*) || ':' || coalesce(sum(hash(e)), 0)
               FROM consolidation_event e WHERE period = $p)
    || '|' || (SELECT count(*) || ':' || coalesce(sum(hash(l)), 0)
               FROM event_line l WHERE period = $p)
"""


def _fingerprint(con: duckdb.DuckDBPyConnection, period: str) -> str | None:
    """A digest of the period's consolidation, None when it was never
    consolidated."""
    row = con.execute(
        "SELECT consolidated_at FROM period_status WHERE period = ?", [period]
    ).fetchone()
    if row is None or row[0] is None:
        return None
    digest = con.execute(_FINGERPRINT, {"p": period}).fetchone()
    assert digest is not None
    return str(digest[0])


def _report(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> ConsolidationReport:
    nodes = consolidation_nodes(con, period)
    counts = dict(
        con.execute(
            "SELECT node, count(*) FROM node_member WHERE period = ? GROUP BY node", [period]
        ).fetchall()
    )
    names = dict(con.execute("SELECT entity, name FROM entity").fetchall())
    holdings = period_structure(settings, con, period).holdings
    warnings = (
        event_warnings(con, settings, period)
        + [
            f"entity {e} is excluded from consolidation (method none, or below an entity "
            "that is not consolidated line by line)"
            for e in excluded_entities(holdings)
            # an associate directly held by a group member is equity-accounted
            if not (holdings[e].method == "equity" and holdings[e].parent)
        ]
        + unapplied_topside(con, period)
    )
    if not nodes:  # no top entity: nothing to consolidate
        zero = Decimal(0)
        return ConsolidationReport(
            period, "", (), KeyFigures(zero, zero, zero, zero), (), tuple(warnings)
        )
    group = nodes[0]
    exceptions = tuple(
        p
        for p in intercompany_pairs(con, settings, period, group)
        if p.checked and not p.within_tolerance
    )
    return ConsolidationReport(
        period=period,
        group=group,
        nodes=tuple(NodeSummary(n, names[n], counts[n]) for n in nodes),
        figures=key_figures(con, settings, period, group),
        ic_exceptions=exceptions,
        warnings=tuple(warnings),
    )

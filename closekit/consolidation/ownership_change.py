"""Changes in ownership without loss of control (SPEC 15.3; IFRS 10.23,
10.B96; IAS 21.48C).

A change of Q's holding in S while S stays a subsidiary is a transaction
with owners: nothing goes to profit or loss and goodwill does not change.
Measured once at Q when the period B of the change is consolidated:

- purchase from NCI (o2 > o1): NCI decreases by the purchased proportion of
  its carrying amount at B-1, (o2 - o1) / (1 - o1) x NCI;
- sale to NCI (o2 < o1): NCI increases by (o1 - o2) x S's translated net
  assets at B-1 (plus that share of goodwill when NCI is at fair value), and
  (o1 - o2) / o1 of the owners' cumulative CTA of S moves to
  ``ownership_changes`` (IAS 21.48C); Q's own gain on the sale (role
  ``disposal_gain``, partner S) is reversed;
- the movement of Q's investment in S, less Q's own gain, plus the NCI
  movement, goes to ``[accounts] ownership_changes`` in equity.

From B on, NCI shares in what S earns at the new holding; what was earned
before stays attributed as it was (SPEC 15.5, :mod:`.nci`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.measured import (
    MissingEventAccount,
    node_sum,
    round_cents,
    translated_sum,
)
from closekit.consolidation.structure import Event, PeriodStructure
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# The entries of each change at every node holding Q, from B on: lines with
# the columns of investment.py's ``line`` (it adds them before its residual).
OWNERSHIP_CHANGE_LINES = """
    SELECT h.node, h.head, h.entity, '', $nci_equity, '', '', -e.nci,
           'NCI movement on the change in ownership of ' || h.entity, h.entity,
           'ownership_change'
    FROM held h JOIN ownership_change e ON e.entity = h.entity AND e.period > h.since
    WHERE e.nci <> 0
    UNION ALL
    SELECT h.node, h.head, e.holder, h.entity, $ownership_changes, '', '', e.ownership_changes,
           'change in ownership of ' || h.entity, e.holder, 'ownership_change'
    FROM held h JOIN ownership_change e ON e.entity = h.entity AND e.period > h.since
    WHERE e.ownership_changes <> 0
    UNION ALL
    -- Q's own gain on the sale reversed: in its year on its lines, then on
    -- retained earnings
    SELECT h.node, h.head, t.entity, t.partner, t.account, t.profit_center, t.cost_center,
           -t.amount_group, 'own gain on the sale of shares in ' || h.entity, t.entity,
           'ownership_change'
    FROM held h
    JOIN translated_balance t ON t.period = $period AND t.entity = h.holder
                             AND t.partner = h.entity
    JOIN account a ON a.account = t.account AND a.role = 'disposal_gain'
    WHERE EXISTS (SELECT 1 FROM ownership_change e WHERE e.entity = h.entity
                  AND e.period > h.since AND e.period >= $year AND e.gain <> 0)
    UNION ALL
    SELECT h.node, h.head, e.holder, '', $retained_earnings, '', '', sum(e.gain),
           'own gain on the sale of shares in ' || h.entity || ' (earlier years)', e.holder,
           'ownership_change'
    FROM held h JOIN ownership_change e ON e.entity = h.entity AND e.period > h.since
    WHERE e.period < $year AND e.gain <> 0
    GROUP BY h.node, h.head, e.holder, h.entity
    UNION ALL
    -- IAS 21.48C: the owners' CTA of the part sold
    SELECT h.node, h.head, e.holder, h.entity, $cta, '', '', -e.cta_reclassified,
           'CTA of the part of ' || h.entity || ' sold', e.holder, 'ownership_change'
    FROM held h JOIN ownership_change e ON e.entity = h.entity AND e.period > h.since
    WHERE e.cta_reclassified <> 0
    UNION ALL
    SELECT h.node, h.head, e.holder, h.entity, $ownership_changes, '', '', e.cta_reclassified,
           'CTA of the part of ' || h.entity || ' sold', e.holder, 'ownership_change'
    FROM held h JOIN ownership_change e ON e.entity = h.entity AND e.period > h.since
    WHERE e.cta_reclassified <> 0
"""

OWNERSHIP_CHANGE_CTE = """
    ownership_change AS (
        SELECT * FROM consolidation_event
        WHERE kind = 'ownership_change' AND period <= $period
    )
"""


def measure_ownership_change(
    settings: Settings, con: duckdb.DuckDBPyConnection, structure: PeriodStructure, event: Event
) -> None:
    """Measure and store one change of Q's holding in S at B (caller holds
    the transaction; B-1, ``structure.previous``, is consolidated)."""
    accounts = settings.accounts
    period, s, q = structure.period, event.entity, event.holder
    if accounts.ownership_changes is None:
        raise MissingEventAccount(
            f"the change in ownership of {s} in {period} needs [accounts] "
            "ownership_changes in closekit.toml"
        )
    before = structure.previous or period
    o1, o2 = event.before.ownership / 100, event.after.ownership / 100
    investment = "a.role = 'investment' AND t.partner = $s"
    moved = translated_sum(con, period, q, investment, s=s) - translated_sum(
        con, before, q, investment, s=s
    )
    # Q's own gain in B: its year-to-date lines less those of B-1 in the same year
    own_gain = "a.role = 'disposal_gain' AND t.partner = $s"
    gain = -translated_sum(con, period, q, own_gain, s=s)
    start = settings.fiscal_year_start
    if fiscal_year_start(before, start) == fiscal_year_start(period, start):
        gain += translated_sum(con, before, q, own_gain, s=s)
    nci_before = -node_sum(
        con, before, q, "account = $nci AND entity = $s", nci=accounts.nci_equity, s=s
    )
    cta_moved = Decimal(0)
    if o2 > o1:
        nci = -round_cents((o2 - o1) / (1 - o1) * nci_before)
    else:
        net_assets = translated_sum(con, before, s, "a.type IN ('asset', 'liability')")
        nci = round_cents((o1 - o2) * net_assets)
        # the owners' exchange differences of S and of its goodwill at Q
        owners_cta = translated_sum(
            con, before, s, "t.account = $cta", cta=accounts.cta
        ) + node_sum(
            con,
            before,
            q,
            "account = $cta AND (entity = $s OR (step = 'investment' AND partner = $s))",
            cta=accounts.cta,
            s=s,
        )
        cta_moved = round_cents((o1 - o2) / o1 * owners_cta)
    con.execute(
        """INSERT INTO consolidation_event (period, entity, kind, holder, ownership_before,
               ownership_after, consideration, nci, gain, ownership_changes, cta_reclassified)
           VALUES (?, ?, 'ownership_change', ?, ?, ?, ?, ?, ?, ?, ?)""",
        [period, s, q, o1, o2, moved, nci, gain, moved + nci - gain, cta_moved],
    )

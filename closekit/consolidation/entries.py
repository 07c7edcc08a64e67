"""What every consolidation rule shares: the columns of ``consolidation_entry``
and the balances the rules read (SPEC 7, 14-18).

Entries are balances at the reported period (cumulative for the balance
sheet, year-to-date for P&L), group currency, debit positive, and every
rule's entries balance on their own, so a node's trial balance sums to zero.
"""

from __future__ import annotations

# Every rule appends to consolidation_entry through this column list:
# owner is the entity the entry belongs to for NCI (SPEC 17), flow its
# SPEC 19.1 flow.
INSERT_ENTRY = """
    INSERT INTO consolidation_entry (period, node, step, entity, partner, account,
        profit_center, cost_center, amount_group, note, owner, flow)
"""

# Each entity's translated balance per balance key at the period (the roll
# and CTA lines included, so retained earnings is one key).
BALANCE_CTE = """
    balance AS (
        SELECT entity, account, partner, profit_center, cost_center,
               sum(amount_group) AS amount
        FROM translated_balance
        WHERE period = $period
        GROUP BY entity, account, partner, profit_center, cost_center
        HAVING sum(amount_group) <> 0
    )
"""

# Members other than the node itself: the subsidiaries consolidated at it.
SUBSIDIARY_CTE = """
    subsidiary AS (
        SELECT node, entity, direct_parent AS holder, ownership, effective
        FROM node_member
        WHERE period = $period AND depth > 0
    )
"""

# The lines an event fixes at each node (SPEC 16.1, 16.2), repeated at every
# later period by :func:`closekit.consolidation.disposal.disposal_entries`;
# step and flow default to 'disposal' (a loss of control).
INSERT_EVENT_LINE = """
    INSERT INTO event_line (period, entity, node, line_entity, partner, account,
        profit_center, cost_center, amount_group, note, owner)
"""
INSERT_EVENT_LINE_STEP = """
    INSERT INTO event_line (period, entity, node, line_entity, partner, account,
        profit_center, cost_center, amount_group, note, owner, step, flow)
"""

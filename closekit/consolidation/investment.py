"""Investment elimination at every node, from each subsidiary's acquisition
(SPEC 7.3, 15.1, 15.2, 15.4; IFRS 10.B86(b), IFRS 3.32-34, IAS 21.47).

For every subsidiary S of node N, consolidated there since the event stored
for it (:mod:`.membership`), the entries at the reported period R are:

1. the holder Q's investment in S (its translated balance at R) reversed;
2. the pre-acquisition equity of S reversed key by key as it was measured:
   equity keys as they were, P&L keys of the acquisition year on their
   accounts while that year runs and on retained earnings after the roll;
3. NCI at acquisition credited to ``nci_equity``;
4. goodwill at the rate it was measured, and its exchange difference since:
   GW_fc x closing(S, R) less that amount (IAS 21.47), of which (1 - eff)
   goes to NCI when NCI was measured at fair value (IAS 36.C6);
5. S's share capital issued after the event reversed against Q's investment
   in it, (1 - o) of it to NCI (15.3, "capital of S after acquisition");
6. a bargain-purchase gain (IFRS 3.34) or the remeasurement of a stake held
   before control (IFRS 3.42), in profit or loss in the year of the event and
   in retained earnings after the roll;
7. the entries of changes in ownership since (:mod:`.ownership_change`);
8. what is left, per acquisition (a sub-group with its head), to CTA with
   the head as partner: the translation of Q's investment and of the
   goodwill since the event, and the cents of rounding.

Pre-acquisition equity and S's share of capital belong to S for NCI (SPEC
17: they take S's balances back to what it earned since acquisition); the
rest belongs to Q.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.consolidation.entries import INSERT_ENTRY, SUBSIDIARY_CTE
from closekit.consolidation.measured import GOODWILL_AT_EVENT_SQL
from closekit.consolidation.ownership_change import (
    OWNERSHIP_CHANGE_CTE,
    OWNERSHIP_CHANGE_LINES,
)
from closekit.consolidation.translation import fiscal_year_sql
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

_LINES_SQL = """
WITH {subsidiary}, {ownership_change_cte},
held AS (
    -- each subsidiary with the event it is consolidated from at the node
    SELECT s.node, s.entity, s.holder, s.ownership, s.effective, m.since,
           coalesce(nullif(e.sub_group_of, ''), s.entity) AS head,
           e.nci, e.goodwill_fc, e.goodwill_rate, e.gain, e.remeasurement_gain, e.carried,
           e.nci_at_fair_value, {goodwill_at_event} AS goodwill_measured,
           {event_year} = $year_number AS event_year
    FROM subsidiary s
    JOIN node_member m ON m.period = $period AND m.node = s.node AND m.entity = s.entity
    JOIN consolidation_event e ON e.period = m.since AND e.entity = s.entity
     AND e.kind IN ('first_period', 'migration', 'acquisition')
),
closing AS (
    SELECT e.entity,
           CASE WHEN e.currency = $currency THEN 1 ELSE r.closing END AS rate
    FROM entity e LEFT JOIN fx_rate r ON r.period = $period AND r.currency = e.currency
),
goodwill AS (
    SELECT h.*, h.goodwill_measured AS measured,
           round(h.goodwill_fc * c.rate, 2) - h.goodwill_measured AS exchange
    FROM held h JOIN closing c USING (entity)
),
capital_key AS (
    -- S's share capital now, less what the event measured
    SELECT h.node, h.entity AS subsidiary, t.account, t.partner, t.profit_center,
           t.cost_center, t.amount_group AS amount
    FROM held h
    JOIN translated_balance t ON t.period = $period AND t.entity = h.entity
    JOIN account a ON a.account = t.account AND a.role = 'share_capital'
    UNION ALL
    SELECT h.node, h.entity, k.account, k.partner, k.profit_center, k.cost_center,
           -k.amount_group
    FROM held h
    JOIN acquisition_key k ON k.period = h.since AND k.entity = h.entity
    JOIN account a ON a.account = k.account AND a.role = 'share_capital'
),
capital AS (
    SELECT node, subsidiary, account, partner, profit_center, cost_center,
           sum(amount) AS issued
    FROM capital_key
    GROUP BY ALL
    HAVING sum(amount) <> 0
),
capital_nci AS (
    SELECT h.node, h.head, h.entity AS subsidiary,
           round((1 - any_value(h.ownership)) * sum(c.issued), 2) AS nci
    FROM capital c JOIN held h ON h.node = c.node AND h.entity = c.subsidiary
    GROUP BY h.node, h.head, h.entity
),
line AS (
    -- 1. Q's investment in S
    SELECT h.node, h.head, t.entity, t.partner, t.account, t.profit_center, t.cost_center,
           -sum(t.amount_group) AS amount, 'investment in ' || h.entity AS note,
           t.entity AS owner, 'acquisition' AS flow
    FROM held h
    JOIN translated_balance t ON t.period = $period AND t.entity = h.holder
                             AND t.partner = h.entity
    JOIN account a ON a.account = t.account AND a.role = 'investment'
    GROUP BY h.node, h.head, h.entity, t.entity, t.partner, t.account, t.profit_center,
             t.cost_center
    UNION ALL
    -- 2. pre-acquisition equity of S (P&L keys of a closed year: retained earnings)
    SELECT h.node, h.head, h.entity,
           CASE WHEN k.fiscal_year < $year THEN '' ELSE k.partner END,
           CASE WHEN k.fiscal_year < $year THEN $retained_earnings ELSE k.account END,
           CASE WHEN k.fiscal_year < $year THEN '' ELSE k.profit_center END,
           CASE WHEN k.fiscal_year < $year THEN '' ELSE k.cost_center END,
           -k.amount_group, 'pre-acquisition equity of ' || h.entity, h.entity, 'acquisition'
    FROM held h JOIN acquisition_key k ON k.period = h.since AND k.entity = h.entity
    UNION ALL
    -- 3. NCI at acquisition
    SELECT node, head, entity, '', $nci_equity, '', '', -nci,
           'NCI at acquisition of ' || entity, entity, 'acquisition'
    FROM held WHERE nci <> 0
    UNION ALL
    -- 4. goodwill as measured, then its exchange difference since
    SELECT node, head, holder, entity, $goodwill, '', '', measured,
           'goodwill on ' || entity, holder, 'acquisition'
    FROM goodwill WHERE measured <> 0
    UNION ALL
    SELECT node, head, holder, entity, $goodwill, '', '', exchange,
           'exchange difference on goodwill on ' || entity, holder, 'translation'
    FROM goodwill WHERE exchange <> 0
    UNION ALL
    -- ... of which the NCI's share when NCI is at fair value (IAS 36.C6)
    SELECT node, head, holder, entity, $cta, '', '', round((1 - effective) * exchange, 2),
           'NCI share of the exchange difference on goodwill on ' || entity, holder,
           'translation'
    FROM goodwill WHERE nci_at_fair_value AND round((1 - effective) * exchange, 2) <> 0
    UNION ALL
    SELECT node, head, entity, '', $nci_equity, '', '', -round((1 - effective) * exchange, 2),
           'NCI share of the exchange difference on goodwill on ' || entity, entity,
           'translation'
    FROM goodwill WHERE nci_at_fair_value AND round((1 - effective) * exchange, 2) <> 0
    UNION ALL
    -- 5. share capital issued after the event, (1 - o) of it to NCI
    SELECT c.node, h.head, c.subsidiary, c.partner, c.account, c.profit_center,
           c.cost_center, -c.issued, 'share capital of ' || c.subsidiary || ' issued since',
           c.subsidiary, 'capital'
    FROM capital c JOIN held h ON h.node = c.node AND h.entity = c.subsidiary
    UNION ALL
    SELECT node, head, subsidiary, '', $nci_equity, '', '', nci,
           'NCI in share capital of ' || subsidiary || ' issued since', subsidiary, 'capital'
    FROM capital_nci WHERE nci <> 0
    UNION ALL
    -- 6. gains of the event: in P&L in its year, in retained earnings after
    SELECT node, head, holder, entity,
           CASE WHEN event_year THEN $bargain_purchase ELSE $retained_earnings END,
           '', '', -gain, 'bargain purchase of ' || entity, holder, 'acquisition'
    FROM held WHERE coalesce(gain, 0) <> 0
    UNION ALL
    SELECT node, head, holder, entity,
           CASE WHEN event_year THEN $disposal_gain ELSE $retained_earnings END,
           -- fair value less Q's cost: the equity-method amounts above cost
           -- come off at the event (IFRS 3.42, associate_change.py)
           '', '', -(remeasurement_gain + coalesce(carried, 0)),
           'remeasurement of the stake held in ' || entity, holder, 'acquisition'
    FROM held WHERE coalesce(remeasurement_gain + coalesce(carried, 0), 0) <> 0
    UNION ALL
    -- changes in ownership since (SPEC 15.3, ownership_change.py)
    {ownership_change_lines}
)
SELECT node, head, entity, partner, account, profit_center, cost_center, amount, note,
       owner, flow
FROM line
"""

_INSERT_SQL = """
{insert}
WITH investment_line AS (SELECT * FROM investment_lines)
SELECT $period, node, 'investment', entity, partner, account, profit_center, cost_center,
       amount, note, owner, flow
FROM investment_line WHERE amount <> 0
UNION ALL
-- 8. the rest, per acquisition, to CTA: translation since the event, rounding
SELECT $period, l.node, 'investment', h.direct_parent, l.head, $cta, '', '', -sum(l.amount),
       'translation of the investment in and goodwill on ' || l.head, h.direct_parent,
       'translation'
FROM investment_line l
JOIN node_member h ON h.period = $period AND h.node = l.node AND h.entity = l.head
GROUP BY l.node, l.head, h.direct_parent
HAVING sum(l.amount) <> 0
"""


def eliminate_investments(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """Write the investment entries of every node for ``period`` (caller holds
    the transaction, has deleted the period's entries and filled
    ``node_member.since``)."""
    accounts = settings.accounts
    year = fiscal_year_start(period, settings.fiscal_year_start)
    params: dict[str, object] = {
        "period": period,
        "year": year,
        "year_number": int(year[:4]),
        "currency": settings.currency,
        "retained_earnings": accounts.retained_earnings,
        "nci_equity": accounts.nci_equity,
        "goodwill": accounts.goodwill,
        "cta": accounts.cta,
        # optional: an event with such a gain was refused without it
        "bargain_purchase": accounts.bargain_purchase or "",
        "disposal_gain": accounts.disposal_gain or "",
        "ownership_changes": accounts.ownership_changes or "",
    }
    lines = _LINES_SQL.format(
        subsidiary=SUBSIDIARY_CTE,
        ownership_change_cte=OWNERSHIP_CHANGE_CTE,
        ownership_change_lines=OWNERSHIP_CHANGE_LINES,
        event_year=fiscal_year_sql("m.since", settings.fiscal_year_start),
        goodwill_at_event=GOODWILL_AT_EVENT_SQL,
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE investment_lines AS {lines}", params)
    con.execute(
        _INSERT_SQL.format(insert=INSERT_ENTRY),
        {k: params[k] for k in ("period", "cta")},
    )
    con.execute("DROP TABLE investment_lines")

"""Each consolidation node's flows (SPEC 19.1): its members' translated flows
and its consolidation entries, per key, from the prior fiscal year end.

**Segments.** When a node's membership changes inside the fiscal year (a
subsidiary acquired or disposed of, a holding changed) at period E, the
node's flows to P are its flows to E-1 (``node_flow`` of E-1, already
written) plus the flows of the segment from E-1 to P, measured as the year
is measured from the prior year end: E-1's balances are the segment's
opening (and are not counted again), a member that joined brings its
balances at E-1 in as ``acquisition``, one that left takes them out as
``disposal`` (SPEC 19.1: "a member's balances at P-1 enter or leave the node
at their P-1 group amounts"). So what a subsidiary did before it was
acquired is never a flow of the group, and what it did before it was sold
stays one. NCI takes its share of each segment's flows at the holding of
that segment (IFRS 10.B94).

**Entries.** Entries that take a share of members' balances take the same
share of their flows ("NCI entries take the flow of the movement they share;
an elimination's plug takes the eliminated line's flow"): eliminated
intercompany balances and their plugs, the holder's investment, NCI in
results and reserves and, for a subsidiary consolidated from the first
period (SPEC 7.3, 15.2), its share capital, NCI in it and goodwill (but
for changes in ownership, SPEC 15.3, ``ownership_change`` flows of their
own). The entries of an acquisition (SPEC 15.1, 15.4: pre-acquisition
equity, NCI at acquisition, goodwill, gains) are flows of their own:
``acquisition`` in the fiscal year of the event (the subsidiary's
pre-acquisition result too), in the opening after it (a migration's are
opening in the first fiscal year). The entries
with a member that left (its own, and the others' with it as partner) leave
with it as ``disposal``; the entries of its loss of control keep its result
before it (``disposal``, as its result is already a flow) and book the gain
(``profit``). Other entries' P&L lines are ``profit``, their other lines
their ``flow``, measured as the change since the segment's opening. The
node's translation is the residual per key, so opening + flows = closing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.statements.segments import flow_segments
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# Accounts seen on the balance sheet after the roll: P&L on retained earnings.
SEEN = """
    seen_account AS (
        SELECT account AS booked,
               type IN ('revenue', 'expense') AS is_pl,
               CASE WHEN type IN ('revenue', 'expense') THEN $re ELSE account END AS account
        FROM account
    )
"""

_NODE_FLOWS = f"""
    INSERT INTO node_flow
    WITH {SEEN},
    segment AS (SELECT node, seg, in_year FROM flow_segment),
    now_member AS (
        SELECT m.*, g.seg, g.in_year
        FROM node_member m JOIN segment g USING (node)
        WHERE m.period = $period
    ),
    was_member AS (
        SELECT m.* FROM node_member m JOIN segment g ON g.node = m.node AND m.period = g.seg
    ),
    joined AS (
        SELECT n.node, n.entity FROM now_member n
        WHERE n.seg <> '' AND n.depth > 0
          AND NOT EXISTS (SELECT 1 FROM was_member w WHERE w.node = n.node AND w.entity = n.entity)
    ),
    left_member AS (
        SELECT w.node, w.entity FROM was_member w
        WHERE NOT EXISTS (SELECT 1 FROM now_member n WHERE n.node = w.node AND n.entity = w.entity)
    ),
    -- how each subsidiary is consolidated at the node: from its first period
    -- (SPEC 7.3), a migration or an acquisition, and since when
    kind AS (
        SELECT m.node, m.entity, m.direct_parent AS holder, m.since, any_value(e.kind) AS kind
        FROM now_member m
        JOIN consolidation_event e ON e.period = m.since AND e.entity = m.entity
         AND e.kind IN ('first_period', 'migration', 'acquisition')
        WHERE m.depth > 0
        GROUP BY ALL
    ),
    -- each member's own flows in the segment: from the prior year end, or,
    -- after an event in the year, from E-1 (its balances then the opening)
    member_flow AS (
        SELECT node, entity, account, partner, flow, sum(amount) AS amount
        FROM (
            SELECT g.node, f.entity, f.account, f.partner, f.flow, f.amount
            FROM segment g JOIN entity_flow f ON f.period = $period
            WHERE f.flow <> 'translation' AND (NOT g.in_year OR f.flow <> 'opening')
            UNION ALL
            SELECT g.node, f.entity, f.account, f.partner, 'opening', f.amount
            FROM segment g JOIN entity_flow f ON f.period = g.seg
            WHERE g.in_year
            UNION ALL
            SELECT g.node, f.entity, f.account, f.partner, f.flow, -f.amount
            FROM segment g JOIN entity_flow f ON f.period = g.seg
            WHERE g.in_year AND f.flow NOT IN ('opening', 'translation')
        ) f
        WHERE EXISTS (SELECT 1 FROM now_member m WHERE m.node = f.node AND m.entity = f.entity)
           OR EXISTS (SELECT 1 FROM was_member m WHERE m.node = f.node AND m.entity = f.entity)
        GROUP BY ALL
        HAVING sum(amount) <> 0
    ),
    -- members' own flows; a member that joined in the segment brings its
    -- balances at its start in (acquisition), one that left takes them out
    books AS (
        SELECT m.node, f.entity, f.account, f.partner,
               CASE WHEN f.flow = 'opening' AND m.seg <> '' AND w.entity IS NULL
                    THEN 'acquisition' ELSE f.flow END AS flow,
               f.amount
        FROM member_flow f
        JOIN now_member m ON m.node = f.node AND m.entity = f.entity
        LEFT JOIN was_member w ON w.node = m.node AND w.entity = m.entity
        UNION ALL
        SELECT w.node, f.entity, f.account, f.partner, x.flow, x.sign * f.amount
        FROM member_flow f
        JOIN left_member w ON w.node = f.node AND w.entity = f.entity
        CROSS JOIN (VALUES ('opening', 1), ('disposal', -1)) x(flow, sign)
        WHERE f.flow = 'opening'
    ),
    -- A member's flows an entry shares: all but opening (the entries at the
    -- segment's start are the opening), except in the first fiscal year.
    shareable AS (
        SELECT f.*, m.direct_parent AS holder, m.ownership, m.effective, m.depth
        FROM member_flow f JOIN now_member m ON m.node = f.node AND m.entity = f.entity
        WHERE f.flow <> 'opening' OR m.seg = ''
    ),
    -- ... and the balances an acquisition brings under the eliminations: a
    -- joined member's own and the others' with it as partner, at the start
    acquired AS (
        SELECT f.node, f.entity, f.account, f.partner, 'acquisition' AS flow, f.amount
        FROM member_flow f JOIN now_member m ON m.node = f.node AND m.entity = f.entity
        WHERE f.flow = 'opening' AND m.seg <> ''
          AND (EXISTS (SELECT 1 FROM joined j WHERE j.node = f.node AND j.entity = f.entity)
               OR EXISTS (SELECT 1 FROM joined j WHERE j.node = f.node AND j.entity = f.partner))
    ),
    ic_source AS (
        SELECT node, entity, account, partner, flow, amount FROM shareable
        UNION ALL
        SELECT * FROM acquired
    ),
    entry_kind AS (
        SELECT c.*, g.seg, g.in_year, coalesce(kp.kind, ke.kind, '') AS kind,
               coalesce(kp.since, ke.since, '') AS since,
               -- the holder's line with its subsidiary as partner
               kp.kind IS NOT NULL AS via_partner,
               -- the entries with a member that left, at the segment's start
               -- (a remaining subsidiary's NCI entries on a key with it as
               -- partner are NCI's share of that key's flows, nci_share)
               c.period = g.seg AND g.seg <> '' AND EXISTS (
                   SELECT 1 FROM left_member l
                   WHERE l.node = c.node AND (
                       l.entity IN (c.entity, c.owner)
                       OR l.entity = c.partner AND c.step NOT IN ('nci_result', 'nci_reserves'))
               ) AS gone
        FROM consolidation_entry c
        JOIN segment g USING (node)
        LEFT JOIN kind kp ON kp.node = c.node AND kp.entity = c.partner AND kp.holder = c.entity
        LEFT JOIN kind ke ON ke.node = c.node AND ke.entity = c.entity
        WHERE c.period = $period OR c.period = g.seg
    ),
    entry AS (
        SELECT c.period, c.node, c.step, c.entity, c.owner, s.account, c.seg, c.in_year,
               CASE WHEN s.is_pl THEN '' ELSE c.partner END AS partner,
               CASE WHEN c.gone THEN 'disposal'
                    -- a loss of control keeps the result before it (already
                    -- a flow); its gains are profit
                    WHEN s.is_pl AND c.step = 'disposal' AND a.role <> 'disposal_gain'
                         AND c.account <> $disposal_gain THEN 'disposal'
                    -- SPEC 15.1, 15.4: an acquisition's entries
                    -- (the subsidiary's pre-acquisition result included; the
                    -- holder's gains on it are profit)
                    WHEN c.step = 'investment' AND c.flow = 'acquisition'
                         AND a.role <> 'investment' AND NOT (s.is_pl AND c.via_partner)
                    THEN CASE WHEN c.kind <> 'acquisition' AND c.seg = '' THEN 'opening'
                              WHEN c.since < $fy_start THEN 'translation'
                              ELSE 'acquisition' END
                    WHEN s.is_pl THEN 'profit'
                    -- SPEC 16.2: the share of an associate's OCI is OCI
                    WHEN c.step = 'equity_method' AND c.account = $cta THEN 'oci'
                    -- the plug of an eliminated dividend takes its flow (SPEC 17, 19.1)
                    WHEN c.step = 'ic_elimination' AND c.account IN
                         (SELECT ic_plug FROM account WHERE role = 'dividend_income')
                    THEN 'dividend'
                    ELSE c.flow END AS flow,
               c.amount_group AS amount, s.is_pl,
               -- entries that share the flows of the balances they take (below)
               NOT c.gone AND (
                   c.step IN ('nci_result', 'nci_reserves')
                   OR c.step = 'investment' AND (
                       a.role = 'investment'
                       OR c.kind NOT IN ('acquisition', 'migration')
                          AND c.flow <> 'ownership_change')
                   OR c.step = 'ic_elimination' AND NOT s.is_pl AND (
                       a.ic_plug <> '' OR c.account IN (
                           SELECT ic_plug FROM account
                           WHERE ic_plug <> '' AND type NOT IN ('revenue', 'expense'))
                   )
               ) AS shared
        FROM entry_kind c
        JOIN seen_account s ON s.booked = c.account
        JOIN account a ON a.account = c.account
    ),
    -- SPEC 7.2: an eliminated intercompany balance takes the flows of the
    -- key it eliminates; its plug the same flows, opposite.
    ic_share AS (
        SELECT f.node, f.entity, f.account, f.partner, f.flow, -f.amount AS amount
        FROM ic_source f
        JOIN account a ON a.account = f.account AND a.ic_plug <> ''
        JOIN now_member p ON p.node = f.node AND p.entity = f.partner
        WHERE a.type NOT IN ('revenue', 'expense')
          AND EXISTS (SELECT 1 FROM entry x WHERE x.node = f.node AND x.step = 'ic_elimination')
        UNION ALL
        SELECT f.node, f.entity, a.ic_plug, f.partner, f.flow, f.amount
        FROM ic_source f
        JOIN account a ON a.account = f.account AND a.ic_plug <> ''
        JOIN now_member p ON p.node = f.node AND p.entity = f.partner
        WHERE a.type NOT IN ('revenue', 'expense')
          AND EXISTS (SELECT 1 FROM entry x WHERE x.node = f.node AND x.step = 'ic_elimination')
    ),
    -- The holder's investment takes its key's flows, opposite; for a
    -- subsidiary consolidated from the first period (SPEC 7.3, 15.2) its
    -- share capital too, NCI (1 - own) of the capital's, and goodwill the
    -- rest, but for the consideration of changes in ownership (SPEC 15.3).
    investment_share AS (
        SELECT f.node, f.entity, f.account, f.partner, f.flow, -f.amount AS amount,
               f.partner AS subsidiary
        FROM ic_source f
        JOIN account a ON a.account = f.account AND a.role = 'investment'
        JOIN now_member s ON s.node = f.node AND s.entity = f.partner AND s.depth > 0
                         AND s.direct_parent = f.entity
        UNION ALL
        SELECT f.node, f.entity, f.account, f.partner, f.flow, -f.amount, f.entity
        FROM shareable f
        JOIN account a ON a.account = f.account AND a.role = 'share_capital'
        WHERE f.depth > 0 AND NOT EXISTS (
            SELECT 1 FROM kind k WHERE k.node = f.node AND k.entity = f.entity
              AND k.kind IN ('acquisition', 'migration'))
        UNION ALL
        SELECT f.node, f.entity, $nci_equity, '', f.flow,
               round((1 - f.ownership) * f.amount, 2), f.entity
        FROM shareable f
        JOIN account a ON a.account = f.account AND a.role = 'share_capital'
        WHERE f.depth > 0 AND NOT EXISTS (
            SELECT 1 FROM kind k WHERE k.node = f.node AND k.entity = f.entity
              AND k.kind IN ('acquisition', 'migration'))
    ),
    goodwill_share AS (
        SELECT i.node, s.direct_parent AS entity, $goodwill AS account, i.subsidiary AS partner,
               i.flow, -sum(i.amount) AS amount
        FROM investment_share i
        JOIN now_member s ON s.node = i.node AND s.entity = i.subsidiary
        WHERE i.flow <> 'ownership_change' AND NOT EXISTS (
            SELECT 1 FROM kind k WHERE k.node = i.node AND k.entity = i.subsidiary
              AND k.kind IN ('acquisition', 'migration'))
        GROUP BY ALL
    ),
    -- every flow but NCI's, with the entity it belongs to for NCI (SPEC 17:
    -- a member's own lines and the node entries it owns)
    counted_owned AS (
        SELECT node, entity, account, partner, flow, amount, entity AS owner FROM books
        UNION ALL
        SELECT node, entity, account, partner, 'opening', amount, owner
        FROM entry WHERE period = seg
        UNION ALL
        -- every other entry: its flow, measured as the change since the opening
        SELECT node, entity, account, partner, flow,
               sum(CASE WHEN period = $period THEN amount ELSE -amount END), owner
        FROM entry
        WHERE NOT shared AND flow <> 'translation'
          -- (the equity method's balance-sheet lines are cumulative: their change)
          AND (flow <> 'profit' OR period = $period OR in_year
               OR step = 'equity_method' AND NOT is_pl)
        GROUP BY ALL
        UNION ALL
        -- the same share of OCI on the carrying amount of the associate
        SELECT c.node, c.entity, i.account, c.partner, x.flow,
               sum(x.sign * CASE WHEN c.period = $period THEN c.amount ELSE -c.amount END),
               c.owner
        FROM entry c
        JOIN (SELECT DISTINCT e.period, e.node, e.entity, e.partner, e.account
              FROM entry e JOIN account a ON a.account = e.account AND a.role = 'investment'
              WHERE e.step = 'equity_method') i
          ON i.period = c.period AND i.node = c.node AND i.entity = c.entity
         AND i.partner = c.partner
        CROSS JOIN (VALUES ('oci', -1), ('profit', 1)) x(flow, sign)
        WHERE c.step = 'equity_method' AND c.flow = 'oci'
        GROUP BY ALL
        UNION ALL
        -- (an elimination belongs to the entity that booked the line, SPEC 17)
        SELECT *, entity FROM ic_share
        UNION ALL
        SELECT node, entity, account, partner, flow, amount, entity FROM investment_share
        UNION ALL
        SELECT *, entity FROM goodwill_share
    ),
    -- SPEC 7.3, 15.5, 17, 19.1: NCI entries take (1 - eff) of each flow of
    -- what a subsidiary's NCI shares in (consolidation/nci.py): its own
    -- equity and the node's equity and P&L entries that belong to it, share
    -- capital aside (eliminated with the investment, 7.3); on the key, and
    -- opposite on nci_equity. Opening flows are the NCI entries' own
    -- opening but in the first fiscal year, which has no prior entries.
    nci_share AS (
        SELECT c.node, c.owner AS entity, c.account, c.partner, c.flow,
               -round((1 - m.effective) * sum(c.amount), 2) AS amount
        FROM counted_owned c
        JOIN now_member m ON m.node = c.node AND m.entity = c.owner AND m.depth > 0
        JOIN account a ON a.account = c.account
        WHERE a.type = 'equity' AND a.role <> 'share_capital' AND c.account <> $nci_equity
          AND (c.flow <> 'opening' OR m.seg = '')
          AND EXISTS (SELECT 1 FROM entry x WHERE x.node = c.node AND x.step LIKE 'nci_%')
        GROUP BY c.node, c.owner, c.account, c.partner, c.flow, m.effective
    ),
    counted AS (
        SELECT node, entity, account, partner, flow, amount FROM counted_owned
        UNION ALL
        SELECT * FROM nci_share
        UNION ALL
        SELECT node, entity, $nci_equity, '', flow, -sum(amount) FROM nci_share GROUP BY ALL
    ),
    -- after an event in the year: the flows to E-1, then the segment's
    -- (its opening, E-1's balances, is not counted again)
    year_flows AS (
        SELECT c.* FROM counted c JOIN segment g USING (node)
        WHERE NOT (g.in_year AND c.flow = 'opening')
        UNION ALL
        SELECT b.node, b.entity, b.account, b.partner, b.flow, b.amount
        FROM node_flow b JOIN segment g ON g.node = b.node AND b.period = g.seg
        WHERE g.in_year AND b.flow <> 'translation'
    ),
    closing AS (
        SELECT m.node, t.entity, s.account,
               CASE WHEN s.is_pl THEN '' ELSE t.partner END AS partner, t.amount_group AS amount
        FROM translated_balance t
        JOIN now_member m USING (entity)
        JOIN seen_account s ON s.booked = t.account
        WHERE t.period = $period
        UNION ALL
        SELECT node, entity, account, partner, amount FROM entry WHERE period = $period
    ),
    translation AS (
        SELECT node, entity, account, partner, 'translation' AS flow,
               coalesce(c.amount, 0) - coalesce(f.amount, 0) AS amount
        FROM (SELECT node, entity, account, partner, sum(amount) AS amount
              FROM closing GROUP BY ALL) c
        FULL JOIN (SELECT node, entity, account, partner, sum(amount) AS amount
                   FROM year_flows GROUP BY ALL) f
        USING (node, entity, account, partner)
    )
    SELECT $period, node, entity, account, partner, flow, sum(amount)
    FROM (SELECT * FROM year_flows UNION ALL SELECT * FROM translation)
    GROUP BY ALL
    HAVING sum(amount) <> 0
"""


def write_node_flows(
    settings: Settings, con: duckdb.DuckDBPyConnection, params: dict[str, object]
) -> None:
    """Insert the period's node flows (``params`` of :func:`flows.flow_params`;
    the entity flows of the period and of every segment start written)."""
    period, prior = str(params["period"]), str(params["prior"])
    con.execute(
        "CREATE OR REPLACE TEMP TABLE flow_segment (node VARCHAR, seg VARCHAR, in_year BOOLEAN)"
    )
    segments = flow_segments(con, settings, period, prior)
    if segments:
        con.executemany("INSERT INTO flow_segment VALUES (?, ?, ?)", segments)
    names = {**params, "disposal_gain": settings.accounts.disposal_gain or ""}
    con.execute(_NODE_FLOWS, {k: v for k, v in names.items() if f"${k}" in _NODE_FLOWS})
    con.execute("DROP TABLE flow_segment")

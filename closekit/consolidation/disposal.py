"""Loss of control (SPEC 16.1; IFRS 10.25, 10.B97-B99; IAS 21.48).

When Q loses control of S at P (S is ``equity`` or ``none`` from P on), S
and its sub-group leave every node that held them: from P their balance
sheet, goodwill and NCI are no longer consolidated. Measured once at Q from
the node figures of P-1:

  gain = Pr + FVr + NCI - NA - GW - CTAo

Pr: the proceeds, Q's own gain on S (role ``disposal_gain``, partner S) plus
the decrease of Q's investment in S in P; FVr: the fair value of a stake Q
keeps (``fair_value`` at closing(S, P-1)). NCI, NA, GW and CTAo are the
sub-group's at Q at P-1 (S and the entities that leave with it, SPEC 14):
NCI the node's NCI in its members; NA their translated net assets plus the
node's balance-sheet lines of its members (S's investments in its
subsidiaries reversed, the unrealised profit in their stock); GW the
goodwill on its members; CTAo the owners' cumulative exchange differences
of the members and of their goodwill (debit positive), recycled to profit
or loss (IAS 21.48) inside the one gain.

At every node that held S, the entries fixed at P (``event_line``) are: the
sub-group's P&L of the year's periods before P (its members' own lines and
the node's P&L entries with them, which IFRS 10.B88 keeps) with the NCI's
share of them; Q's own gain reversed; the group gain on ``[accounts]
disposal_gain``; the owners' share of the members' reserves other than CTA
carried to retained earnings; a kept stake carried at FVr. They repeat every
later period, on retained earnings after the roll (:func:`disposal_entries`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.entries import INSERT_ENTRY, INSERT_EVENT_LINE
from closekit.consolidation.measured import (
    MissingEventAccount,
    Rates,
    investment_balance,
    node_sum,
    own_gain_lines,
    round_cents,
    translated_sum,
)
from closekit.consolidation.structure import Event, PeriodStructure
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# The node's lines at P-1 that make up the sub-group's P&L of the year before
# P: its members' own translated P&L and the node's P&L entries with a member
# (eliminations of either side, pre-acquisition reversals, acquisition
# gains); NCI entries aside. $members is S and the entities that leave with
# it; each line is counted once, with the member it belongs to.
_KEPT_PL_SQL = (
    INSERT_EVENT_LINE
    + """
SELECT $period, $s, m.node, x.entity, x.partner, x.account, x.profit_center, x.cost_center,
       sum(x.amount), 'result of ' || $s || ' before its disposal', any_value(x.owner)
FROM node_member m
JOIN (
    SELECT NULL AS node, entity, partner, account, profit_center, cost_center,
           amount_group AS amount, entity AS owner
    FROM translated_balance WHERE period = $prior AND list_contains($members, entity)
    UNION ALL
    SELECT node, entity, partner, account, profit_center, cost_center, amount_group, owner
    FROM consolidation_entry
    WHERE period = $prior AND step NOT IN ('nci_result', 'nci_reserves')
      AND (list_contains($members, entity) OR list_contains($members, partner)
           OR list_contains($members, owner))
) x ON x.node IS NULL OR x.node = m.node
JOIN account a ON a.account = x.account AND a.type IN ('revenue', 'expense')
WHERE m.period = $prior AND m.entity = $s AND m.depth > 0 AND $same_year
GROUP BY m.node, x.entity, x.partner, x.account, x.profit_center, x.cost_center
HAVING sum(x.amount) <> 0
UNION ALL
-- the NCI's share of that result (its NCI itself leaves with the sub-group)
SELECT $period, $s, node, $s, '', account, '', '', sum(amount_group),
       'NCI share of the result of ' || $s || ' before its disposal', ''
FROM consolidation_entry
WHERE period = $prior AND step = 'nci_result' AND list_contains($members, entity)
  AND account = $nci_profit AND $same_year
GROUP BY node, account
UNION ALL
-- the owners' share of the members' reserves other than CTA, kept in
-- retained earnings; after the roll these include P-1's result (the owners'
-- share: the NCI's nci_profit lines belong to the members)
SELECT $period, $s, m.node, $q, '', $retained_earnings, '', '', sum(x.amount),
       'reserves of ' || $s || ' to retained earnings', ''
FROM node_member m
JOIN (
    SELECT NULL AS node, account, amount_group AS amount
    FROM translated_balance WHERE period = $prior AND list_contains($members, entity)
    UNION ALL
    SELECT node, account, amount_group FROM consolidation_entry
    WHERE period = $prior AND list_contains($members, owner) AND account <> $nci_equity
) x ON x.node IS NULL OR x.node = m.node
JOIN account a ON a.account = x.account
 AND (a.type = 'equity' OR (NOT $same_year AND a.type IN ('revenue', 'expense')))
WHERE m.period = $prior AND m.entity = $s AND m.depth > 0 AND x.account <> $cta
GROUP BY m.node
HAVING sum(x.amount) <> 0
"""
)


def sub_group(structure: PeriodStructure, s: str) -> list[str]:
    """S and every entity that loses control with it (SPEC 14, 16.1)."""
    members = [s]
    for member in members:
        members += [
            e.entity
            for e in structure.events
            if e.kind == "loss_of_control" and e.sub_group_of == member
        ]
    return members


def measure_loss_of_control(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    rates: Rates,
    structure: PeriodStructure,
    event: Event,
) -> None:
    """Measure S's disposal at Q and fix its entries at every node that held
    S (caller holds the transaction; P-1 is consolidated)."""
    accounts = settings.accounts
    period, s, q = structure.period, event.entity, event.holder
    prior = structure.previous or period
    if accounts.disposal_gain is None:
        raise MissingEventAccount(
            f"the loss of control of {s} in {period} needs [accounts] disposal_gain "
            "in closekit.toml"
        )
    start = settings.fiscal_year_start
    same_year = fiscal_year_start(prior, start) == fiscal_year_start(period, start)
    kept = investment_balance(con, period, q, s)
    decrease = investment_balance(con, prior, q, s) - kept
    own_lines = own_gain_lines(con, settings, period, prior, q, s)
    own_gain = -sum((line[4] for line in own_lines), Decimal(0))
    fair = Decimal(0)
    if event.after.ownership > 0:
        row = con.execute(
            "SELECT fair_value FROM ownership WHERE entity = ? AND from_period = ?",
            [s, period],
        ).fetchone()
        fair_fc = Decimal(row[0]) if row and row[0] is not None else Decimal(0)
        fair = round_cents(fair_fc * rates.closing(s, prior, f"the disposal of {s} in {period}"))
    # The sub-group's figures at Q: its members' translated balances and the
    # node's lines with them (their goodwill, NCI and CTA; for NA below).
    members = sub_group(structure, s)
    nci = -node_sum(
        con,
        prior,
        q,
        "list_contains($m, entity) AND account = $a",
        m=members,
        a=accounts.nci_equity,
    )
    goodwill = node_sum(
        con, prior, q, "list_contains($m, partner) AND account = $a", m=members, a=accounts.goodwill
    )
    net_assets = sum(
        (translated_sum(con, prior, m, "a.type IN ('asset', 'liability')") for m in members),
        Decimal(0),
    ) + node_sum(
        # and the node's balance-sheet lines of its members that leave with
        # them: S's investments in its subsidiaries reversed, the unrealised
        # profit in their stock, top-side lines (SPEC 16.1); not Q's
        # investment or their goodwill, which are measured apart
        con,
        prior,
        q,
        "list_contains($m, entity) AND account <> $gw AND account IN "
        "(SELECT account FROM account WHERE type IN ('asset', 'liability'))",
        m=members,
        gw=accounts.goodwill,
    )
    owners_cta = sum(
        (translated_sum(con, prior, m, "t.account = $a", a=accounts.cta) for m in members),
        Decimal(0),
    ) + node_sum(
        con,
        prior,
        q,
        "account = $a AND (list_contains($m, owner) OR list_contains($m, partner))",
        m=members,
        a=accounts.cta,
    )
    proceeds = own_gain + decrease
    gain = proceeds + fair + nci - net_assets - goodwill - owners_cta
    params = {
        "period": period,
        "prior": prior,
        "s": s,
        "q": q,
        "same_year": same_year,
        "nci_profit": accounts.nci_profit,
        "nci_equity": accounts.nci_equity,
        "retained_earnings": accounts.retained_earnings,
        "cta": accounts.cta,
        "members": members,
    }
    con.execute(_KEPT_PL_SQL, params)
    nodes = [
        n
        for (n,) in con.execute(
            "SELECT node FROM node_member WHERE period = ? AND entity = ? AND depth > 0",
            [prior, s],
        ).fetchall()
    ]
    fixed: list[tuple[str, str, str, str, str, Decimal, str, str]] = []
    for node in nodes:
        for account, partner, pc, cc, amount in own_lines:
            fixed.append(
                (
                    node,
                    q,
                    partner,
                    account,
                    pc + "|" + cc,
                    -Decimal(amount),
                    f"{q}'s own gain on {s} reversed",
                    q,
                )
            )
        fixed.append(
            (
                node,
                q,
                s,
                accounts.disposal_gain,
                "|",
                -gain,
                f"group gain on the disposal of {s}",
                q,
            )
        )
        if fair or kept:
            inv = con.execute(
                """SELECT t.account FROM translated_balance t
                   JOIN account a ON a.account = t.account AND a.role = 'investment'
                   WHERE t.period = ? AND t.entity = ? AND t.partner = ? LIMIT 1""",
                [prior, q, s],
            ).fetchone()
            assert inv is not None
            fixed.append(
                (node, q, s, str(inv[0]), "|", fair - kept, f"stake kept in {s} at fair value", q)
            )
    if fixed:
        con.executemany(
            INSERT_EVENT_LINE + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (period, s, node, entity, partner, account, *dims.split("|"), amount, note, owner)
                for node, entity, partner, account, dims, amount, note, owner in fixed
            ],
        )
    # At a node N above Q, the node's NCI in S was larger than Q's: (1 - eff_N(Q))
    # of Q's owners' share of S (its result and reserves above) was N's NCI
    # through Q, and stays N's NCI in Q after S leaves (SPEC 14: an event's
    # entries at nodes above Q belong to Q). The lines leave exactly that
    # difference at N (nothing at Q); it is carried on nci_equity, Q's.
    con.execute(
        INSERT_EVENT_LINE
        + """SELECT $period, $s, node, $q, '', $nci_equity, '', '', -sum(amount_group),
                  'disposal of ' || $s || ': NCI of the node above its holder', $q
           FROM event_line WHERE period = $period AND entity = $s
           GROUP BY node HAVING sum(amount_group) <> 0""",
        {"period": period, "s": s, "q": q, "nci_equity": accounts.nci_equity},
    )
    con.execute(
        """INSERT INTO consolidation_event (period, entity, kind, holder, ownership_before,
               ownership_after, net_assets, consideration, nci, goodwill_fc, gain,
               cta_reclassified)
           VALUES (?, ?, 'loss_of_control', ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            period,
            s,
            q,
            event.before.ownership / 100,
            event.after.ownership / 100,
            net_assets,
            proceeds + fair,
            nci,
            goodwill,
            gain,
            owners_cta,
        ],
    )


def disposal_entries(con: duckdb.DuckDBPyConnection, settings: Settings, period: str) -> None:
    """Every disposal's fixed lines at the nodes of ``period``: P&L lines while
    the disposal's fiscal year runs, on retained earnings after the roll."""
    start = settings.fiscal_year_start
    con.execute(
        f"""
        {INSERT_ENTRY}
        SELECT $period, l.node, l.step, l.line_entity,
               CASE WHEN pl_closed THEN '' ELSE l.partner END,
               CASE WHEN pl_closed THEN $retained_earnings ELSE l.account END,
               CASE WHEN pl_closed THEN '' ELSE l.profit_center END,
               CASE WHEN pl_closed THEN '' ELSE l.cost_center END,
               sum(l.amount_group), any_value(l.note), l.owner, l.flow
        FROM (
            SELECT l.*, a.type IN ('revenue', 'expense') AND l.period < $year AS pl_closed
            FROM event_line l JOIN account a USING (account)
            WHERE l.period <= $period
        ) l
        JOIN node_member n ON n.period = $period AND n.node = l.node AND n.depth = 0
        GROUP BY ALL
        HAVING sum(l.amount_group) <> 0
        """,
        {
            "period": period,
            "year": fiscal_year_start(period, start),
            "retained_earnings": settings.accounts.retained_earnings,
        },
    )

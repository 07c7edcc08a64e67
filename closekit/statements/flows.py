"""Flows (SPEC 19.1): every group-currency movement of a balance-sheet key,
from the prior fiscal year end to the period, at each entity (translated)
and at each consolidation node.

A key is entity x account x partner (profit and cost centres summed). The
balance sheet is seen after the fiscal-year roll: P&L accounts count on
retained earnings (``[accounts] retained_earnings``, no partner) with flow
``profit``. :func:`write_flows` rebuilds ``entity_flow`` and ``node_flow``
for one period (consolidation calls it once the entries are written):

- ``opening``: the key's balance at the prior fiscal year end; in the fiscal
  year of the first period (no earlier period folder), the opening rows:
  on closing-rate accounts at the closing rate of the month before when
  fx_rates.csv gives it, else measured like a movement of their period.
- every other flow of an entity comes from its journal lines of the fiscal
  year, each period x key x flow measured as translation measures a movement
  (functional x average rate, rounded, or the line's own ``amount_group`` on
  historical- and average-rate accounts); ``profit`` is the translated P&L of
  the year (less the opening rows on P&L accounts, which are opening).
- the opening rows translated at their rates leave a difference: the CTA
  brought forward, the CTA key's ``opening``.
- ``translation`` of a key is its closing balance less every other flow, so
  opening + flows = closing for every key, by construction. The CTA key
  moves only by translation: it holds every exchange difference, including
  what the two sides of a document measured at different rates leave (cash
  at the average rate, capital at its historical amount), so its translation
  flow is the period's exchange differences on foreign operations (OCI).

At a node, a member's flows count from the period it is a member of the node
at both ends: one that joined since the prior year end brings its balances at
that date in as ``acquisition``, one that left takes them out as ``disposal``.
Consolidation entries that take a share of members' balances take the same
share of their flows (SPEC 19.1: "NCI entries take the flow of the movement
they share; an elimination's plug takes the eliminated line's flow"):
eliminated intercompany balances and their plugs, the investment, the
subsidiary's share capital, NCI and goodwill (SPEC 7.3), NCI in results and
reserves. The first fiscal year's opening is so measured on the opening
balances; later, the entries at the prior year end are the opening. Other
entries' P&L lines are ``profit``, their other lines their ``flow``, measured
as the change since the prior year end. The node's translation is again the
residual per key.
"""

from __future__ import annotations

import duckdb

from closekit.errors import PeriodError
from closekit.periods import fiscal_year_start, period_folders
from closekit.status import require_step
from closekit.workspace import Settings

# SPEC 19.1, in the order statements show them.
FLOWS = (
    "opening",
    "profit",
    "oci",
    "translation",
    "acquisition",
    "disposal",
    "ownership_change",
    "dividend",
    "capital",
    "movement",
)


class MissingFlowRate(PeriodError):
    """A foreign entity's movement needs an average rate that fx_rates.csv lacks."""


# Accounts seen on the balance sheet after the roll: P&L on retained earnings.
_SEEN = """
    seen_account AS (
        SELECT account AS booked,
               type IN ('revenue', 'expense') AS is_pl,
               CASE WHEN type IN ('revenue', 'expense') THEN $re ELSE account END AS account
        FROM account
    )
"""

# SPEC 19.1: a functional movement of period t measured in group currency as
# translation measures it (SPEC 7.1): 1:1 in the group currency, the line's
# amount_group on historical and average accounts, else x average(t) rounded
# per period x key. An opening row on a closing-rate account is a balance at
# the end of the month before: at that month's closing rate when
# fx_rates.csv gives it.
_MEASURED = """
    CASE WHEN e.currency = $group_currency THEN j.amount
         WHEN j.has_group AND a.rate <> 'closing' THEN j.amount_group
         WHEN j.amount = 0 THEN 0
         WHEN j.flow = 'opening' AND a.rate = 'closing' AND before.closing IS NOT NULL
         THEN round(j.amount * before.closing, 2)
         ELSE round(j.amount * r.average, 2)
    END
"""

_RATES = """
    JOIN entity e USING (entity)
    JOIN account a USING (account)
    LEFT JOIN fx_rate r ON r.period = j.period AND r.currency = e.currency
    LEFT JOIN fx_rate before ON before.currency = e.currency
          AND before.period = strftime(CAST(j.period || '-01' AS DATE) - INTERVAL 1 MONTH, '%Y-%m')
"""

_MOVED = f"""
    moved AS (
        SELECT j.entity, s.account, CASE WHEN s.is_pl THEN '' ELSE j.partner END AS partner,
               s.is_pl, j.flow, {_MEASURED} AS amount
        FROM journal_total j
        {_RATES}
        JOIN seen_account s ON s.booked = j.account
        WHERE j.period BETWEEN $fy_start AND $period
          AND j.flow <> 'translation'
          AND (NOT s.is_pl OR j.flow = 'opening')
    )
"""

_MISSING = f"""
    SELECT DISTINCT e.currency, j.period
    FROM journal_total j
    {_RATES}
    WHERE j.period BETWEEN $fy_start AND $period AND j.flow <> 'translation'
      AND ({_MEASURED}) IS NULL
    ORDER BY ALL
"""

# Each entity's translated flows (SPEC 19.1).
_ENTITY_FLOWS = f"""
    INSERT INTO entity_flow
    WITH {_SEEN}, {_MOVED},
    seen AS (
        SELECT t.period, t.entity, s.account,
               CASE WHEN s.is_pl THEN '' ELSE t.partner END AS partner,
               s.is_pl, t.amount_group AS amount
        FROM translated_balance t
        JOIN seen_account s ON s.booked = t.account
        WHERE t.period = $period OR t.period = $prior
    ),
    closing AS (
        SELECT entity, account, partner, sum(amount) AS amount
        FROM seen WHERE period = $period GROUP BY ALL
    ),
    counted AS (
        SELECT entity, account, partner, 'opening' AS flow, amount FROM seen WHERE period = $prior
        UNION ALL
        -- the year's result: the translated P&L less the opening rows on P&L accounts
        SELECT entity, account, partner, 'profit', amount FROM seen
        WHERE period = $period AND is_pl
        UNION ALL
        SELECT entity, account, partner, 'profit', -amount FROM moved WHERE is_pl
        UNION ALL
        SELECT entity, account, partner, flow, amount FROM moved
    ),
    -- The opening rows translated at their rates do not balance: the
    -- difference is the CTA brought forward (first fiscal year only).
    leftover AS (
        SELECT entity, $cta AS account, '' AS partner, 'opening' AS flow, -sum(amount) AS amount
        FROM counted WHERE flow = 'opening' GROUP BY ALL
    ),
    flows AS (SELECT * FROM counted UNION ALL SELECT * FROM leftover),
    translation AS (
        SELECT entity, account, partner, 'translation' AS flow,
               coalesce(c.amount, 0) - coalesce(f.amount, 0) AS amount
        FROM closing c
        FULL JOIN (SELECT entity, account, partner, sum(amount) AS amount FROM flows GROUP BY ALL) f
        USING (entity, account, partner)
    )
    SELECT $period, entity, account, partner, flow, sum(amount)
    FROM (SELECT * FROM flows UNION ALL SELECT * FROM translation)
    GROUP BY ALL
    HAVING sum(amount) <> 0
"""

# Each node's flows: members' flows and the node's entries (SPEC 19.1).
_NODE_FLOWS = f"""
    INSERT INTO node_flow
    WITH {_SEEN},
    now_member AS (SELECT * FROM node_member WHERE period = $period),
    was_member AS (SELECT * FROM node_member WHERE period = $prior),
    -- members' own flows; a member that joined since the prior year end
    -- brings its balances in (acquisition), one that left takes them out
    books AS (
        SELECT m.node, f.entity, f.account, f.partner,
               CASE WHEN f.flow = 'opening' AND $prior <> '' AND w.entity IS NULL
                    THEN 'acquisition' ELSE f.flow END AS flow,
               f.amount
        FROM entity_flow f
        JOIN now_member m USING (entity)
        LEFT JOIN was_member w ON w.node = m.node AND w.entity = m.entity
        WHERE f.period = $period AND f.flow <> 'translation'
        UNION ALL
        SELECT w.node, f.entity, f.account, f.partner, x.flow, x.sign * f.amount
        FROM entity_flow f
        JOIN was_member w USING (entity)
        CROSS JOIN (VALUES ('opening', 1), ('disposal', -1)) x(flow, sign)
        WHERE f.period = $period AND f.flow = 'opening'
          AND NOT EXISTS (SELECT 1 FROM now_member m WHERE m.node = w.node AND m.entity = w.entity)
    ),
    -- A member's flows an entry shares: all but translation (the residual),
    -- and opening only in the first fiscal year (later, the entries at the
    -- prior year end are the opening).
    shareable AS (
        SELECT f.*, m.node, m.direct_parent AS holder, m.ownership, m.effective, m.depth
        FROM entity_flow f JOIN now_member m USING (entity)
        WHERE f.period = $period AND f.flow <> 'translation'
          AND (f.flow <> 'opening' OR $prior = '')
    ),
    entry AS (
        SELECT c.period, c.node, c.step, c.entity, s.account,
               CASE WHEN s.is_pl THEN '' ELSE c.partner END AS partner,
               CASE WHEN s.is_pl THEN 'profit'
                    -- the plug of an eliminated dividend takes its flow (SPEC 17, 19.1)
                    WHEN c.step = 'ic_elimination' AND c.account IN
                         (SELECT ic_plug FROM account WHERE role = 'dividend_income')
                    THEN 'dividend'
                    ELSE c.flow END AS flow,
               c.amount_group AS amount,
               -- entries that share the flows of the balances they take (below)
               c.step IN ('nci_result', 'nci_reserves', 'investment')
               OR c.step = 'ic_elimination' AND NOT s.is_pl AND (
                   a.ic_plug <> '' OR c.account IN (
                       SELECT ic_plug FROM account
                       WHERE ic_plug <> '' AND type NOT IN ('revenue', 'expense'))
               ) AS shared
        FROM consolidation_entry c
        JOIN seen_account s ON s.booked = c.account
        JOIN account a ON a.account = c.account
        WHERE c.period = $period OR c.period = $prior
    ),
    -- SPEC 7.2: an eliminated intercompany balance takes the flows of the
    -- key it eliminates; its plug the same flows, opposite.
    ic_share AS (
        SELECT f.node, f.entity, f.account, f.partner, f.flow, -f.amount AS amount
        FROM shareable f
        JOIN account a ON a.account = f.account AND a.ic_plug <> ''
        JOIN now_member p ON p.node = f.node AND p.entity = f.partner
        WHERE a.type NOT IN ('revenue', 'expense')
          AND EXISTS (SELECT 1 FROM entry x WHERE x.node = f.node AND x.step = 'ic_elimination')
        UNION ALL
        SELECT f.node, f.entity, a.ic_plug, f.partner, f.flow, f.amount
        FROM shareable f
        JOIN account a ON a.account = f.account AND a.ic_plug <> ''
        JOIN now_member p ON p.node = f.node AND p.entity = f.partner
        WHERE a.type NOT IN ('revenue', 'expense')
          AND EXISTS (SELECT 1 FROM entry x WHERE x.node = f.node AND x.step = 'ic_elimination')
    ),
    -- SPEC 7.3: the investment and the subsidiary's share capital take their
    -- keys' flows, opposite; NCI (1 - own) of the capital's; goodwill the rest.
    investment_share AS (
        SELECT f.node, f.entity, f.account, f.partner, f.flow, -f.amount AS amount,
               f.partner AS subsidiary, 'investment' AS part
        FROM shareable f
        JOIN account a ON a.account = f.account AND a.role = 'investment'
        JOIN now_member s ON s.node = f.node AND s.entity = f.partner AND s.depth > 0
                         AND s.direct_parent = f.entity
        UNION ALL
        SELECT f.node, f.entity, f.account, f.partner, f.flow, -f.amount,
               f.entity, 'capital'
        FROM shareable f
        JOIN account a ON a.account = f.account AND a.role = 'share_capital'
        WHERE f.depth > 0
        UNION ALL
        SELECT f.node, f.entity, $nci_equity, '', f.flow,
               round((1 - f.ownership) * f.amount, 2), f.entity, 'nci'
        FROM shareable f
        JOIN account a ON a.account = f.account AND a.role = 'share_capital'
        WHERE f.depth > 0
    ),
    goodwill_share AS (
        SELECT i.node, s.direct_parent AS entity, $goodwill AS account, i.subsidiary AS partner,
               i.flow, -sum(i.amount) AS amount
        FROM investment_share i
        JOIN now_member s ON s.node = i.node AND s.entity = i.subsidiary
        GROUP BY ALL
    ),
    -- SPEC 7.3, 15.5, 19.1: NCI entries take (1 - eff) of each flow of the
    -- subsidiary's equity other than share capital: on the key, and
    -- opposite on nci_equity.
    nci_share AS (
        SELECT f.node, f.entity, f.account, f.partner, f.flow,
               -round((1 - f.effective) * f.amount, 2) AS amount
        FROM shareable f
        JOIN account a ON a.account = f.account
        WHERE f.depth > 0 AND a.type = 'equity' AND a.role <> 'share_capital'
          AND f.account <> $nci_equity
          AND EXISTS (SELECT 1 FROM entry x WHERE x.node = f.node AND x.step LIKE 'nci_%')
    ),
    counted AS (
        SELECT * FROM books
        UNION ALL
        SELECT node, entity, account, partner, 'opening', amount FROM entry WHERE period = $prior
        UNION ALL
        -- every other entry: its flow, measured as the change since the prior year end
        SELECT node, entity, account, partner, flow,
               sum(CASE WHEN period = $period THEN amount ELSE -amount END)
        FROM entry
        WHERE NOT shared AND flow <> 'translation' AND (flow <> 'profit' OR period = $period)
        GROUP BY ALL
        UNION ALL
        SELECT * FROM ic_share
        UNION ALL
        SELECT node, entity, account, partner, flow, amount FROM investment_share
        UNION ALL
        SELECT * FROM goodwill_share
        UNION ALL
        SELECT * FROM nci_share
        UNION ALL
        SELECT node, entity, $nci_equity, '', flow, -sum(amount) FROM nci_share GROUP BY ALL
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
                   FROM counted GROUP BY ALL) f
        USING (node, entity, account, partner)
    )
    SELECT $period, node, entity, account, partner, flow, sum(amount)
    FROM (SELECT * FROM counted UNION ALL SELECT * FROM translation)
    GROUP BY ALL
    HAVING sum(amount) <> 0
"""


def prior_year_end(settings: Settings, period: str) -> str:
    """The last period folder before ``period``'s fiscal year, '' in the
    fiscal year of the first period (whose opening is the opening rows)."""
    start = fiscal_year_start(period, settings.fiscal_year_start)
    earlier = [p for p in period_folders(settings.ledgers_dir) if p < start]
    return earlier[-1] if earlier else ""


def flow_params(settings: Settings, period: str, prior: str) -> dict[str, object]:
    return {
        "period": period,
        "prior": prior,
        "fy_start": fiscal_year_start(period, settings.fiscal_year_start),
        "group_currency": settings.currency,
        "re": settings.accounts.retained_earnings,
        "cta": settings.accounts.cta,
        "nci_equity": settings.accounts.nci_equity,
        "goodwill": settings.accounts.goodwill,
    }


def used(sql: str, params: dict[str, object]) -> dict[str, object]:
    """The parameters ``sql`` names (DuckDB refuses any other)."""
    return {name: value for name, value in params.items() if f"${name}" in sql}


def write_flows(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Rebuild ``period``'s entity and node flows (caller holds the
    transaction, after translation and every consolidation entry).

    Needs the prior fiscal year end consolidated (its balances are the
    opening); raises :class:`MissingFlowRate` naming every currency and
    period whose average rate a movement needs.
    """
    prior = prior_year_end(settings, period)
    if prior:
        require_step(con, prior, "consolidated")
    params = flow_params(settings, period, prior)
    missing = con.execute(_MISSING, used(_MISSING, params)).fetchall()
    if missing:
        raise MissingFlowRate(
            f"cannot measure the flows of {period}: fx_rates.csv lacks "
            + ", ".join(f"{currency} {p} (average)" for currency, p in missing)
        )
    con.execute("DELETE FROM entity_flow WHERE period = ?", [period])
    con.execute("DELETE FROM node_flow WHERE period = ?", [period])
    con.execute(_ENTITY_FLOWS, used(_ENTITY_FLOWS, params))
    con.execute(_NODE_FLOWS, used(_NODE_FLOWS, params))

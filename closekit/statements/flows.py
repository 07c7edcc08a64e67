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

- the balance-sheet lines of a holder's documents that post its investment
  in a subsidiary in the period of an acquisition, a change in ownership or
  a loss of control of it are that event's flows (``acquisition``,
  ``ownership_change``, ``disposal``): the consideration (IAS 7.39-42A).

Each node's flows are :mod:`closekit.statements.node_flows`'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.errors import PeriodError
from closekit.periods import fiscal_year_start, period_folders
from closekit.statements.node_flows import SEEN, write_node_flows
from closekit.status import require_step
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

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

# IAS 7.39-42A, SPEC 19.2: the balance-sheet lines of the holder's
# documents that post its investment in a subsidiary in the period it
# acquires it, changes its holding or loses control of it are that event's
# flows (the consideration).
_EVENT_LINES = """
    event_doc AS (
        SELECT DISTINCT j.period, j.entity, j.doc_id,
               CASE e.kind WHEN 'loss_of_control' THEN 'disposal'
                           WHEN 'ownership_change' THEN 'ownership_change'
                           ELSE 'acquisition' END AS event_flow
        FROM journal j
        JOIN account a ON a.account = j.account AND a.role = 'investment'
        JOIN consolidation_event e ON e.period = j.period AND e.entity = j.partner
         AND e.holder = j.entity
         AND e.kind IN ('acquisition', 'loss_of_control', 'ownership_change')
        WHERE j.period BETWEEN $fy_start AND $period
    ),
    event_line_total AS (
        SELECT j.period, j.entity, j.account, j.partner, j.flow, d.event_flow,
               sum(j.amount) AS amount, sum(j.amount_group) AS amount_group,
               bool_and(j.amount_group IS NOT NULL) AS has_group
        FROM journal j JOIN event_doc d USING (period, entity, doc_id)
        WHERE j.flow NOT IN ('opening', 'translation')
        GROUP BY ALL
    )
"""

_MOVED = f"""
    {_EVENT_LINES},
    moved AS (
        SELECT j.entity, s.account, CASE WHEN s.is_pl THEN '' ELSE j.partner END AS partner,
               s.is_pl, j.flow, {_MEASURED} AS amount
        FROM journal_total j
        {_RATES}
        JOIN seen_account s ON s.booked = j.account
        WHERE j.period BETWEEN $fy_start AND $period
          AND j.flow <> 'translation'
          AND (NOT s.is_pl OR j.flow = 'opening')
        UNION ALL
        SELECT j.entity, s.account, j.partner, false, j.event_flow, {_MEASURED}
        FROM event_line_total j
        {_RATES}
        JOIN seen_account s ON s.booked = j.account
        WHERE NOT s.is_pl
        UNION ALL
        SELECT j.entity, s.account, j.partner, false, j.flow, -{_MEASURED}
        FROM event_line_total j
        {_RATES}
        JOIN seen_account s ON s.booked = j.account
        WHERE NOT s.is_pl
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
    WITH {SEEN}, {_MOVED},
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
    write_node_flows(settings, con, params)

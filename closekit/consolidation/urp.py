"""Unrealised profit in inventory (SPEC 18.1; IFRS 10.B86(c)).

Goods a group seller S sold to a group buyer B and still in B's stock carry
S's margin, a profit the group has not earned until the goods leave it. B's
stock from S is B's balance on ``inventory``-role accounts with S as
partner, per buyer inventory key (B x account x partner S x profit center x
cost center), in B's functional currency; S's margin is the
``master/ic_margins.csv`` row with the latest period at or before the one
measured (:mod:`closekit.master.margins`).

At every node holding both B and S at the period (``node_member``):

- URP_fc(t) = round(stock_fc(t) x margin(t) / 100, 2) for every period t
  of the fiscal year up to the reported period P, and for the prior fiscal
  year end E (the workspace's opening rows count as E's stock);
- Cr B's inventory key by URP(P) = round(URP_fc(P) x closing(P), 2);
- Dr ``[accounts] unrealised_profit`` by the year's movement, each
  period's rounded at its average rate: sum over t of
  round((URP_fc(t) - URP_fc(t-1)) x average(t), 2), t-1 of the first
  period being E (on the key's profit center, for the vertical view);
- Dr retained earnings by E's group amount, round(URP_fc(E) x closing(E), 2)
  (closing(E) falls back to the first period's when E is before it);
- the difference to CTA: URP(P) - P&L - retained earnings.

The entry balances. It belongs to the seller (``owner`` S): at a node above
S's holder, S's NCI bears (1 - eff(S)) of it (upstream, SPEC 17). Rates are
units of group currency per unit (1 for the group currency): amounts are
multiplied, never divided. One INSERT over every node; the caller holds the
transaction, has translated the period and written its members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.consolidation.entries import INSERT_ENTRY
from closekit.errors import PeriodError
from closekit.periods import add_months, fiscal_year_start, period_folders
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

STEP = "urp"

URP_CTE = """
    WITH margin_row AS (
        SELECT seller, period AS since, margin_pct FROM ic_margin
    ),
    measured AS (  -- E, then the fiscal year's periods up to P
        SELECT unnest($periods) AS period
    ),
    stock AS (  -- the buyer's functional balance from a seller at each period
        SELECT p.period, t.entity AS buyer, t.partner AS seller, t.account,
               t.profit_center, t.cost_center, sum(t.amount) AS stock_fc
        FROM measured p
        JOIN journal_total t
          ON t.period <= p.period OR (p.period = $prior_end AND t.flow = 'opening')
        JOIN account a ON a.account = t.account AND a.role = 'inventory'
        JOIN entity s ON s.entity = t.partner
        WHERE t.entity <> t.partner
        GROUP BY ALL
    ),
    keyed AS (  -- every key with stock in any measured period, at every period
        SELECT DISTINCT buyer, seller, account, profit_center, cost_center FROM stock
    ),
    grid AS (
        SELECT p.period, k.*, coalesce(s.stock_fc, 0) AS stock_fc,
               coalesce((SELECT arg_max(m.margin_pct, m.since) FROM margin_row m
                         WHERE m.seller = k.seller AND m.since <= p.period), 0) AS margin_pct
        FROM measured p CROSS JOIN keyed k
        LEFT JOIN stock s USING (period, buyer, seller, account, profit_center, cost_center)
    ),
    urp_fc AS (
        -- x 0.01, never / 100: a DECIMAL divided in DuckDB is a DOUBLE
        SELECT g.*, round(g.stock_fc * g.margin_pct * 0.01, 2) AS urp,
               e.currency = $group AS in_group_currency, e.currency
        FROM grid g JOIN entity e ON e.entity = g.buyer
    ),
    moved AS (
        SELECT u.*,
               u.urp - lag(u.urp, 1, 0) OVER (
                   PARTITION BY buyer, seller, account, profit_center, cost_center
                   ORDER BY period) AS movement
        FROM urp_fc u
    ),
    rated AS (  -- each amount at its rate, rounded per period x key (SPEC 7.1)
        SELECT m.*,
               CASE WHEN m.in_group_currency THEN m.urp
                    WHEN m.urp = 0 THEN 0
                    ELSE round(m.urp * coalesce(r.closing, f.closing), 2) END AS urp_group,
               CASE WHEN m.in_group_currency THEN m.movement
                    WHEN m.movement = 0 THEN 0
                    ELSE round(m.movement * r.average, 2) END AS movement_group
        FROM moved m
        LEFT JOIN fx_rate r ON r.period = m.period AND r.currency = m.currency
        LEFT JOIN fx_rate f ON f.period = $first AND f.currency = m.currency
    ),
    per_key AS (
        SELECT buyer, seller, account, profit_center, cost_center,
               sum(urp_group) FILTER (WHERE period = $period) AS closing_urp,
               sum(movement_group) FILTER (WHERE period <> $prior_end) AS profit_loss,
               sum(urp_group) FILTER (WHERE period = $prior_end) AS opening_urp
        FROM rated
        GROUP BY ALL
    ),
    node_key AS (  -- at every node holding both seller and buyer
        SELECT nb.node, k.*
        FROM per_key k
        JOIN node_member nb ON nb.period = $period AND nb.entity = k.buyer
        JOIN node_member ns ON ns.period = $period AND ns.node = nb.node
                           AND ns.entity = k.seller
    )
"""

# The lines of each node x key: (entity, partner, account, profit center,
# cost center, amount, note, flow).
_LINES = """
    SELECT $period AS period, node, '{step}' AS step, buyer AS entity, seller AS partner,
           account, profit_center, cost_center, -closing_urp AS amount,
           'unrealised profit of ' || seller || ' in stock of ' || buyer AS note,
           seller AS owner, 'movement' AS flow
    FROM node_key
    UNION ALL
    SELECT $period, node, '{step}', seller, buyer, $unrealised_profit, profit_center, '',
           profit_loss, 'movement of unrealised profit of ' || seller || ' in stock of ' || buyer,
           seller, 'movement'
    FROM node_key
    UNION ALL
    SELECT $period, node, '{step}', seller, buyer, $retained_earnings, '', '',
           opening_urp, 'unrealised profit at the prior year end, ' || seller || ' to ' || buyer,
           seller, 'opening'
    FROM node_key
    UNION ALL
    SELECT $period, node, '{step}', seller, buyer, $cta, '', '',
           closing_urp - profit_loss - opening_urp,
           'exchange difference on unrealised profit, ' || seller || ' to ' || buyer,
           seller, 'translation'
    FROM node_key
"""


def urp_params(settings: Settings, period: str) -> dict[str, object]:
    start = fiscal_year_start(period, settings.fiscal_year_start)
    prior_end = add_months(start, -1)
    folders = period_folders(settings.ledgers_dir)
    year = [p for p in folders if start <= p <= period]
    return {
        "period": period,
        "periods": [prior_end, *year],
        "prior_end": prior_end,
        "first": folders[0] if folders else period,
        "group": settings.currency,
        "unrealised_profit": settings.accounts.unrealised_profit,
        "retained_earnings": settings.accounts.retained_earnings,
        "cta": settings.accounts.cta,
    }


def _missing_rates(con: duckdb.DuckDBPyConnection, params: dict[str, object]) -> list[str]:
    """Foreign buyers' rates the measurement needs that fx_rates lacks."""
    names = ("period", "periods", "prior_end", "first", "group")
    used = {k: v for k, v in params.items() if k in names}
    rows = con.execute(
        URP_CTE
        + """
        SELECT DISTINCT m.currency || ' ' || m.period ||
               CASE WHEN r.closing IS NULL THEN ' (closing)' ELSE ' (average)' END
        FROM moved m
        LEFT JOIN fx_rate r ON r.period = m.period AND r.currency = m.currency
        LEFT JOIN fx_rate f ON f.period = $first AND f.currency = m.currency
        WHERE NOT m.in_group_currency
          AND ((m.period = $period AND m.urp <> 0 AND r.closing IS NULL)
            OR (m.period = $prior_end AND m.urp <> 0 AND r.closing IS NULL
                AND f.closing IS NULL)
            OR (m.period <> $prior_end AND m.movement <> 0 AND r.average IS NULL))
        ORDER BY 1
        """,
        used,
    ).fetchall()
    return [str(r[0]) for r in rows]


def eliminate_unrealised_profit(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> None:
    """URP entries at every node holding a seller with a margin and its buyer.

    Raises PeriodError when a foreign buyer's rate is missing. Nothing to do
    without ``master/ic_margins.csv`` rows.
    """
    ((margins,),) = con.execute("SELECT count(*) FROM ic_margin").fetchall()
    if not margins:
        return
    params = urp_params(settings, period)
    missing = _missing_rates(con, params)
    if missing:
        raise PeriodError(
            "unrealised profit in inventory needs rates fx_rates.csv does not give: "
            + ", ".join(missing)
        )
    con.execute(
        f"""
        {INSERT_ENTRY}
        {URP_CTE}
        SELECT * FROM ({_LINES.format(step=STEP)}) WHERE amount <> 0
        """,
        params,
    )

"""Unrealised profit on transactions with associates (SPEC 16.2, 18.1; IAS
28.28-28.29).

Profit on goods sold between the group and an associate A and still in the
buyer's stock is recognised only to the extent of the other investors'
interests in A: the investor's share o (Q's holding in A) of the
unrealised profit is eliminated at every node that equity-accounts A (every
node Q is a member of, SPEC 16.2). The stock and the seller's margin are
measured as for intra-group stock (:mod:`.urp`, SPEC 18.1): per buyer
inventory key, URP_fc = round(stock_fc x margin / 100), with its closing
amount, the year's movement at each period's average rate and the prior
year end's amount; the investor's share of each is rounded to cents once
and the difference goes to CTA, so every entry balances.

- **Upstream** (A sells to group member B; B's stock with partner A, A's
  margin): Cr B's inventory key by o x URP; the P&L side reduces Q's share
  of profit of A (``[accounts] associate_result``, IAS 28.28), retained
  earnings for the prior year end. The entry belongs to Q, whose share of
  A's profit it corrects.
- **Downstream** (group member G sells to A; A's stock with partner G, G's
  margin): Cr Q's investment in A by o x URP (the carrying amount, since the
  stock is A's; IAS 28.28 leaves the presentation open and this is the
  usual one); Dr ``[accounts] unrealised_profit`` on the seller's side. The
  entry belongs to the seller, as intra-group URP does (SPEC 18.1).

One INSERT over every node; the caller holds the transaction and has run
:func:`closekit.consolidation.urp.eliminate_unrealised_profit` (which
refuses a missing rate of any buyer, an associate included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.consolidation.entries import INSERT_ENTRY
from closekit.consolidation.measured import MissingEventAccount
from closekit.consolidation.urp import URP_CTE, urp_params
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

STEP = "urp_associate"

_ASSOCIATE_CTE = """,
    associate AS (  -- each associate equity-accounted at each node, with Q and o
        SELECT m.node, s.entity AS associate, s.parent AS holder, s.ownership AS o
        FROM structure s
        JOIN node_member m ON m.period = $period AND m.entity = s.parent
        WHERE s.period = $period AND s.method = 'equity'
    ),
    share AS (  -- the investor's share of each key's URP, at every such node
        SELECT a.node, a.holder, a.associate, k.buyer = a.associate AS downstream,
               k.buyer, k.seller, k.account, k.profit_center, k.cost_center,
               round(a.o * k.closing_urp, 2) AS closing_urp,
               round(a.o * k.profit_loss, 2) AS profit_loss,
               round(a.o * k.opening_urp, 2) AS opening_urp
        FROM per_key k
        JOIN associate a ON a.associate IN (k.buyer, k.seller)
        -- the other side is a member of the node
        JOIN node_member o ON o.period = $period AND o.node = a.node
                          AND o.entity = CASE WHEN k.buyer = a.associate THEN k.seller
                                              ELSE k.buyer END
    ),
    investment AS (  -- Q's investment account with A (downstream lines)
        SELECT t.entity AS holder, t.partner AS associate, min(t.account) AS account
        FROM translated_balance t
        JOIN account a ON a.account = t.account AND a.role = 'investment'
        WHERE t.period = $period
        GROUP BY t.entity, t.partner
    )
"""

_LINES = """
    -- upstream: B's stock from A
    SELECT $period, node, $step, buyer, seller, account, profit_center, cost_center,
           -closing_urp AS amount,
           'share of unrealised profit of associate ' || seller || ' in stock of ' || buyer,
           holder, 'movement'
    FROM share WHERE NOT downstream
    UNION ALL
    SELECT $period, node, $step, holder, seller, $associate_result, '', '', profit_loss,
           'share of unrealised profit of associate ' || seller || ' in stock of ' || buyer,
           holder, 'movement'
    FROM share WHERE NOT downstream
    UNION ALL
    -- downstream: A's stock from G, against Q's investment in A
    SELECT $period, s.node, $step, s.holder, s.associate, i.account, '', '', -s.closing_urp,
           'unrealised profit of ' || s.seller || ' in stock of associate ' || s.buyer,
           s.seller, 'movement'
    FROM share s JOIN investment i ON i.holder = s.holder AND i.associate = s.associate
    WHERE s.downstream
    UNION ALL
    SELECT $period, node, $step, seller, buyer, $unrealised_profit, '', '', profit_loss,
           'unrealised profit of ' || seller || ' in stock of associate ' || buyer,
           seller, 'movement'
    FROM share s WHERE downstream
      AND EXISTS (SELECT 1 FROM investment i WHERE i.holder = s.holder
                  AND i.associate = s.associate)
    UNION ALL
    -- both: the prior year end on retained earnings, the rest to CTA
    SELECT $period, node, $step, CASE WHEN downstream THEN seller ELSE holder END,
           CASE WHEN downstream THEN buyer ELSE seller END, $retained_earnings, '', '',
           opening_urp, 'unrealised profit with associates at the prior year end',
           CASE WHEN downstream THEN seller ELSE holder END, 'opening'
    FROM share s
    WHERE NOT downstream OR EXISTS (SELECT 1 FROM investment i WHERE i.holder = s.holder
                                    AND i.associate = s.associate)
    UNION ALL
    SELECT $period, node, $step, CASE WHEN downstream THEN seller ELSE holder END,
           CASE WHEN downstream THEN buyer ELSE seller END, $cta, '', '',
           closing_urp - profit_loss - opening_urp,
           'exchange difference on unrealised profit with associates',
           CASE WHEN downstream THEN seller ELSE holder END, 'translation'
    FROM share s
    WHERE NOT downstream OR EXISTS (SELECT 1 FROM investment i WHERE i.holder = s.holder
                                    AND i.associate = s.associate)
"""


def eliminate_associate_profit(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> None:
    """The investor's share of unrealised profit on sales between the group
    and its associates, at every node equity-accounting them."""
    ((margins,),) = con.execute("SELECT count(*) FROM ic_margin").fetchall()
    ((associates,),) = con.execute(
        "SELECT count(*) FROM structure WHERE period = ? AND method = 'equity'", [period]
    ).fetchall()
    if not margins or not associates:
        return
    params = urp_params(settings, period)
    sql = f"""
        {INSERT_ENTRY}
        {URP_CTE}
        {_ASSOCIATE_CTE}
        SELECT * FROM ({_LINES}) WHERE amount <> 0
    """
    rows = con.execute(
        f"{URP_CTE}{_ASSOCIATE_CTE} SELECT bool_or(downstream), bool_or(NOT downstream) "
        "FROM share WHERE closing_urp <> 0 OR profit_loss <> 0 OR opening_urp <> 0",
        {k: params[k] for k in ("period", "periods", "prior_end", "first", "group")},
    ).fetchone()
    downstream, upstream = rows if rows else (None, None)
    for needed, key in ((downstream, "unrealised_profit"), (upstream, "associate_result")):
        if needed and getattr(settings.accounts, key) is None:
            raise MissingEventAccount(
                f"unrealised profit with associates in {period} needs [accounts] {key} "
                "in closekit.toml"
            )
    con.execute(
        sql,
        {
            **params,
            "step": STEP,
            "associate_result": settings.accounts.associate_result or "",
        },
    )

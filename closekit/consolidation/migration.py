"""Subsidiaries already held at the first period (SPEC 15.2, 15.4; IFRS 3;
IAS 21.47).

A subsidiary that is a member from the workspace's first period has no
acquisition event in closekit. With the migration columns of its ownership
row (15.4) it brings its pre-acquisition equity, acquisition rate, goodwill
and NCI at acquisition; without them it is consolidated as v1 did (15.2):
NA0 is its share capital, and its goodwill is fixed in its own currency at
the historical rate of that share capital, then translated at closing rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.measured import (
    Measured,
    Rates,
    acquired_net_assets,
    investment_balance,
    round_cents,
)
from closekit.consolidation.structure import Member
from closekit.fx import implied_rate, to_currency
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


def first_period(
    con: duckdb.DuckDBPyConnection, rates: Rates, period: str, member: Member
) -> Measured:
    """SPEC 15.2 (v1's 7.3): NA0 = S's share capital at the first period."""
    s, q, own = member.entity, member.direct_parent, member.ownership
    con.execute(
        """INSERT INTO acquisition_key (period, entity, account, partner, profit_center,
               cost_center, amount, amount_group)
           SELECT $p, $s, t.account, partner, profit_center, cost_center,
                  sum(t.amount), sum(t.amount_group)
           FROM translated_balance t
           JOIN account a ON a.account = t.account AND a.role = 'share_capital'
           WHERE t.period = $p AND t.entity = $s
           GROUP BY t.account, partner, profit_center, cost_center""",
        {"p": period, "s": s},
    )
    net_assets, net_assets_fc = acquired_net_assets(con, period, s)
    nci = round_cents((1 - own) * net_assets)
    cost = investment_balance(con, period, q, s)
    goodwill = cost - net_assets + nci
    if not rates.foreign(s):
        rate = Decimal(1)
    elif net_assets_fc and net_assets:
        # the historical rate of its share capital (SPEC 15.2); none is
        # implied by an amount that translates to zero cents
        rate = implied_rate(net_assets, net_assets_fc)
    else:
        rate = rates.closing(s, period, f"the goodwill on {s}")
    return Measured(
        s,
        "first_period",
        q,
        "",
        own,
        net_assets,
        net_assets_fc,
        cost,
        None,
        nci,
        to_currency(goodwill, rate) if rate != 1 else goodwill,
        rate,
    )


def migration(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    member: Member,
    row: dict[str, Decimal | None],
) -> Measured:
    """SPEC 15.4: a subsidiary acquired before closekit was used. The
    pre-acquisition elimination reverses its share capital as brought in,
    pre_acquisition_cta from CTA and the rest from retained earnings."""
    s, q, own = member.entity, member.direct_parent, member.ownership
    na_fc = row["pre_acquisition_equity"] or Decimal(0)
    rate = row["acquisition_rate"] or Decimal(1)
    net_assets = round_cents(na_fc * rate)
    pre_cta = row["pre_acquisition_cta"] or Decimal(0)
    capital, capital_fc = (
        Decimal(x or 0)
        for x in con.execute(
            """SELECT sum(t.amount_group), sum(t.amount) FROM translated_balance t
               JOIN account a ON a.account = t.account AND a.role = 'share_capital'
               WHERE t.period = ? AND t.entity = ?""",
            [period, s],
        ).fetchone()
        or (0, 0)
    )
    con.execute(
        """INSERT INTO acquisition_key (period, entity, account, partner, profit_center,
               cost_center, amount, amount_group)
           SELECT $p, $s, t.account, partner, profit_center, cost_center,
                  sum(t.amount), sum(t.amount_group)
           FROM translated_balance t
           JOIN account a ON a.account = t.account AND a.role = 'share_capital'
           WHERE t.period = $p AND t.entity = $s
           GROUP BY t.account, partner, profit_center, cost_center
           UNION ALL SELECT $p, $s, $cta, '', '', '', 0, $pre_cta WHERE $pre_cta <> 0
           UNION ALL SELECT $p, $s, $re, '', '', '', $re_fc, $re_group""",
        {
            "p": period,
            "s": s,
            "cta": settings.accounts.cta,
            "pre_cta": pre_cta,
            "re": settings.accounts.retained_earnings,
            "re_fc": -na_fc - capital_fc,
            "re_group": -net_assets - capital - pre_cta,
        },
    )
    nci = row["nci_opening"]
    if nci is None:
        nci = net_assets - round_cents(own * net_assets)
    cost = investment_balance(con, period, q, s)
    goodwill_fc = row["goodwill"] or Decimal(0)
    off = cost + nci - net_assets - round_cents(goodwill_fc * rate)
    detail = f"migration does not add up: C + NCI - NA0 - goodwill = {off}" if off else ""
    return Measured(
        s,
        "migration",
        q,
        "",
        own,
        net_assets,
        na_fc,
        cost,
        None,
        nci,
        goodwill_fc,
        rate,
        detail=detail,
    )

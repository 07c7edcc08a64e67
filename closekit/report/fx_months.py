"""The months behind a translated balance (SPEC section 7.1), so that every
translated figure of the FX Translation sheet can be recomputed by hand.

Average-rate accounts are translated month by month (periodic method): the
year to date is the sum of each month's movement at that month's average
rate. Historical-rate accounts likewise, from the first period on, except
lines that carry their own group amount (opening rows and journals with
``amount_group``), which keep it. For each such account this module lists,
month by month: the functional movement translated at the rate, the rate,
and the lines with their own group amount; the translated movement is the
difference of the finished translated balances (``translated_balance``) of
the month and the month before, so nothing is translated here. Rounding is
per balance key (SPEC section 7.1), so an account's month may differ from
functional x rate by a few cents.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

import duckdb

from closekit.periods import fiscal_year_start
from closekit.workspace import Settings


class TranslationMonth(NamedTuple):
    """One month of an entity's average- or historical-rate account.

    functional: the month's functional movement translated at ``rate``.
    rate: the month's average rate (units of group currency per unit).
    own_functional, own_group: lines that keep their own group amount.
    translated: the month's translated movement (at the rate and own
        amounts together); None when the month before was never
        consolidated, so the movement is not known.
    """

    period: str
    rate: Decimal | None
    functional: Decimal
    own_functional: Decimal
    own_group: Decimal
    translated: Decimal | None


Key = tuple[str, str]  # entity, account


def translation_months(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> Mapping[Key, list[TranslationMonth]]:
    """Per (entity, account) of every entity not in the group currency, the
    months that make up its average- or historical-rate balance at ``period``."""
    params = {
        "period": period,
        "year": fiscal_year_start(period, settings.fiscal_year_start),
        "group": settings.currency,
    }
    moves = con.execute(
        """
        SELECT j.entity, j.account, j.period, r.average,
               sum(CASE WHEN j.has_group THEN 0 ELSE j.amount END),
               sum(CASE WHEN j.has_group THEN j.amount ELSE 0 END),
               sum(CASE WHEN j.has_group THEN j.amount_group ELSE 0 END)
        FROM journal_total j
        JOIN entity e ON e.entity = j.entity
        JOIN account a ON a.account = j.account
        LEFT JOIN fx_rate r ON r.period = j.period AND r.currency = e.currency
        WHERE e.currency <> $group AND j.period <= $period
          AND (a.rate = 'average' AND j.period >= $year OR a.rate = 'historical')
        GROUP BY ALL
        ORDER BY 1, 2, 3
        """,
        params,
    ).fetchall()
    translated = {
        (str(e), str(a), str(p)): Decimal(g)
        for e, a, p, g in con.execute(
            """SELECT entity, account, period, sum(amount_group) FROM translated_balance
               WHERE period <= $period AND rate_kind IN ('average', 'historical')
               GROUP BY ALL""",
            {"period": period},
        ).fetchall()
    }
    consolidated = {
        str(p)
        for (p,) in con.execute(
            "SELECT period FROM period_status WHERE consolidated_at IS NOT NULL AND period <= ?",
            [period],
        ).fetchall()
    }
    out: dict[Key, list[TranslationMonth]] = {}
    zero = Decimal("0.00")
    for entity, account, month, rate, at_rate, own_f, own_g in moves:
        if not (at_rate or own_f or own_g):
            continue
        key = (str(entity), str(account))
        months = out.setdefault(key, [])
        # The balance before this month: that of the last earlier month with
        # a movement (none in between, so the balance stood still); none for
        # the first listed, the fiscal year's first movement of an
        # average-rate account (the P&L restarts) or a historical one's first.
        before = months[-1].period if months else ""
        known = month in consolidated and (not before or before in consolidated)
        now = translated.get((*key, month), zero)
        moved = now - translated.get((*key, before), zero) if before else now
        months.append(
            TranslationMonth(str(month), rate, at_rate, own_f, own_g, moved if known else None)
        )
    return out

"""Exact cross rates (SPEC section 1).

Rates are units of group currency per unit of a currency. Converting from
currency ``a`` to currency ``b`` applies the ratio ``r_a / r_b``, computed
exactly with :class:`~decimal.Decimal` and rounded half away from zero to 18
places; SQL then multiplies the DECIMAL amount by it and rounds to cents.
DuckDB's DECIMAL / DECIMAL is a DOUBLE, which is why the division lives here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

import duckdb

_EXACT = Context(prec=80)
_PLACES = Decimal(1).scaleb(-18)


def cross_rate(rate_from: Decimal, rate_to: Decimal) -> Decimal:
    """``rate_from / rate_to`` rounded half away from zero to 18 places."""
    return _EXACT.divide(rate_from, rate_to).quantize(_PLACES, rounding=ROUND_HALF_UP, context=_EXACT)


def build_cross_rates(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``fx_cross`` for every period and every pair of rated currencies.

    The set is small (periods x currencies squared), so Python computing it
    exactly is cheap; amounts are never touched here.
    """
    rows = con.execute("SELECT period, currency, closing, average FROM fx_rate").fetchall()
    by_period: dict[str, list[tuple[str, Decimal | None, Decimal | None]]] = {}
    for period, currency, closing, average in rows:
        by_period.setdefault(period, []).append((currency, closing, average))
    out: list[tuple[str, str, str, str, Decimal]] = []
    for period, rates in by_period.items():
        for kind, index in (("closing", 1), ("average", 2)):
            for a in rates:
                for b in rates:
                    ra, rb = a[index], b[index]
                    if ra is None or rb is None or rb == 0:
                        continue
                    out.append((period, kind, a[0], b[0], cross_rate(ra, rb)))
    con.execute("DELETE FROM fx_cross")
    if out:
        con.executemany("INSERT INTO fx_cross VALUES (?, ?, ?, ?, ?)", out)

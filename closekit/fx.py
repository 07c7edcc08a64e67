"""Exact cross rates (SPEC section 1).

Rates are units of group currency per unit of a currency. Converting from
currency ``a`` to currency ``b`` applies the ratio ``r_a / r_b``, computed
exactly with :class:`~decimal.Decimal` and rounded half away from zero to 18
places; SQL then multiplies the DECIMAL amount by it and rounds to cents.
DuckDB's DECIMAL / DECIMAL is a DOUBLE, which is why the division lives here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

_EXACT = Context(prec=80)
_PLACES = Decimal(1).scaleb(-18)


def cross_rate(rate_from: Decimal, rate_to: Decimal) -> Decimal:
    """``rate_from / rate_to`` rounded half away from zero to 18 places."""
    return _EXACT.divide(rate_from, rate_to).quantize(
        _PLACES, rounding=ROUND_HALF_UP, context=_EXACT
    )


def build_cross_rates(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``fx_cross`` for every period and every pair of rated currencies.

    The set is small (periods x rate kinds x currencies squared), so Python
    computes it exactly; amounts are never touched here.
    """
    rates: dict[tuple[str, str], list[tuple[str, Decimal]]] = {}
    for period, kind, currency, rate in con.execute(
        """
        SELECT period, 'closing', currency, closing FROM fx_rate WHERE closing > 0
        UNION ALL
        SELECT period, 'average', currency, average FROM fx_rate WHERE average > 0
        ORDER BY ALL
        """
    ).fetchall():
        rates.setdefault((period, kind), []).append((currency, rate))
    rows = [
        (period, kind, a, b, cross_rate(ra, rb))
        for (period, kind), pairs in rates.items()
        for a, ra in pairs
        for b, rb in pairs
    ]
    # imported here: a reading command that imports this module builds no rates
    import pyarrow as pa

    schema = pa.schema(
        [
            ("period", pa.string()),
            ("kind", pa.string()),
            ("from_currency", pa.string()),
            ("to_currency", pa.string()),
            ("ratio", pa.decimal128(38, 18)),
        ]
    )
    table = pa.table(
        {name: [row[i] for row in rows] for i, name in enumerate(schema.names)},
        schema=schema,
    )
    con.execute("DELETE FROM fx_cross")
    con.register("new_fx_cross", table)
    try:
        con.execute("INSERT INTO fx_cross SELECT * FROM new_fx_cross")
    finally:
        con.unregister("new_fx_cross")


_CENTS = Decimal("0.01")


def to_currency(amount_group: Decimal, rate: Decimal) -> Decimal:
    """A group-currency amount in a currency of ``rate`` (units of group
    currency per unit), rounded half away from zero to cents (SPEC 15.1:
    C_fc = round(C / closing(S, P-1)))."""
    return _EXACT.divide(amount_group, rate).quantize(_CENTS, rounding=ROUND_HALF_UP)


def implied_rate(amount_group: Decimal, amount: Decimal) -> Decimal:
    """The rate a translated amount implies, rounded to 10 places (SPEC 15.2:
    the historical rate of a subsidiary's share capital)."""
    return _EXACT.divide(amount_group, amount).quantize(Decimal(1).scaleb(-10), ROUND_HALF_UP)

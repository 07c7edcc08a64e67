"""Exact cross rates (SPEC section 1)."""

from __future__ import annotations

from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from closekit.fx import cross_rate


def test_cross_rate_is_rounded_half_away_from_zero_to_18_places() -> None:
    # 1 / 3 = 0.333... -> 18 threes
    assert cross_rate(Decimal(1), Decimal(3)) == Decimal("0.333333333333333333")
    # 2 / 3 = 0.666...6667 at 18 places
    assert cross_rate(Decimal(2), Decimal(3)) == Decimal("0.666666666666666667")
    # USD at 7.2 CNY, HKD at 0.9 CNY: one USD is exactly 8 HKD
    assert cross_rate(Decimal("7.2"), Decimal("0.9")) == Decimal(8)
    # 5 / 7 = 0.714285 714285 714285 | 714...: the 19th digit 7 rounds the 18th up
    assert cross_rate(Decimal(5), Decimal(7)) == Decimal("0.714285714285714286")


rates = st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal("100000"), places=10)


@given(rates, rates)
def test_cross_rate_is_within_half_a_unit_of_the_18th_place(a: Decimal, b: Decimal) -> None:
    ratio = cross_rate(a, b)
    with localcontext() as exact:
        exact.prec = 100  # the check itself must not round (28 digits by default)
        assert abs(ratio * b - a) <= b * Decimal("0.5e-18")


def test_build_cross_rates_covers_every_pair_and_kind_given() -> None:
    import duckdb

    from closekit.db import migrate
    from closekit.fx import build_cross_rates

    con = duckdb.connect()
    migrate(con)
    con.execute(
        "INSERT INTO fx_rate VALUES ('2026-10', 'CNY', 1, 1), ('2026-10', 'USD', 7.2, 7.1),"
        " ('2026-10', 'HKD', 0.9, NULL)"
    )
    build_cross_rates(con)
    rows = con.execute(
        "SELECT kind, from_currency, to_currency, ratio FROM fx_cross"
        " WHERE from_currency = 'USD' ORDER BY ALL"
    ).fetchall()
    # HKD has no average rate: no average pair with it
    assert rows == [
        ("average", "USD", "CNY", Decimal("7.100000000000000000")),
        ("average", "USD", "USD", Decimal("1.000000000000000000")),
        ("closing", "USD", "CNY", Decimal("7.200000000000000000")),
        ("closing", "USD", "HKD", Decimal("8.000000000000000000")),
        ("closing", "USD", "USD", Decimal("1.000000000000000000")),
    ]

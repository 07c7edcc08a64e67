"""Exact cross rates (SPEC section 1)."""

from __future__ import annotations

from decimal import Decimal

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
    exact_error = abs(cross_rate(a, b) * b - a)
    assert exact_error <= b * Decimal("0.5e-18")

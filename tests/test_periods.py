"""Periods and fiscal years."""

from __future__ import annotations

import pytest

from closekit.errors import PeriodError
from closekit.periods import add_months, fiscal_year_start, parse_period, previous


def test_previous_crosses_the_year() -> None:
    assert previous("2027-01") == "2026-12"
    assert add_months("2026-11", 3) == "2027-02"


@pytest.mark.parametrize(
    ("period", "start", "expected"),
    [("2026-11", 1, "2026-01"), ("2026-03", 4, "2025-04"), ("2026-04", 4, "2026-04")],
)
def test_fiscal_year_start(period: str, start: int, expected: str) -> None:
    assert fiscal_year_start(period, start) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-01", "2026/01", ""])
def test_invalid_periods_are_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="expected YYYY-MM"):
        parse_period(text)

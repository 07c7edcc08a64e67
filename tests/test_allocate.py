"""Allocation cycles as pure functions (closekit/allocate.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closekit.allocate import AllocationRule, round_cents, run_cycles, split

MONTH = "2026-10"


def test_split_rounds_half_away_from_zero_and_the_last_part_absorbs() -> None:
    # 0.05 in halves: 0.025 -> 0.03, the last takes 0.05 - 0.03 = 0.02.
    assert split(D("0.05"), [D("0.5"), D("0.5")]) == [D("0.03"), D("0.02")]
    # Negative cost (a cost center with net income) rounds away from zero too.
    assert split(D("-0.05"), [D("0.5"), D("0.5")]) == [D("-0.03"), D("-0.02")]
    # 100.00 in thirds: 33.33, 33.33, 33.34.
    assert split(D("100.00"), [D(1), D(1), D(1)]) == [D("33.33"), D("33.33"), D("33.34")]


def test_split_refuses_weights_that_sum_to_zero() -> None:
    with pytest.raises(ValueError):
        split(D("1.00"), [D(1), D(-1)])


def test_negative_revenue_takes_no_share() -> None:
    rules = [AllocationRule("C", "CC", pc, "revenue", None) for pc in ("A", "B")]
    postings, warnings = run_cycles(MONTH, rules, {"CC": D("10.00")}, {"A": D("-5"), "B": D("20")})
    assert [(p.receiver, p.share, p.amount) for p in postings] == [("B", D(1), D("10.00"))]
    assert warnings == []


def test_a_zero_cost_sends_nothing_and_does_not_warn() -> None:
    rules = [AllocationRule("C", "CC", "A", "revenue", None)]
    assert run_cycles(MONTH, rules, {"CC": D("0.00")}, {}) == ([], [])


def test_a_revenue_cycle_without_revenue_leaves_the_cost_for_a_later_cycle() -> None:
    rules = [
        AllocationRule("1", "CC", "A", "revenue", None),
        AllocationRule("2", "CC", "B", "fixed", D(1)),
    ]
    postings, warnings = run_cycles(MONTH, rules, {"CC": D("12.34")}, {})
    assert [(p.cycle, p.receiver, p.amount) for p in postings] == [("2", "B", D("12.34"))]
    assert [w.cycle for w in warnings] == ["1"]


cents = st.integers(min_value=-(10**12), max_value=10**12).map(lambda c: D(c).scaleb(-2))
weights = st.lists(
    st.integers(min_value=1, max_value=10**10).map(lambda w: D(w).scaleb(-10)),
    min_size=1,
    max_size=8,
)


@given(cost=cents, shares=weights)
def test_allocation_conserves_cost(cost: D, shares: list[D]) -> None:
    parts = split(cost, shares)
    assert sum(parts, D(0)) == cost
    assert all(p == p.quantize(D("0.01")) for p in parts)
    total = sum(shares, D(0))
    # Every part but the last is the exactly rounded proportion; the last is
    # within one cent per receiver of its own.
    for part, share in zip(parts[:-1], shares[:-1], strict=True):
        assert part == round_cents(cost * share / total)
    assert abs(parts[-1] - cost * shares[-1] / total) <= D("0.01") * len(shares)


@given(
    cost=cents,
    revenue=st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=6),
)
def test_revenue_cycle_conserves_cost_or_sends_nothing(cost: D, revenue: list[int]) -> None:
    receivers = [f"PC{i}" for i in range(len(revenue))]
    rules = [AllocationRule("C", "CC", pc, "revenue", None) for pc in receivers]
    postings, warnings = run_cycles(
        MONTH,
        rules,
        {"CC": cost},
        {pc: D(r).scaleb(-2) for pc, r in zip(receivers, revenue, strict=True)},
    )
    if cost == 0:
        assert (postings, warnings) == ([], [])
    elif sum(revenue) == 0:
        assert postings == [] and len(warnings) == 1
    else:
        assert sum((p.amount for p in postings), D(0)) == cost
        assert [p.receiver for p in postings] == sorted(p.receiver for p in postings)
        assert warnings == []

"""Allocation cycles of shared-service costs (SPEC sections 3 and 8).

Pure functions over the small aggregated set (senders x receivers of one
month); the SQL that feeds them and stores their postings is in
:mod:`closekit.manage`. Shares and proportions are computed exactly with
:class:`~decimal.Decimal` because DuckDB's DECIMAL / DECIMAL is a DOUBLE.

The rules, in order:

- cycles run in order of their name (code-point order);
- a cycle sends each sender's whole cost of the month: the net of the revenue
  and expense lines sitting on the sender cost center (lines without an own
  profit center), including what earlier cycles already credited to it, so a
  cost center that appears in two cycles is sent once;
- ``fixed`` splits in proportion to ``share``; ``revenue`` in proportion to
  the receivers' revenue of the month (intercompany included); a receiver
  with no or negative revenue takes no share, and when no receiver has
  revenue nothing is sent and a warning is recorded;
- each amount is rounded to cents half away from zero; the last receiver in
  code order takes the cost less the others' amounts, so the receivers
  always sum to the sender's cost exactly.

Receivers are profit centers, never cost centers, so what one cycle sends
never becomes another sender's cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

_EXACT = Context(prec=80)
CENT = Decimal("0.01")
SHARE_PLACES = Decimal(1).scaleb(-18)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AllocationRule:
    """One row of allocations.csv (table ``allocation``).

    cycle: cycle name; cycles run in name order.
    sender: the cost center whose cost is sent.
    receiver: a profit center that receives a part.
    basis: ``fixed`` or ``revenue``.
    share: the receiver's share for ``fixed``; None for ``revenue``.
    """

    cycle: str
    sender: str
    receiver: str
    basis: str
    share: Decimal | None


@dataclass(frozen=True)
class Allocation:
    """One posting of a cycle: credit ``sender``, debit ``receiver`` by ``amount``.

    share: the proportion used (fixed share, or the receiver's revenue over
        the receivers' total), rounded to 18 places for display.
    sender_cost: the sender's cost of the month that the cycle sent.
    amount: group currency, rounded; the last receiver absorbs rounding.
    """

    month: str
    cycle: str
    sender: str
    receiver: str
    basis: str
    share: Decimal
    sender_cost: Decimal
    amount: Decimal


@dataclass(frozen=True)
class AllocationWarning:
    """A cycle that could not send a sender's cost (nothing was posted)."""

    month: str
    cycle: str
    sender: str
    message: str


def round_cents(value: Decimal) -> Decimal:
    """Round to 2 decimals, half away from zero (SPEC section 1)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split(cost: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``cost`` in proportion to ``weights`` (receivers in code order).

    Every part but the last is ``round(cost x w / sum(w))``; the last is what
    remains, so ``sum(parts) == cost`` to the cent whatever the rounding.
    """
    total = _total(weights)
    if not weights or total == 0:
        raise ValueError("weights must not sum to zero")
    parts = [round_cents(_EXACT.divide(_EXACT.multiply(cost, w), total)) for w in weights[:-1]]
    parts.append(cost - sum(parts, ZERO))
    return parts


def _total(values: Iterable[Decimal]) -> Decimal:
    """Exact sum (the default context would round past 28 digits)."""
    total = Decimal(0)
    for value in values:
        total = _EXACT.add(total, value)
    return total


def _proportions(weights: Sequence[Decimal]) -> list[Decimal]:
    total = _total(weights)
    return [_EXACT.divide(w, total).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP) for w in weights]


def run_cycles(
    month: str,
    rules: Iterable[AllocationRule],
    sender_cost: Mapping[str, Decimal],
    receiver_revenue: Mapping[str, Decimal],
) -> tuple[list[Allocation], list[AllocationWarning]]:
    """Run every cycle of one month, in cycle-name order.

    sender_cost: cost center -> net P&L of the month on it (debit positive).
    receiver_revenue: profit center -> revenue of the month, presented
        positive (credit), intercompany included.
    """
    cycles: dict[str, dict[str, list[AllocationRule]]] = {}
    for rule in rules:
        cycles.setdefault(rule.cycle, {}).setdefault(rule.sender, []).append(rule)

    remaining = dict(sender_cost)  # what earlier cycles left on each cost center
    postings: list[Allocation] = []
    warnings: list[AllocationWarning] = []
    for cycle in sorted(cycles):
        for sender in sorted(cycles[cycle]):
            cost = remaining.get(sender, ZERO)
            if cost == 0:
                continue
            by_receiver: dict[str, Decimal] = {}
            basis = cycles[cycle][sender][0].basis
            for rule in cycles[cycle][sender]:
                if rule.basis == "fixed":
                    weight = rule.share if rule.share is not None else Decimal(0)
                else:  # negative revenue (returns over sales) takes no share
                    weight = max(receiver_revenue.get(rule.receiver, ZERO), Decimal(0))
                by_receiver[rule.receiver] = _EXACT.add(
                    by_receiver.get(rule.receiver, Decimal(0)), weight
                )
            receivers = sorted(r for r, w in by_receiver.items() if w != 0)
            weights = [by_receiver[r] for r in receivers]
            if _total(weights) == 0:
                what = "revenue this month" if basis == "revenue" else "a non-zero share"
                warnings.append(
                    AllocationWarning(
                        month,
                        cycle,
                        sender,
                        f"cycle {cycle}: no receiver of {sender} has {what}; "
                        f"{cost:.2f} stays unallocated",
                    )
                )
                continue
            for receiver, share, amount in zip(
                receivers, _proportions(weights), split(cost, weights), strict=True
            ):
                postings.append(
                    Allocation(month, cycle, sender, receiver, basis, share, cost, amount)
                )
            remaining[sender] = ZERO
    return postings, warnings

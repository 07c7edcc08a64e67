"""The document-level reconciliation on random intercompany documents (hypothesis).

A random group (currencies, a random tree) trades services over a fiscal-year
end: each document is booked by both sides (the same amount, or another),
by the seller only or by the buyer only, in a random document currency, and
some of the receivables are settled by journals. Whatever the draw, at both
periods:

- per pair and plug, the reconciliation's lines add up to the balance-level
  remainder (SPEC 7.2) and its side totals are the balance-level sides;
- every document of the period's balances is listed once, with the status
  its draw implies (matched, amount differs, one side only and who is missing);
- what no document or module explains (rounding) is a few cents at most.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_consolidate_helpers import Group

from closekit.consolidation import intercompany_pairs
from closekit.consolidation.reconciliation import intercompany_reconciliation
from closekit.fx import cross_rate

PERIODS = ("2026-12", "2027-01")  # across the fiscal-year roll
CURRENCIES = ("CNY", "USD", "EUR")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Document:
    period: str
    seller: str
    buyer: str
    currency: str
    amount: Decimal  # the seller's, in document currency
    booked_by: str  # both | seller | buyer
    buyer_amount: Decimal  # what the buyer booked


@dataclass(frozen=True)
class Draw:
    entities: list[tuple[str, str, str]]  # code, currency, parent
    rates: dict[tuple[str, str], tuple[Decimal, Decimal]]  # (period, ccy) -> closing, average
    documents: list[Document]
    settled: list[int]  # documents whose receivable the seller settles by journal


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
rate = st.decimals(min_value=Decimal("0.05"), max_value=Decimal("9"), places=6)


@st.composite
def draws(draw: st.DrawFn) -> Draw:
    n = draw(st.integers(2, 4))
    entities = [("E0", "CNY", "")]
    for i in range(1, n):
        parent = f"E{draw(st.integers(0, i - 1))}"
        entities.append((f"E{i}", draw(st.sampled_from(CURRENCIES)), parent))
    rates = {(p, "CNY"): (Decimal(1), Decimal(1)) for p in PERIODS}
    rates |= {(p, c): (draw(rate), draw(rate)) for p in PERIODS for c in CURRENCIES[1:]}
    codes = [e[0] for e in entities]
    documents = []
    for _ in range(draw(st.integers(1, 8))):
        seller = draw(st.sampled_from(codes))
        buyer = draw(st.sampled_from([c for c in codes if c != seller]))
        amount = draw(money)
        booked_by = draw(st.sampled_from(["both", "both", "seller", "buyer"]))
        differs = draw(st.booleans())
        documents.append(
            Document(
                draw(st.sampled_from(PERIODS)),
                seller,
                buyer,
                draw(st.sampled_from(CURRENCIES)),
                amount,
                booked_by,
                amount + draw(money) if differs else amount,
            )
        )
    settled = draw(st.lists(st.integers(0, len(documents) - 1), unique=True, max_size=3))
    return Draw(entities, rates, documents, settled)


def _functional(d: Draw, period: str, amount: Decimal, currency: str, entity: str) -> Decimal:
    """SPEC 4: document -> functional at the average cross rate, rounded."""
    functional = {e: c for e, c, _ in d.entities}[entity]
    ratio = cross_rate(d.rates[(period, currency)][1], d.rates[(period, functional)][1])
    return (amount * ratio).quantize(CENT, rounding=ROUND_HALF_UP)


def build(root: Path, d: Draw) -> Group:
    g = Group(root)
    for code, currency, parent in d.entities:
        g.entity(code, currency, parent)
    for (period, currency), (closing, average) in d.rates.items():
        if currency != "CNY":
            g.rate(period, currency, str(closing), str(average))
    for n, doc in enumerate(d.documents):
        ref, p = f"R{n}", doc.period
        if doc.booked_by in ("both", "seller"):
            fn = _functional(d, p, doc.amount, doc.currency, doc.seller)
            for account, sign, dims in (("1200", 1, {}), ("4200", -1, {"profit_center": "PC"})):
                g.line(p, doc.seller, account, str(sign * fn), partner=doc.buyer, module="sales",
                       doc_id=ref, currency=doc.currency, amount_doc=str(sign * doc.amount),
                       day=n % 28 + 1, **dims)  # fmt: skip
        if doc.booked_by in ("both", "buyer"):
            fn = _functional(d, p, doc.buyer_amount, doc.currency, doc.buyer)
            for account, sign, dims in (("6200", 1, {"cost_center": "CC"}), ("2200", -1, {})):
                g.line(p, doc.buyer, account, str(sign * fn), partner=doc.seller,
                       module="expenses", doc_id=ref, currency=doc.currency,
                       amount_doc=str(sign * doc.buyer_amount), day=n % 28 + 1, **dims)  # fmt: skip
    for n in d.settled:
        doc = d.documents[n]
        fn = _functional(d, PERIODS[1], doc.amount, doc.currency, doc.seller)
        g.line(PERIODS[1], doc.seller, "1000", str(fn), doc_id=f"S{n}")
        g.line(PERIODS[1], doc.seller, "1200", str(-fn), partner=doc.buyer, doc_id=f"S{n}")
    g.post(*PERIODS)
    for period in PERIODS:
        g.consolidate(period)
    return g


def _expected_status(doc: Document) -> tuple[str, str]:
    if doc.booked_by == "seller":
        return "one_side_only", doc.buyer
    if doc.booked_by == "buyer":
        return "one_side_only", doc.seller
    return ("matched" if doc.amount == doc.buyer_amount else "amount_differs"), ""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draws())
def test_reconciliation_ties_to_the_balance_level_difference(d: Draw) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        g = build(Path(tmp), d)
        for period in PERIODS:
            recs = intercompany_reconciliation(g.con, g.settings, period, all_plugs=True)
            balance_level = {
                (p.entity, p.partner, p.plug_account): p
                for p in intercompany_pairs(g.con, g.settings, period, "E0")
            }
            seen = set()
            for rec in recs:
                for plug in rec.plugs:
                    lines = rec.lines_of(plug.plug_account)
                    assert sum((x.difference for x in lines), Decimal(0)) == plug.difference
                    key = (rec.entity, rec.partner, plug.plug_account)
                    seen.add(key)
                    if key in balance_level:
                        b = balance_level[key]
                        assert (plug.entity_side, plug.partner_side) == (
                            b.entity_side,
                            b.partner_side,
                        )
                    else:  # both sides' balances are zero
                        assert plug.entity_side == plug.partner_side == 0
                    documents = sum(x.source == "document" for x in lines) + 1
                    for x in lines:
                        if x.source == "rounding":
                            assert abs(x.difference) <= documents * CENT
            assert set(balance_level) <= seen

            # every document in the period's balances, with its status
            listed = Counter(
                (x.ic_ref, x.plug_account, x.status, x.missing_side)
                for rec in recs
                for x in rec.lines
                if x.source == "document"
            )
            expected = Counter()
            for n, doc in enumerate(d.documents):
                status, missing = _expected_status(doc)
                if doc.period <= period:  # balance sheet: since inception
                    expected[(f"R{n}", "1990", status, missing)] += 1
                if doc.period == period:  # P&L: the fiscal year to date
                    expected[(f"R{n}", "6990", status, missing)] += 1
            assert listed == expected

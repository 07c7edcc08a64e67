"""Document-level intercompany reconciliation (SPEC section 20).

The balance-level view (:func:`closekit.consolidation.intercompany_pairs`,
SPEC 7.2) tells a controller that a pair leaves 7.04 on the IC difference
account; this one tells which invoices cause it. For every pair of members of
a node and every plug account their intercompany accounts eliminate against,
the pair's remainder on the plug is split into:

- **documents**: the sales, purchasing and expense rows with a partner,
  grouped by ``ic_ref`` (the invoice reference both sides know; the row's own
  ``doc_id`` when empty) and matched across the two sides. A document is
  ``matched`` when both sides booked it and the amounts cancel (in document
  currency when both sides booked the same one, else in group currency),
  ``amount_differs`` when both booked it with different amounts, and
  ``one_side_only`` when the partner has not booked it. The amounts are what
  the document put on the pair's intercompany accounts: gross on the
  balance-sheet ones (receivable, payable), net on the P&L ones (revenue,
  expense), as the posting rules post them.
- **lines not based on a document**, one per side and module: manual
  journals (settlements, accruals), opening balances, month-end revaluation,
  and ``rounding``, the difference between the side's translated balance and
  its pieces translated one by one.

Documents and modules are measured as consolidation measures the balance
they are part of (:mod:`.ic_documents`): remeasured at the closing rate when
held in a foreign currency on a revalued account, then translated. What
month-end revaluation posted beyond remeasuring each piece is the
``revaluation`` line, what translation rounding leaves the ``rounding``
line, so each side's lines add up to its translated balance and the pair's
lines on a plug to its remainder there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit import status
from closekit.consolidation.ic_documents import (
    DOCUMENT,
    Piece,
    Scope,
    pieces,
    side_totals,
)
from closekit.consolidation.reconciliation_records import (
    _STATUS_ORDER,
    DIFFERS,
    MATCHED,
    NOT_DOCUMENT,
    ONE_SIDE,
    ROUNDING,
    ZERO,
    ICLine,
    ICReconciliation,
    Key,
    PlugTotal,
)
from closekit.consolidation.structure import top_entity
from closekit.errors import UnknownCode
from closekit.ledger import require_entity
from closekit.periods import fiscal_year_start
from closekit.revalue import MODULE as REVALUATION
from closekit.revalue import period_end
from closekit.snapshot import reads_period
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class SideLine:
    """A side's line not based on a document: a module's pieces, or what
    revaluation and translation rounding leave (no date)."""

    entity: str
    partner: str
    plug_account: str
    source: str
    amount: Decimal
    first_date: date | None


def side_lines(found: list[Piece], totals: dict[Key, Decimal]) -> list[SideLine]:
    """Each side's lines not based on a document, per plug: one per module
    (its pieces' measured amounts), ``revaluation`` (what revaluation posted
    beyond remeasuring each piece: Σ booked − Σ measured, revaluation's own
    pieces measuring nothing) and ``rounding`` (the translated balance − Σ
    booked), so the side's lines add up to its translated balance."""
    booked: dict[Key, Decimal] = {}
    measured: dict[Key, Decimal] = {}
    modules: dict[tuple[Key, str], list[Piece]] = {}
    for p in found:
        key = (p.entity, p.partner, p.plug_account)
        booked[key] = booked.get(key, ZERO) + p.booked
        if p.source != REVALUATION:
            measured[key] = measured.get(key, ZERO) + p.amount
        if p.source not in (DOCUMENT, REVALUATION):
            modules.setdefault((key, p.source), []).append(p)
    out = [
        SideLine(
            *key, source, sum((p.amount for p in group), ZERO), min(p.first_date for p in group)
        )
        for (key, source), group in sorted(modules.items())
    ]
    for key in sorted(set(booked) | set(totals)):
        revaluation = booked.get(key, ZERO) - measured.get(key, ZERO)
        rounding = totals.get(key, ZERO) - booked.get(key, ZERO)
        out += [
            SideLine(*key, source, amount, None)
            for source, amount in ((REVALUATION, revaluation), (ROUNDING, rounding))
            if amount
        ]
    return out


def _document_line(
    plug: str, ic_ref: str, mine: Piece | None, theirs: Piece | None, end: date
) -> ICLine:
    """One document on ``plug``: ``mine`` as the pair's first entity booked
    it, ``theirs`` as its partner did (either may be missing, not both)."""
    booked = [p for p in (mine, theirs) if p is not None]
    mine_amount = mine.amount if mine else ZERO
    theirs_amount = theirs.amount if theirs else ZERO
    difference = mine_amount + theirs_amount
    difference_doc = None
    if (
        mine is not None
        and theirs is not None
        and mine.amount_doc is not None
        and theirs.amount_doc is not None
        and mine.currency == theirs.currency
    ):
        difference_doc = mine.amount_doc + theirs.amount_doc
    if len(booked) == 1:
        # the side that has not booked it: the other entity of the pair
        status, missing = ONE_SIDE, booked[0].partner
    else:
        # one document currency: the invoice amounts decide; else the
        # amounts in group currency
        agree = difference == 0 if difference_doc is None else difference_doc == 0
        status, missing = (MATCHED if agree else DIFFERS), ""
    first = min(p.first_date for p in booked)
    return ICLine(
        plug_account=plug,
        source=DOCUMENT,
        ic_ref=ic_ref,
        status=status,
        missing_side=missing,
        date=first,
        age_days=(end - first).days,
        entity_doc_ids=mine.doc_ids if mine else "",
        partner_doc_ids=theirs.doc_ids if theirs else "",
        entity_currency=mine.currency if mine else "",
        partner_currency=theirs.currency if theirs else "",
        entity_amount_doc=mine.amount_doc if mine else None,
        partner_amount_doc=theirs.amount_doc if theirs else None,
        difference_doc=difference_doc,
        entity_amount=mine_amount,
        partner_amount=theirs_amount,
        difference=difference,
    )


def _side_line(side: SideLine, first_entity: str) -> ICLine:
    mine = side.entity == first_entity
    return ICLine(
        plug_account=side.plug_account,
        source=side.source,
        ic_ref="",
        status=NOT_DOCUMENT,
        missing_side="",
        date=side.first_date,
        age_days=None,
        entity_doc_ids="",
        partner_doc_ids="",
        entity_currency="",
        partner_currency="",
        entity_amount_doc=None,
        partner_amount_doc=None,
        difference_doc=None,
        entity_amount=side.amount if mine else ZERO,
        partner_amount=ZERO if mine else side.amount,
        difference=side.amount,
    )


def _line_order(line: ICLine) -> tuple[object, ...]:
    partner_side = line.status == NOT_DOCUMENT and line.partner_amount != 0
    return (
        line.plug_account,
        _STATUS_ORDER[line.status],
        line.date or date.max,
        line.ic_ref,
        partner_side,
        line.source in (REVALUATION, ROUNDING),
        line.source == ROUNDING,
        line.source,
    )


def _pair(entity: str, partner: str) -> tuple[str, str]:
    return min(entity, partner), max(entity, partner)


def pair_lines(
    found: Iterable[Piece], others: Iterable[SideLine], end: date
) -> dict[tuple[str, str], list[ICLine]]:
    """The reconciliation lines of every pair (first entity, partner in code
    order): each document matched across the sides by plug and ic_ref, then
    each side's lines not based on a document; ordered by plug, status
    (differences first), date and reference."""
    documents: dict[tuple[str, str, str, str], dict[str, Piece]] = {}
    for p in found:
        if p.source == DOCUMENT:
            documents.setdefault((*_pair(p.entity, p.partner), p.plug_account, p.ic_ref), {})[
                p.entity
            ] = p
    out: dict[tuple[str, str], list[ICLine]] = {}
    for (entity, partner, plug, ic_ref), sides in documents.items():
        line = _document_line(plug, ic_ref, sides.get(entity), sides.get(partner), end)
        out.setdefault((entity, partner), []).append(line)
    for side in others:
        pair = _pair(side.entity, side.partner)
        out.setdefault(pair, []).append(_side_line(side, pair[0]))
    return {pair: sorted(lines, key=_line_order) for pair, lines in out.items()}


def _plug_totals(
    pair: tuple[str, str],
    totals: dict[tuple[str, str, str], Decimal],
    lines: list[ICLine],
    checked: set[str],
    tolerance: Decimal,
) -> tuple[PlugTotal, ...]:
    entity, partner = pair
    plugs = sorted(
        {plug for (e, p, plug) in totals if {e, p} == {entity, partner}}
        | {line.plug_account for line in lines}
    )
    out = []
    for plug in plugs:
        left = totals.get((entity, partner, plug), ZERO)
        right = totals.get((partner, entity, plug), ZERO)
        difference = left + right
        out.append(
            PlugTotal(plug, plug in checked, left, right, difference, abs(difference) <= tolerance)
        )
    return tuple(out)


def _split_pair(pair: str) -> tuple[str, str]:
    parts = [p.strip() for p in pair.split("/")]
    if len(parts) != 2 or not all(parts):
        raise UnknownCode(f"invalid pair {pair!r}: expected ENTITY/PARTNER, e.g. CN01/HK01")
    left, right = parts
    return min(left, right), max(left, right)


@reads_period
def intercompany_reconciliation(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    node: str | None = None,
    pair: str | None = None,
    all_plugs: bool = False,
) -> list[ICReconciliation]:
    """Every intercompany pair of members of ``node`` (default: the group)
    with a balance or a document on a matching plug account (role
    ic_difference; every plug with ``all_plugs``), each with its documents
    and its lines not based on a document (SPEC section 20). ``pair``
    (``A/B``, either order) keeps one pair. Needs the period consolidated."""
    status.require_step(con, period, "consolidated")
    node = node or top_entity(con)
    require_entity(con, node)
    left, right = None, None
    if pair is not None:
        left, right = _split_pair(pair)
        require_entity(con, left)
        require_entity(con, right)
    scope = Scope(
        period,
        node,
        fiscal_year_start(period, settings.fiscal_year_start),
        settings.currency,
        all_plugs,
        left,
        right,
    )
    found = pieces(con, scope)
    totals = side_totals(con, scope)
    lines = pair_lines(found, side_lines(found, totals), period_end(period))
    checked = {
        account
        for (account,) in con.execute(
            "SELECT account FROM account WHERE role = 'ic_difference'"
        ).fetchall()
    }
    pairs = sorted(set(lines) | {(min(e, p), max(e, p)) for e, p, _ in totals})
    return [
        ICReconciliation(
            node,
            period,
            *pair_,
            _plug_totals(pair_, totals, lines.get(pair_, []), checked, settings.ic_tolerance),
            tuple(lines.get(pair_, [])),
        )
        for pair_ in pairs
    ]

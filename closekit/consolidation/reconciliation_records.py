"""The records of the document-level intercompany reconciliation (SPEC
section 20): a line per document or module, the totals per plug, and the
reconciliation of a pair (:mod:`.reconciliation` builds them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

MATCHED, DIFFERS, ONE_SIDE, NOT_DOCUMENT = (
    "matched",
    "amount_differs",
    "one_side_only",
    "not_document_based",
)
# Order of a plug's lines: what needs attention first.
_STATUS_ORDER = {DIFFERS: 0, ONE_SIDE: 1, MATCHED: 2, NOT_DOCUMENT: 3}
ROUNDING = "rounding"

ZERO = Decimal(0)


@dataclass(frozen=True)
class ICLine:
    """One line of a pair's reconciliation on one plug account.

    source: ``document``, or for a line not based on a document the module
        (journals, opening, revaluation, ...) or ``rounding``.
    status: matched | amount_differs | one_side_only (documents) or
        not_document_based.
    missing_side: for one_side_only, the entity that has not booked it.
    date / age_days: the earliest booking date of either side and its age
        in days at the period end (None on rounding lines).
    entity_* / partner_*: each side's document numbers, document currency,
        amount in it, and amount in group currency (0 when it booked nothing).
    difference_doc: entity + partner amount in document currency, when both
        sides booked it in the same currency.
    difference: entity + partner amount in group currency: what the line
        leaves on the plug.
    """

    plug_account: str
    source: str
    ic_ref: str
    status: str
    missing_side: str
    date: date | None
    age_days: int | None
    entity_doc_ids: str
    partner_doc_ids: str
    entity_currency: str
    partner_currency: str
    entity_amount_doc: Decimal | None
    partner_amount_doc: Decimal | None
    difference_doc: Decimal | None
    entity_amount: Decimal
    partner_amount: Decimal
    difference: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "plug_account": self.plug_account,
            "source": self.source,
            "ic_ref": self.ic_ref,
            "status": self.status,
            "missing_side": self.missing_side,
            "date": None if self.date is None else self.date.isoformat(),
            "age_days": self.age_days,
            "entity_doc_ids": self.entity_doc_ids,
            "partner_doc_ids": self.partner_doc_ids,
            "entity_currency": self.entity_currency,
            "entity_amount_doc": self.entity_amount_doc,
            "partner_currency": self.partner_currency,
            "partner_amount_doc": self.partner_amount_doc,
            "difference_doc": self.difference_doc,
            "entity_amount": self.entity_amount,
            "partner_amount": self.partner_amount,
            "difference": self.difference,
        }


@dataclass(frozen=True)
class PlugTotal:
    """A pair's balances on one plug account (as SPEC 7.2 eliminates them).

    entity_side / partner_side: each side's translated balances on the
    intercompany accounts with this plug; difference: their sum, the
    remainder on the plug; checked: the plug has role ic_difference.
    """

    plug_account: str
    checked: bool
    entity_side: Decimal
    partner_side: Decimal
    difference: Decimal
    within_tolerance: bool


@dataclass(frozen=True)
class ICReconciliation:
    """One pair of members of ``node`` (entity < partner in code order): its
    totals per plug account and the lines that explain them; on each plug
    the lines' differences sum to the plug's difference."""

    node: str
    period: str
    entity: str
    partner: str
    plugs: tuple[PlugTotal, ...]
    lines: tuple[ICLine, ...] = field(default=())

    def lines_of(self, plug_account: str) -> list[ICLine]:
        return [line for line in self.lines if line.plug_account == plug_account]

    def counts(self) -> dict[str, int]:
        """Documents per status."""
        out = {MATCHED: 0, DIFFERS: 0, ONE_SIDE: 0}
        for line in self.lines:
            if line.status in out:
                out[line.status] += 1
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "node": self.node,
            "period": self.period,
            "entity": self.entity,
            "partner": self.partner,
            "plugs": [
                {
                    "plug_account": p.plug_account,
                    "checked": p.checked,
                    "entity_side": p.entity_side,
                    "partner_side": p.partner_side,
                    "difference": p.difference,
                    "within_tolerance": p.within_tolerance,
                }
                for p in self.plugs
            ],
            "documents": [line.as_json() for line in self.lines],
        }


# ---- lines ---------------------------------------------------------------------

Key = tuple[str, str, str]  # entity, partner, plug account

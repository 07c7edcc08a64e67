"""One period of the demo being built (:class:`Period`) and the seeded
random generator every part of the demo draws from (:class:`Dice`)."""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from closekit.sample.rows import (
    ExpenseRow,
    InventoryRow,
    JournalRow,
    PurchasingRow,
    SalesRow,
)

D = Decimal


class Dice:
    """The demo's one seeded generator. The order of its calls is part of the
    committed demo: change it and ``sample_ledgers/`` must be regenerated."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def day(self, p: Period) -> date:
        """A day of the period."""
        return p.day(self.rng.randint(1, p.last_day.day))

    def share(self, low: str, high: str) -> Decimal:
        """A share between ``low`` and ``high``, in hundredths."""
        return D(self.rng.randint(int(D(low) * 100), int(D(high) * 100))) / 100


@dataclass
class Period:
    """The rows of one period's files, and the functional-currency figures the
    journals and opening balances are sized from."""

    period: str
    sales: list[SalesRow] = field(default_factory=list)
    sales_xlsx: list[SalesRow] = field(default_factory=list)  # JP01's own export
    purchasing: list[PurchasingRow] = field(default_factory=list)
    inventory: list[InventoryRow] = field(default_factory=list)
    expenses: list[ExpenseRow] = field(default_factory=list)
    expenses_zh: list[ExpenseRow] = field(default_factory=list)  # CN01's GB18030 export
    journals: list[JournalRow] = field(default_factory=list)
    # functional amounts, debit positive, by (entity, account, profit center, cost center)
    pnl: dict[tuple[str, str, str, str], Decimal] = field(default_factory=lambda: defaultdict(D))
    # functional totals by (entity, what): receivables, payables, payroll, claims
    totals: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(D))
    # intercompany invoices gross by (seller, buyer, invoice currency)
    ic_invoiced: dict[tuple[str, str, str], Decimal] = field(default_factory=lambda: defaultdict(D))

    @property
    def code(self) -> str:
        """``2610`` for 2026-10: the period part of document numbers."""
        return self.period[2:4] + self.period[5:]

    def day(self, n: int) -> date:
        return date(int(self.period[:4]), int(self.period[5:]), n)

    @property
    def last_day(self) -> date:
        return self.day(calendar.monthrange(int(self.period[:4]), int(self.period[5:]))[1])

    def book(self, entity: str, account: str, pc: str, cc: str, amount: Decimal) -> None:
        """Note a functional P&L amount (the opening results are sized from them)."""
        self.pnl[(entity, account, pc, cc)] += amount

"""One period of the demo being built (:class:`Period`) and the seeded
random generator every part of the demo draws from (:class:`Dice`)."""

from __future__ import annotations

import calendar
import random
from collections.abc import Sequence
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
SubledgerRow = SalesRow | PurchasingRow | InventoryRow | ExpenseRow


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
    """The rows of one period's files."""

    period: str
    sales: list[SalesRow] = field(default_factory=list)
    sales_xlsx: list[SalesRow] = field(default_factory=list)  # JP01's own export
    purchasing: list[PurchasingRow] = field(default_factory=list)
    inventory: list[InventoryRow] = field(default_factory=list)
    expenses: list[ExpenseRow] = field(default_factory=list)
    expenses_zh: list[ExpenseRow] = field(default_factory=list)  # CN01's GB18030 export
    journals: list[JournalRow] = field(default_factory=list)  # month-end entries
    bank: list[JournalRow] = field(default_factory=list)  # the cash book

    @property
    def code(self) -> str:
        """``2610`` for 2026-10: the period part of document numbers."""
        return self.period[2:4] + self.period[5:]

    def day(self, n: int) -> date:
        return date(int(self.period[:4]), int(self.period[5:]), n)

    @property
    def last_day(self) -> date:
        return self.day(calendar.monthrange(int(self.period[:4]), int(self.period[5:]))[1])

    def subledgers(self) -> list[tuple[str, Sequence[SubledgerRow]]]:
        """(module, rows) of every subledger file."""
        return [
            ("sales", self.sales),
            ("sales", self.sales_xlsx),
            ("purchasing", self.purchasing),
            ("inventory", self.inventory),
            ("expenses", self.expenses),
            ("expenses", self.expenses_zh),
        ]

"""A small group written straight into the tables consolidation reads.

Master rows, rates and journal lines are inserted as posting would leave
them, so consolidation is tested on its own; the end-to-end tests go
through load and post instead.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from closekit import db, status
from closekit.consolidation import ConsolidationReport, consolidate_period
from closekit.ledger import TBLine
from closekit.post import write_totals
from closekit.workspace import Settings, load_settings
from tests.inline import DEFAULT_TOML, write_workspace

# account, type, rate, ic_plug, role
CHART = [
    ("1000", "asset", "closing", "", ""),  # cash
    ("1200", "asset", "closing", "1990", ""),  # IC receivables
    ("1500", "asset", "historical", "", "investment"),  # investments in subsidiaries
    ("1700", "asset", "closing", "", ""),  # goodwill
    ("1990", "asset", "closing", "", "ic_difference"),  # IC difference
    ("2000", "liability", "closing", "", ""),  # payables
    ("2200", "liability", "closing", "1990", ""),  # IC payables
    ("3000", "equity", "historical", "", "share_capital"),
    ("3100", "equity", "historical", "", ""),  # other reserves
    ("3200", "equity", "historical", "", ""),  # retained earnings
    ("3300", "equity", "historical", "", ""),  # CTA
    ("3900", "equity", "historical", "", ""),  # NCI
    ("4000", "revenue", "average", "", ""),
    ("4100", "revenue", "average", "5000", ""),  # IC goods revenue, plugs to cost of sales
    ("4200", "revenue", "average", "6990", ""),  # IC service revenue
    ("5000", "expense", "average", "", ""),  # cost of sales
    ("6000", "expense", "average", "", ""),
    ("6200", "expense", "average", "6990", ""),  # IC service expense
    ("6990", "expense", "average", "", "ic_difference"),  # IC P&L difference
    ("8900", "expense", "average", "", ""),  # NCI share of profit
]


def d(text: str) -> Decimal:
    return Decimal(text)


class Group:
    """A workspace with master data, rates and journal lines inserted directly."""

    def __init__(self, root: Path, fiscal_year_start: int = 1, tolerance: str = "10.00") -> None:
        toml = DEFAULT_TOML.replace(
            "fiscal_year_start = 1", f"fiscal_year_start = {fiscal_year_start}"
        ).replace('tolerance = "10.00"', f'tolerance = "{tolerance}"')
        self.settings: Settings = load_settings(write_workspace(root, {}, toml))
        # In memory: these tests never reopen the database, and it is faster.
        self.con: duckdb.DuckDBPyConnection = duckdb.connect()
        db.migrate(self.con)
        self.con.executemany(
            "INSERT INTO account (account, name, type, rate, ic_plug, role) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                [account, f"Account {account}", kind, rate, plug, role]
                for account, kind, rate, plug, role in CHART
            ],
        )
        self._lines: list[list[object]] = []

    def entity(
        self,
        code: str,
        currency: str = "CNY",
        parent: str = "",
        pct: str = "100",
        method: str = "full",
    ) -> Group:
        self.con.execute(
            "INSERT INTO entity (entity, name, currency, parent, ownership_pct, method) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [code, f"Entity {code}", currency, parent, d(pct), method],
        )
        return self

    def ownership(
        self,
        entity: str,
        start: str,
        parent: str,
        pct: str,
        method: str = "full",
        **columns: str,
    ) -> Group:
        """A row of master/ownership.csv (SPEC 14); ``columns`` are its
        optional columns (nci_fair_value, fair_value, migration columns)."""
        names = ["entity", "from_period", "parent", "ownership_pct", "method", "path", "row_no"]
        self.con.execute(
            f"INSERT INTO ownership ({', '.join(names + list(columns))}) "
            f"VALUES ({', '.join('?' * (len(names) + len(columns)))})",
            [entity, start, parent, d(pct or "0"), method, "master/ownership.csv", 2]
            + [d(v) for v in columns.values()],
        )
        return self

    def account(self, account: str, kind: str, rate: str, plug: str = "", role: str = "") -> Group:
        self.con.execute(
            "INSERT INTO account (account, name, type, rate, ic_plug, role) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [account, f"Account {account}", kind, rate, plug, role],
        )
        return self

    def accounts(self, **keys: str) -> Group:
        """Optional [accounts] settings (bargain_purchase, disposal_gain, ...)."""
        self.settings = replace(self.settings, accounts=replace(self.settings.accounts, **keys))
        return self

    def rate(self, period: str, currency: str, closing: str | None, average: str | None) -> Group:
        self.con.execute(
            "INSERT INTO fx_rate VALUES (?, ?, ?, ?)",
            [
                period,
                currency,
                None if closing is None else d(closing),
                None if average is None else d(average),
            ],
        )
        return self

    def line(
        self,
        period: str,
        entity: str,
        account: str,
        amount: str,
        partner: str = "",
        amount_group: str | None = None,
        profit_center: str = "",
        cost_center: str = "",
        module: str = "journals",
        doc_id: str | None = None,
        currency: str = "XXX",
        amount_doc: str | None = None,
        day: int = 1,
        flow: str | None = None,
    ) -> Group:
        """One journal line (written at the next post/consolidate); the caller
        keeps each entity's lines balanced. Without ``doc_id`` each line is a
        document of its own; ``amount_doc`` defaults to ``amount``. Its flow
        defaults as posting's does: opening for opening lines, else movement."""
        self._lines.append(
            [
                period,
                date(int(period[:4]), int(period[5:]), day),
                entity,
                account,
                partner,
                profit_center,
                cost_center,
                module,
                doc_id or f"D{len(self._lines)}",
                currency,
                d(amount if amount_doc is None else amount_doc),
                d(amount),
                None if amount_group is None else d(amount_group),
                flow or ("opening" if module == "opening" else "movement"),
            ]
        )
        return self

    def flush(self) -> None:
        if self._lines:
            self.con.executemany(
                "INSERT INTO journal (period, date, entity, account, partner, profit_center, "
                "cost_center, module, doc_id, line, currency, amount_doc, amount, amount_group, "
                "flow) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '1', ?, ?, ?, ?, ?)",
                self._lines,
            )
            write_totals(self.con)  # as posting does with the lines
            self._lines = []

    def post(self, *periods: str) -> Group:
        """Mark periods loaded and posted, as `closekit load` and `post` would,
        with their folders."""
        self.flush()
        for period in periods:
            (self.settings.ledgers_dir / period).mkdir(parents=True, exist_ok=True)
            status.mark(self.con, period, "loaded")
            status.mark(self.con, period, "posted")
        return self

    def consolidate(self, period: str) -> ConsolidationReport:
        self.flush()
        return consolidate_period(self.settings, self.con, period)


def amounts(lines: list[TBLine]) -> dict[str, Decimal]:
    return {line.account: line.amount for line in lines}

"""A small group written straight into the consolidation tables, for the
management tests: master data, translated balances (group currency, YTD),
node members and eliminations, as the consolidation step would leave them.

Chart: 4000 sales, 4100 IC service revenue and 6100 IC service expense (both
plug to 6900 IC P&L difference), 5000 cost of sales, 6000 operating expense,
6950 allocation (management only), 8900 NCI profit, 1000 cash.

Group: P (top) owns S1 and S2. Business units GRP > HW, SW; profit centers
PC1, PC2 in HW and PC3 in SW. Cost centers: CC-HW (S1, Sales, PC1), and two
shared services CC-IT (P, IT) and CC-FIN (P, Finance).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

from closekit import db, status
from closekit.workspace import Settings, load_settings
from tests.inline import DEFAULT_TOML, write_workspace

ACCOUNTS = [
    # account, name, type, ic_plug, role
    ("1000", "Cash", "asset", "", ""),
    ("3200", "Retained earnings", "equity", "", ""),
    ("4000", "Sales", "revenue", "", ""),
    ("4100", "IC service revenue", "revenue", "6900", ""),
    ("5000", "Cost of sales", "expense", "", ""),
    ("6000", "Operating expense", "expense", "", ""),
    ("6100", "IC service expense", "expense", "6900", ""),
    ("6900", "IC P&L difference", "expense", "", "ic_difference"),
    ("6950", "Allocations", "expense", "", ""),
    ("8900", "NCI share of profit", "expense", "", ""),
]
ENTITIES = [("P", ""), ("S1", "P"), ("S2", "P")]
BUSINESS_UNITS = [("GRP", "Group", ""), ("HW", "Hardware", "GRP"), ("SW", "Software", "GRP")]
PROFIT_CENTERS = [("PC1", "Laptops", "HW"), ("PC2", "Desktops", "HW"), ("PC3", "Cloud", "SW")]
COST_CENTERS = [
    ("CC-HW", "Hardware sales", "S1", "Sales", "PC1"),
    ("CC-IT", "Group IT", "P", "IT", ""),
    ("CC-FIN", "Group finance", "P", "Finance", ""),
]


class Group:
    """The test group in a fresh workspace database."""

    def __init__(
        self,
        root: Path,
        periods: tuple[str, ...] = ("2026-10", "2026-11"),
        fiscal_year_start: int = 1,
        in_memory: bool = False,
    ) -> None:
        toml = DEFAULT_TOML.replace(
            "fiscal_year_start = 1", f"fiscal_year_start = {fiscal_year_start}"
        )
        write_workspace(root, {f"ledgers/{p}/.keep": "" for p in periods}, toml=toml)
        self.settings: Settings = load_settings(root)
        self.con: duckdb.DuckDBPyConnection
        if in_memory:  # many small examples: no file to sync on every commit
            self.con = duckdb.connect(":memory:")
            db.migrate(self.con)
        else:
            self.con = db.connect(self.settings)
        con = self.con
        con.executemany(
            "INSERT INTO account (account, name, type, rate, ic_plug, role) "
            "VALUES (?, ?, ?, '', ?, ?)",
            ACCOUNTS,
        )
        con.executemany(
            "INSERT INTO entity (entity, name, currency, parent, ownership_pct, method) "
            "VALUES (?, ?, 'CNY', ?, 100, 'full')",
            [(e, e, parent) for e, parent in ENTITIES],
        )
        con.executemany(
            "INSERT INTO business_unit (business_unit, name, parent) VALUES (?, ?, ?)",
            BUSINESS_UNITS,
        )
        con.executemany(
            "INSERT INTO profit_center (profit_center, name, business_unit) VALUES (?, ?, ?)",
            PROFIT_CENTERS,
        )
        con.executemany(
            "INSERT INTO cost_center (cost_center, name, entity, department, profit_center) "
            "VALUES (?, ?, ?, ?, ?)",
            COST_CENTERS,
        )
        self._rule_seq = 0

    def rule(
        self, cycle: str, sender: str, receiver: str, basis: str, share: str | None = None
    ) -> None:
        """One row of allocations.csv."""
        self._rule_seq += 1
        self.con.execute(
            "INSERT INTO allocation VALUES (?, ?, ?, ?, ?, ?)",
            [
                cycle,
                sender,
                receiver,
                basis,
                None if share is None else Decimal(share),
                self._rule_seq,
            ],
        )

    def balance(
        self,
        period: str,
        entity: str,
        account: str,
        amount: str,
        pc: str = "",
        cc: str = "",
        partner: str = "",
    ) -> None:
        """A translated balance at ``period`` (YTD for P&L), signed debit positive."""
        self.con.execute(
            "INSERT INTO translated_balance VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'average')",
            [period, entity, account, partner, pc, cc, Decimal(amount), Decimal(amount)],
        )

    def elimination(
        self, period: str, entity: str, account: str, amount: str, partner: str = "", pc: str = ""
    ) -> None:
        """An ic_elimination entry of the top node P at ``period`` (YTD)."""
        self.con.execute(
            "INSERT INTO consolidation_entry (period, node, step, entity, partner, account,"
            " profit_center, cost_center, amount_group, note)"
            " VALUES (?, 'P', 'ic_elimination', ?, ?, ?, ?, '', ?, '')",
            [period, entity, partner, account, pc, Decimal(amount)],
        )

    def consolidated(self, period: str) -> None:
        """Members of node P and the period marked loaded, posted and consolidated."""
        self.con.execute("DELETE FROM node_member WHERE period = ?", [period])
        self.con.executemany(
            "INSERT INTO node_member (period, node, entity, depth, direct_parent, ownership, "
            "effective) VALUES (?, 'P', ?, ?, ?, 1, 1)",
            [(period, e, 0 if not parent else 1, parent) for e, parent in ENTITIES],
        )
        for step in ("loaded", "posted", "consolidated"):
            status.mark(self.con, period, step)

"""A small group's books written inline, straight into the tables posting reads.

Posting tests fill master tables, ``fx_rate`` and ``source_row`` directly (as
a load would leave them) so that each test shows only the accounting it is
about. Tables are written as CSV text; an empty cell is '' for text columns
and NULL for numbers, as the loader stores them.
"""

from __future__ import annotations

import csv
import io
import textwrap
from decimal import Decimal
from pathlib import Path

import duckdb

from closekit import db, fx, status
from closekit.ledger import Basis, trial_balance
from closekit.workspace import Settings, load_settings
from tests.inline import DEFAULT_TOML, write_workspace

ENTITIES = """
entity,name,currency,parent,ownership_pct,method
P,Parent Co,CNY,,100,full
U,US Sub,USD,P,100,full
"""

# A small chart: monetary accounts are revalued; share capital is historical.
ACCOUNTS = """
account,name,type,parent,rate,ic_plug,role,revalue
1000,Cash,asset,,closing,,,true
1100,Receivables,asset,,closing,,,true
1150,IC receivables,asset,,closing,1190,,true
1190,IC difference,asset,,closing,,ic_difference,false
1200,Inventory,asset,,closing,,,false
1300,Input VAT,asset,,closing,,,false
1700,Goodwill,asset,,closing,,,false
2000,Payables,liability,,closing,,,true
2100,Output VAT,liability,,closing,,,false
3000,Share capital,equity,,historical,,share_capital,false
3200,Retained earnings,equity,,historical,,,false
3300,CTA,equity,,historical,,,false
3900,NCI equity,equity,,historical,,,false
4000,Revenue goods,revenue,,average,,,false
4050,IC revenue goods,revenue,,average,5000,,false
4100,Revenue services,revenue,,average,,,false
5000,Cost of sales,expense,,average,,,false
6000,Operating expenses,expense,,average,,,false
6100,Travel,expense,,average,,,false
6950,Allocations,expense,,average,,,false
7100,FX gain/loss,expense,,average,,,false
8900,NCI profit,expense,,average,,,false
"""

RULES = """
module,kind,intercompany,side,account,amount,seq
sales,goods,any,debit,1100,gross,1
sales,goods,any,credit,4000,net,2
sales,goods,any,credit,2100,tax,3
sales,goods,yes,debit,1150,gross,4
sales,goods,yes,credit,4050,net,5
sales,goods,yes,credit,2100,tax,6
sales,service,any,debit,1100,gross,7
sales,service,any,credit,4100,net,8
sales,service,any,credit,2100,tax,9
purchasing,stock,any,debit,1200,net,10
purchasing,stock,any,debit,1300,tax,11
purchasing,stock,any,credit,2000,gross,12
purchasing,service,any,debit,6000,net,13
purchasing,service,any,debit,1300,tax,14
purchasing,service,any,credit,2000,gross,15
inventory,sale_issue,any,debit,5000,value,16
inventory,sale_issue,any,credit,1200,value,17
inventory,scrap,any,debit,6000,value,18
inventory,scrap,any,credit,1200,value,19
inventory,count_gain,any,debit,1200,value,20
inventory,count_gain,any,credit,6000,value,21
inventory,count_loss,any,debit,6000,value,22
inventory,count_loss,any,credit,1200,value,23
expenses,travel,any,debit,6100,net,24
expenses,travel,any,debit,1300,tax,25
expenses,travel,any,credit,2000,gross,26
"""

# Units of CNY (group currency) per unit of currency.
RATES = """
period,currency,closing,average
2025-12,CNY,1,1
2025-12,USD,7.00,7.00
2026-01,CNY,1,1
2026-01,USD,7.20,7.10
2026-01,EUR,7.80,7.7777777
2026-02,CNY,1,1
2026-02,USD,7.30,7.25
2026-02,EUR,7.90,7.85
"""


def _cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(textwrap.dedent(text).strip() + "\n")))


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, object]]) -> None:
    """Insert rows (column -> value) in one statement; an empty text cell is ''
    or NULL by column type. All rows have the same columns."""
    if not rows:
        return
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall())
    columns = list(rows[0])
    values = [
        ("" if types[c] == "VARCHAR" else None) if row[c] == "" else row[c]
        for row in rows
        for c in columns
    ]
    marks = ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in rows)
    con.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {marks}", values)


def fill(con: duckdb.DuckDBPyConnection, table: str, text: str) -> None:
    """Insert CSV ``text`` (with a header) into ``table``."""
    insert(con, table, [{k: v.strip() for k, v in row.items()} for row in _cells(text)])


# File columns stored under a shared source_row column.
_STORED = {
    "customer": "counterparty",
    "supplier": "counterparty",
    "payee": "counterparty",
    "product": "item",
}


def source(con: duckdb.DuckDBPyConnection, period: str, module: str, text: str) -> None:
    """Accepted rows of ``ledgers/PERIOD/MODULE.csv`` as the loader stores them
    (data rows numbered from 2, after the header); marks the period loaded."""
    path = f"ledgers/{period}/{module}.csv"
    rows = [
        {
            "period": period,
            "module": module,
            "path": path,
            "sha256": f"sha-{period}-{module}",
            "row_no": number,
            **{_STORED.get(k, k): v.strip() for k, v in row.items()},
        }
        for number, row in enumerate(_cells(text), start=2)
    ]
    insert(con, "source_row", rows)
    status.mark(con, period, "loaded")


def books(
    tmp_path: Path,
    periods: tuple[str, ...] = ("2026-01",),
    toml: str = DEFAULT_TOML,
    entities: str = ENTITIES,
    accounts: str = ACCOUNTS,
    rules: str = RULES,
    rates: str = RATES,
    in_memory: bool = True,
) -> tuple[Settings, duckdb.DuckDBPyConnection]:
    """A workspace with a folder per period and its database holding master data
    (``in_memory``: a fresh in-memory database instead of the workspace's file)."""
    root = write_workspace(tmp_path, {f"ledgers/{p}/.keep": "" for p in periods}, toml)
    settings = load_settings(root)
    if in_memory:
        con = duckdb.connect()
        db.migrate(con)
    else:
        con = db.connect(settings)
    fill(con, "entity", entities)
    fill(con, "account", accounts)
    fill(con, "posting_rule", rules)
    fill(con, "fx_rate", rates)
    fx.build_cross_rates(con)
    return settings, con


def tb(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    entity: str,
    basis: Basis = "ytd",
) -> dict[str, Decimal]:
    """account -> balance of ``entity``'s functional trial balance."""
    return {
        line.account: line.amount for line in trial_balance(con, settings, period, entity, basis)
    }


def money(expected: dict[str, str]) -> dict[str, Decimal]:
    """A trial balance written out by hand: account -> amount."""
    return {account: Decimal(amount) for account, amount in expected.items()}

"""The journal benchmark's workload: one set of transactions, written for each tool.

:func:`generate` writes N transactions over M months for E entities, all in
the group currency, from the same generated rows:

- as a closekit workspace: master data and one CSV file per module and month
  (``ledgers/YYYY-MM/sales.csv``, ``purchasing.csv``, ``expenses.csv``);
- as one plain-text journal (``journal.ledger``) for hledger and ledger: one
  transaction per source row, with the postings closekit's rules make of it
  (account ``ENTITY:ACCOUNT``, debit positive).

:func:`floor_script` is the bare-DuckDB floor: a Python program that reads the
same CSV files and prints every entity's trial balance at a month (the rules
applied in one query, no validation, no lineage, nothing stored).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from closekit.periods import add_months

# Posting rules of the generated rows: account and side per amount; a rule
# line whose amount is zero (a row without tax) posts nothing.
RULES = (
    ("sales", "goods", "debit", "1200", "gross"),
    ("sales", "goods", "credit", "4000", "net"),
    ("sales", "goods", "credit", "2210", "tax"),
    ("purchasing", "stock", "debit", "1400", "net"),
    ("purchasing", "stock", "debit", "2220", "tax"),
    ("purchasing", "stock", "credit", "2100", "gross"),
    ("expenses", "travel", "debit", "6100", "net"),
    ("expenses", "travel", "debit", "2220", "tax"),
    ("expenses", "travel", "credit", "2100", "gross"),
)
ACCOUNTS = (
    ("1200", "Receivables", "asset"),
    ("1400", "Inventory", "asset"),
    ("1700", "Goodwill", "asset"),
    ("2100", "Payables", "liability"),
    ("2210", "Output VAT", "liability"),
    ("2220", "Input VAT", "asset"),
    ("3100", "Share capital", "equity"),
    ("3200", "Retained earnings", "equity"),
    ("3300", "CTA", "equity"),
    ("3900", "NCI equity", "equity"),
    ("4000", "Revenue", "revenue"),
    ("6100", "Travel", "expense"),
    ("6950", "Allocations", "expense"),
    ("7100", "FX gain and loss", "expense"),
    ("8900", "NCI profit", "expense"),
)
RETAINED_EARNINGS = "3200"
SETTINGS = """[group]
name = "Journal bench"
currency = "CNY"
fiscal_year_start = 1

[accounts]
retained_earnings = "3200"
cta = "3300"
nci_equity = "3900"
nci_profit = "8900"
goodwill = "1700"
fx_gain_loss = "7100"
allocation = "6950"
"""
# Each module's columns, and how a generated row fills them (SQL over t;
# NULL is written as an empty field).
COLUMNS = {
    "sales": "doc_id, line, date, entity, currency, kind, customer, partner, profit_center, "
    "product, quantity, net_amount, tax_amount",
    "purchasing": "doc_id, line, date, entity, currency, kind, supplier, partner, profit_center, "
    "cost_center, item, quantity, net_amount, tax_amount",
    "expenses": "doc_id, line, date, entity, currency, kind, payee, partner, profit_center, "
    "cost_center, description, net_amount, tax_amount",
}
_FILL = {
    "customer": "'C' || (i % 997)",
    "supplier": "'S' || (i % 211)",
    "payee": "'employee ' || (i % 89)",
    "partner": "NULL",
    "profit_center": "CASE WHEN module <> 'expenses' THEN 'PC' || (i % 10) END",
    "cost_center": "CASE WHEN module = 'expenses' THEN 'CC-' || entity END",
    "product": "'P' || (i % 53)",
    "item": "'I' || (i % 71)",
    "description": "'trip ' || i",
    "quantity": "(i % 9 + 1)::VARCHAR",
    "net_amount": "net::VARCHAR",
    "tax_amount": "CASE WHEN tax <> 0 THEN tax::VARCHAR END",
    "line": "'1'",
    "date": "strftime(date, '%Y-%m-%d')",
    "currency": "'CNY'",
}
FIRST = "2025-01"


@dataclass(frozen=True)
class Generated:
    """What :func:`generate` wrote: the workspace, the journal, and the
    workload's size (postings: the lines every tool books)."""

    root: Path  # the closekit workspace
    journal: Path  # the plain-text journal
    periods: tuple[str, ...]
    entities: tuple[str, ...]
    transactions: int
    postings: int
    files: int


def _rows_sql(transactions: int, months: int, entities: int, first: str) -> str:
    """The generated rows ``t``: transaction i falls in month i*M/N, on
    entity i mod E; 60% sales, 20% purchases, 20% travel claims; 45% carry
    tax (so a transaction posts 2.45 lines on average)."""
    return f"""
CREATE OR REPLACE TABLE t AS
SELECT i, 'T' || lpad(i::VARCHAR, 7, '0') AS doc_id,
       'E' || (i % {entities} + 1) AS entity,
       CASE WHEN i % 10 < 6 THEN 'sales' WHEN i % 10 < 8 THEN 'purchasing' ELSE 'expenses' END
           AS module,
       CASE WHEN i % 10 < 6 THEN 'goods' WHEN i % 10 < 8 THEN 'stock' ELSE 'travel' END AS kind,
       m,
       (DATE '{first}-01' + to_months(m) + to_days((i * 7) % 28))::DATE AS date,
       net, CASE WHEN (i * 37) % 100 < 45 THEN round(net * 0.13, 2) ELSE 0 END AS tax
FROM (
    SELECT i, (i * {months} // {transactions})::INTEGER AS m,
           ((i * 7919) % 1000000 / 100 + 10)::DECIMAL(18, 2) AS net
    FROM range({transactions}) r(i)
)
"""


def _master(root: Path, entities: tuple[str, ...]) -> None:
    master = root / "master"
    master.mkdir(parents=True)
    (root / "closekit.toml").write_text(SETTINGS, encoding="utf-8")
    files = {
        "entities.csv": "entity,name,currency,parent,ownership_pct,method\n"
        + "".join(
            f"{e},Entity {e},CNY,{'' if n == 0 else entities[0]},{'' if n == 0 else 100},\n"
            for n, e in enumerate(entities)
        ),
        "accounts.csv": "account,name,type,role\n"
        + "".join(
            f"{a},{name},{kind},{'share_capital' if a == '3100' else ''}\n"
            for a, name, kind in ACCOUNTS
        ),
        "business_units.csv": "business_unit,name,parent\nB1,Business,\n",
        "profit_centers.csv": "profit_center,name,business_unit\n"
        + "".join(f"PC{n},Profit center {n},B1\n" for n in range(10)),
        "cost_centers.csv": "cost_center,name,entity,department,profit_center\n"
        + "".join(f"CC-{e},Admin {e},{e},Administration,PC0\n" for e in entities),
        "fx_rates.csv": "period,currency,closing,average\n",
        "posting_rules.csv": "module,kind,intercompany,side,account,amount\n"
        + "".join(f"{m},{k},any,{s},{a},{amount}\n" for m, k, s, a, amount in RULES),
    }
    for name, text in files.items():
        (master / name).write_text(text, encoding="utf-8")


# One transaction per row: date, code, then each rule line with a non-zero
# amount as `ENTITY:ACCOUNT  amount` (debit positive), for hledger and ledger.
_JOURNAL = """
SELECT strftime(t.date, '%Y-%m-%d') || ' (' || t.doc_id || ') ' || t.module || chr(10)
       || string_agg('    ' || t.entity || ':' || r.account || '  ' || p.amount::VARCHAR,
                     chr(10) ORDER BY r.n) || chr(10) || chr(10)
FROM t
JOIN rules r ON r.module = t.module
CROSS JOIN LATERAL (
    SELECT (CASE WHEN r.side = 'debit' THEN 1 ELSE -1 END)
           * CASE r.amount WHEN 'net' THEN t.net WHEN 'tax' THEN t.tax
                           ELSE t.net + t.tax END AS amount
) p
WHERE p.amount <> 0
GROUP BY t.i, t.date, t.doc_id, t.module
ORDER BY t.i
"""


def generate(
    root: Path, transactions: int, months: int, entities: int, first: str = FIRST
) -> Generated:
    """Write the workspace under ``root/closekit`` and the journal beside it,
    the months from ``first`` on."""
    if root.exists():
        shutil.rmtree(root)
    workspace = root / "closekit"
    names = tuple(f"E{n + 1}" for n in range(entities))
    _master(workspace, names)
    periods = tuple(add_months(first, m) for m in range(months))
    con = duckdb.connect()
    try:
        con.execute(_rows_sql(transactions, months, entities, first))
        con.execute(
            "CREATE TABLE rules AS SELECT * FROM (VALUES "
            + ", ".join(
                f"({n}, '{m}', '{s}', '{a}', '{x}')" for n, (m, _, s, a, x) in enumerate(RULES)
            )
            + ") r(n, module, side, account, amount)"
        )
        files = 0
        for m, period in enumerate(periods):
            folder = workspace / "ledgers" / period
            folder.mkdir(parents=True)
            for module, columns in COLUMNS.items():
                select = ", ".join(
                    f"{_FILL.get(c, c)} AS {c}" for c in (c.strip() for c in columns.split(","))
                )
                con.execute(
                    f"COPY (SELECT {select} FROM t WHERE m = {m} AND module = '{module}' "
                    f"ORDER BY i) TO '{folder / f'{module}.csv'}' (HEADER true)"
                )
                files += 1
        journal = root / "journal.ledger"
        with journal.open("w", encoding="utf-8") as out:
            for (text,) in con.execute(_JOURNAL).fetchall():
                out.write(text)
        ((postings,),) = con.execute(
            "SELECT count(*) FROM t JOIN rules r ON r.module = t.module "
            "WHERE r.amount <> 'tax' OR t.tax <> 0"
        ).fetchall()
    finally:
        con.close()
    return Generated(workspace, journal, periods, names, transactions, int(postings), files)


# ---- the floor ---------------------------------------------------------------

# Bare DuckDB in one process: read the CSV files (their columns known, so no
# dialect sniffing), apply the posting rules, and sum by entity and account
# at the last month, the P&L of earlier fiscal years on retained earnings.
# Arguments: workspace, last month, its fiscal year's first month, and the
# workload (modules' columns, rules, P&L accounts, retained earnings) as JSON.
FLOOR_SCRIPT = r'''
import json, sys
import duckdb
root, last, year_start, workload = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
def reader(module, columns):
    typed = ", ".join(f"'{c.strip()}': 'VARCHAR'" for c in columns.split(","))
    return (
        f"SELECT entity, left(date, 7) AS period, '{module}' AS module, kind, "
        f"net_amount::DECIMAL(18, 2) AS net, coalesce(tax_amount::DECIMAL(18, 2), 0) AS tax "
        f"FROM read_csv('{root}/ledgers/*/{module}.csv', header=true, auto_detect=false, "
        f"columns={{{typed}}})"
    )
source = " UNION ALL ".join(reader(m, c) for m, c in workload["columns"].items())
rules = ", ".join("('" + "', '".join(rule) + "')" for rule in workload["rules"])
pnl = ", ".join(f"'{a}'" for a in workload["pnl"])
rows = duckdb.sql(f"""
WITH src AS ({source}),
rule(module, kind, side, account, amount) AS (VALUES {rules}),
lines AS (
    SELECT s.entity, s.period, r.account,
           (CASE WHEN r.side = 'debit' THEN 1 ELSE -1 END) * CASE r.amount
               WHEN 'net' THEN s.net WHEN 'tax' THEN s.tax ELSE s.net + s.tax END AS amount
    FROM src s JOIN rule r USING (module, kind)
)
SELECT entity,
       CASE WHEN account IN ({pnl}) AND period < '{year_start}' THEN '{workload["retained"]}'
            ELSE account END AS account,
       sum(amount)
FROM lines WHERE period <= '{last}'
GROUP BY ALL HAVING sum(amount) <> 0 ORDER BY ALL
""").fetchall()
for entity, account, total in rows:
    print(f"{entity},{account},{total:.2f}")
'''


def floor_command(python: str, workspace: Path, last: str, year_start: str) -> list[str]:
    """The floor's process: it prints ``entity,account,amount`` lines."""
    workload = {
        "columns": COLUMNS,
        "rules": RULES,
        "pnl": [a for a, _, kind in ACCOUNTS if kind in ("revenue", "expense")],
        "retained": RETAINED_EARNINGS,
    }
    return [python, "-c", FLOOR_SCRIPT, str(workspace), last, year_start, json.dumps(workload)]

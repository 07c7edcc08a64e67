"""Measure loading a large subledger file: ``python -m closekit.bench_load [ROWS]``.

Writes a small group's master data and one sales CSV of ROWS rows (default
1,000,000) into a temporary workspace, then times reading the file alone and
the whole ``load_period`` (read, validate every rule, write, commit).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from closekit import db
from closekit.io import read_table
from closekit.load import load_period
from closekit.workspace import load_settings

TOML = """[group]
name = "Bench"
currency = "CNY"
[accounts]
retained_earnings = "3200"
cta = "3300"
nci_equity = "3900"
nci_profit = "8900"
goodwill = "1700"
fx_gain_loss = "7100"
allocation = "6950"
"""

MASTER = {
    "entities.csv": "entity,name,currency,parent,ownership_pct,method\nP,P,CNY,,,\nU,U,USD,P,80,\n",
    "accounts.csv": "account,name,type\n"
    + "".join(
        f"{a},{a},{t}\n"
        for a, t in [
            ("1100", "asset"),
            ("1700", "asset"),
            ("2100", "liability"),
            ("3200", "equity"),
            ("3300", "equity"),
            ("3900", "equity"),
            ("4000", "revenue"),
            ("6950", "expense"),
            ("7100", "expense"),
            ("8900", "expense"),
        ]
    ),
    "business_units.csv": "business_unit,name,parent\nB,B,\n",
    "profit_centers.csv": "profit_center,name,business_unit\n"
    + "".join(f"PC{i},PC{i},B\n" for i in range(50)),
    "cost_centers.csv": "cost_center,name,entity,department,profit_center\nC,C,P,F,\n",
    "fx_rates.csv": "period,currency,closing,average\n2026-10,USD,7.1,7.0\n",
    "posting_rules.csv": "module,kind,intercompany,side,account,amount\n"
    "sales,goods,any,debit,1100,gross\nsales,goods,any,credit,4000,net\n"
    "sales,goods,any,credit,2100,tax\n",
}

HEADER = (
    "doc_id,line,date,entity,currency,kind,customer,partner,profit_center,product,quantity,"
    "net_amount,tax_amount\n"
)


def write_workspace(root: Path, rows: int) -> Path:
    (root / "master").mkdir(parents=True)
    (root / "ledgers" / "2026-10").mkdir(parents=True)
    (root / "closekit.toml").write_text(TOML, encoding="utf-8")
    for name, text in MASTER.items():
        (root / "master" / name).write_text(text, encoding="utf-8")
    path = root / "ledgers" / "2026-10" / "sales.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            entity, currency = ("U", "USD") if i % 4 == 0 else ("P", "CNY")
            out.write(
                f"S{i // 3},{i % 3 + 1},2026-10-{i % 28 + 1:02d},{entity},{currency},goods,"
                f"C{i % 500},,PC{i % 50},P{i % 90},{i % 7 + 1},{i % 9999}.50,{i % 999}.07\n"
            )
    return root


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_workspace(Path(folder), rows)
        settings = load_settings(root)
        path = root / "ledgers" / "2026-10" / "sales.csv"
        size = path.stat().st_size / 1e6
        started = time.perf_counter()
        table = read_table(path, "sales.csv")
        read_seconds = time.perf_counter() - started
        con = db.connect(settings)
        started, cpu = time.perf_counter(), time.process_time()
        report = load_period(settings, con, "2026-10")
        load_seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
        (file,) = report.files
        print(f"{rows:,} rows, {size:.0f} MB CSV")
        print(f"read only:         {read_seconds:6.2f} s ({table.read:,} rows)")
        print(
            f"load_period total: {load_seconds:6.2f} s wall, {cpu_seconds:.2f} s CPU "
            f"(read {file.read:,}, accepted {file.accepted:,}, rejected {file.rejected:,})"
        )
        started = time.perf_counter()
        again = load_period(settings, con, "2026-10")
        print(
            f"reload unchanged:  {time.perf_counter() - started:6.2f} s (changed={again.changed})"
        )
        con.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

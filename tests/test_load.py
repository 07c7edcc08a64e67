"""Loading a period (SPEC sections 4 and 5): nothing lost, the folder is the truth."""

from __future__ import annotations

import json
import tempfile
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from closekit.cli import main
from closekit.errors import InvalidInput, PeriodError
from closekit.load import load_period, lock_period
from closekit.workspace import Settings
from tests.test_load_fixture import MASTER, SALES, connect, period_files, workspace


def text(body: str) -> str:
    return textwrap.dedent(body).lstrip("\n")


def put(settings: Settings, relative: str, body: str) -> None:
    path = settings.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text(body), encoding="utf-8")


def test_happy_path_stores_typed_rows_with_lineage(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    con = connect(settings)
    report = load_period(settings, con, "2026-01")

    assert report.clean
    assert [(f.file, f.module, f.read, f.accepted, f.rejected) for f in report.files] == [
        ("ledgers/2026-01/expenses.csv", "expenses", 2, 2, 0),
        ("ledgers/2026-01/journals.csv", "journals", 2, 2, 0),
        ("ledgers/2026-01/opening.csv", "opening", 2, 2, 0),
        ("ledgers/2026-01/sales.csv", "sales", 3, 3, 0),
    ]
    sales = con.execute(
        "SELECT row_no, doc_id, entity, currency, partner, counterparty, item, quantity, "
        "net_amount, tax_amount, date FROM source_row WHERE module = 'sales' ORDER BY row_no"
    ).fetchall()
    # S2 leaves tax_amount empty: 0 (SPEC section 1)
    assert [r[:10] for r in sales] == [
        (2, "S1", "P", "CNY", "", "C1", "X1", Decimal(2), Decimal("1000.00"), Decimal("130.00")),
        (3, "S2", "U", "USD", "", "C2", "X1", Decimal(1), Decimal("100.00"), Decimal("0.00")),
        (4, "S3", "P", "CNY", "U", "", "X1", Decimal(1), Decimal("500.00"), Decimal("65.00")),
    ]
    assert str(sales[0][10]) == "2026-01-05"
    journal = con.execute(
        "SELECT debit, credit FROM source_row WHERE module = 'journals' ORDER BY row_no"
    ).fetchall()
    assert journal == [(Decimal("50.00"), Decimal("0.00")), (Decimal("0.00"), Decimal("50.00"))]
    sha = con.execute("SELECT DISTINCT sha256 FROM source_row WHERE module = 'sales'").fetchall()
    assert sha == [(report.files[3].sha256,)]
    assert con.execute("SELECT loaded_at IS NOT NULL FROM period_status").fetchone() == (True,)


def test_opening_without_amount_doc_is_in_functional_currency(tmp_path: Path) -> None:
    opening = """
        doc_id,line,date,entity,currency,account,amount,amount_group,amount_doc
        O1,1,2026-01-01,P,USD,1000,700.00,,100.00
        O1,2,2026-01-01,P,USD,3200,-700.00,,
    """
    settings = workspace(tmp_path, {"ledgers/2026-01/opening.csv": opening})
    con = connect(settings)
    assert load_period(settings, con, "2026-01").clean
    assert con.execute(
        "SELECT account, currency, amount, amount_doc FROM source_row ORDER BY row_no"
    ).fetchall() == [
        ("1000", "USD", Decimal("700.00"), Decimal("100.00")),
        ("3200", "CNY", Decimal("-700.00"), None),
    ]


def test_extra_columns_are_kept_as_json(tmp_path: Path) -> None:
    sales = """
        doc_id,line,date,entity,currency,kind,profit_center,net_amount,tax_amount,Region,备注
        S1,1,2026-01-05,P,CNY,goods,PC1,10,1,East,急
    """
    settings = workspace(tmp_path, {"ledgers/2026-01/Sales-east.csv": sales})
    con = connect(settings)
    report = load_period(settings, con, "2026-01")
    assert report.files[0].module == "sales"
    (extra,) = con.execute("SELECT extra FROM source_row").fetchone()  # type: ignore[misc]
    assert json.loads(extra) == {"Region": "East", "备注": "急"}


def test_unknown_prefix_and_other_files_are_ignored_with_a_warning(tmp_path: Path) -> None:
    files = {
        "ledgers/2026-01/sales.csv": SALES,
        "ledgers/2026-01/budget.csv": "a\n1\n",
        "ledgers/2026-01/sales-notes.txt": "hello",
    }
    settings = workspace(tmp_path, files)
    report = load_period(settings, connect(settings), "2026-01")
    assert [f.file for f in report.files] == ["ledgers/2026-01/sales.csv"]
    assert report.warnings == (
        "ledgers/2026-01/budget.csv: ignored, 'budget' is not a module "
        "(sales, purchasing, inventory, expenses, journals, opening, topside)",
        "ledgers/2026-01/sales-notes.txt: ignored, not a CSV, XLSX or Parquet file",
    )


def test_same_files_reload_changes_nothing(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    con = connect(settings)
    first = load_period(settings, con, "2026-01")
    history = con.execute("SELECT * FROM load_file ORDER BY path").fetchall()
    rows = con.execute("SELECT * FROM source_row ORDER BY path, row_no").fetchall()

    again = load_period(settings, con, "2026-01")
    assert not again.changed
    assert again.files == first.files
    assert con.execute("SELECT * FROM load_file ORDER BY path").fetchall() == history
    assert con.execute("SELECT * FROM source_row ORDER BY path, row_no").fetchall() == rows


def test_changed_file_replaces_its_rows_and_history_keeps_both(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    con = connect(settings)
    load_period(settings, con, "2026-01")
    put(settings, "ledgers/2026-01/sales.csv", SALES.replace("1000.00,130.00", "2000.00,260.00"))

    report = load_period(settings, con, "2026-01")
    assert report.changed
    assert con.execute("SELECT net_amount FROM source_row WHERE doc_id = 'S1'").fetchall() == [
        (Decimal("2000.00"),)
    ]
    versions = con.execute(
        "SELECT sha256, current FROM load_file WHERE path = 'ledgers/2026-01/sales.csv' "
        "ORDER BY loaded_at"
    ).fetchall()
    assert [current for _, current in versions] == [False, True]
    assert versions[1][0] == report.files[3].sha256 != versions[0][0]
    # unchanged files keep their one history row
    assert con.execute(
        "SELECT count(*) FROM load_file WHERE path = 'ledgers/2026-01/journals.csv'"
    ).fetchone() == (1,)


def test_removed_file_removes_its_rows(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    con = connect(settings)
    load_period(settings, con, "2026-01")
    (settings.ledgers_dir / "2026-01" / "expenses.csv").unlink()

    report = load_period(settings, con, "2026-01")
    assert [f.module for f in report.files] == ["journals", "opening", "sales"]
    assert con.execute("SELECT count(*) FROM source_row WHERE module = 'expenses'").fetchone() == (
        0,
    )
    assert con.execute(
        "SELECT current FROM load_file WHERE path = 'ledgers/2026-01/expenses.csv'"
    ).fetchall() == [(False,)]


def test_master_fix_accepts_rows_rejected_before(tmp_path: Path) -> None:
    sales = SALES.replace(
        "S1,1,2026-01-05,P,CNY,goods,C1,,PC1", "S1,1,2026-01-05,P,CNY,goods,C1,,PC2"
    )
    settings = workspace(tmp_path, {"ledgers/2026-01/sales.csv": sales})
    con = connect(settings)
    assert load_period(settings, con, "2026-01").files[0].rejected == 1
    put(
        settings,
        "master/profit_centers.csv",
        MASTER["master/profit_centers.csv"] + "PC2,Desktops,PCS\n",
    )

    report = load_period(settings, con, "2026-01")
    assert report.clean
    assert con.execute("SELECT count(*) FROM reject").fetchone() == (0,)


def test_duplicate_across_files_rejects_the_later_file_name(tmp_path: Path) -> None:
    again = text(SALES).splitlines()
    files = {
        "ledgers/2026-01/sales-b.csv": "\n".join([again[0], again[1]]) + "\n",
        "ledgers/2026-01/sales-a.csv": SALES,
    }
    settings = workspace(tmp_path, files)
    report = load_period(settings, connect(settings), "2026-01")
    assert [(f.file, f.rejected) for f in report.files] == [
        ("ledgers/2026-01/sales-a.csv", 0),
        ("ledgers/2026-01/sales-b.csv", 1),
    ]
    assert report.error_lines() == [
        'ledgers/2026-01/sales-b.csv:2 line: duplicate: sales document "S1" line "1" of entity P '
        "is already on ledgers/2026-01/sales-a.csv:2"
    ]


def test_refusals(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    con = connect(settings)
    with pytest.raises(PeriodError, match="unknown period 2026-03: no folder ledgers/2026-03"):
        load_period(settings, con, "2026-03")
    lock_period(settings, con, "2026-01")
    with pytest.raises(PeriodError, match="period 2026-01 is locked"):
        load_period(settings, con, "2026-01")


def test_invalid_master_refuses_the_load_and_keeps_the_tables(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    con = connect(settings)
    load_period(settings, con, "2026-01")
    put(settings, "master/entities.csv", "entity,name,currency,parent\nP,Parent,CNY,Q\n")
    with pytest.raises(InvalidInput):
        load_period(settings, con, "2026-01")
    assert con.execute("SELECT count(*) FROM entity").fetchone() == (2,)


# ---- the CLI -----------------------------------------------------------------


def test_cli_load_json_and_exit_code_1_when_rows_are_rejected(tmp_path: Path) -> None:
    bad = SALES.replace("100.00,\n", "1OO,\n")
    settings = workspace(tmp_path, {"ledgers/2026-01/sales.csv": bad})
    runner = CliRunner()
    result = runner.invoke(main, ["-w", str(settings.root), "load", "2026-01", "--format", "json"])
    assert result.exit_code == 1
    (file,) = json.loads(result.stdout)
    assert file == {
        "file": "ledgers/2026-01/sales.csv",
        "module": "sales",
        "sha256": file["sha256"],
        "read": 3,
        "accepted": 2,
        "rejected": 1,
        "errors": [{"row": 3, "column": "net_amount", "message": '"1OO" is not a number'}],
    }


def test_cli_load_table_prints_errors_on_stderr(tmp_path: Path) -> None:
    bad = SALES.replace("100.00,\n", "1OO,\n")
    settings = workspace(tmp_path, {"ledgers/2026-01/sales.csv": bad})
    result = CliRunner().invoke(main, ["-w", str(settings.root), "load", "2026-01"])
    assert result.exit_code == 1
    assert result.stdout == (
        "file                       module  read  accepted  rejected\n"
        "-------------------------  ------  ----  --------  --------\n"
        "ledgers/2026-01/sales.csv  sales      3         2         1\n"
    )
    assert result.stderr == 'ledgers/2026-01/sales.csv:3 net_amount: "1OO" is not a number\n'


def test_cli_invalid_master_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    master = {"master/fx_rates.csv": "period,currency,closing,average\n2026-01,USD,x,y\n"}
    settings = workspace(tmp_path, period_files(), master=master)
    result = CliRunner().invoke(main, ["-w", str(settings.root), "load", "2026-01"])
    assert result.exit_code == 2
    assert result.stderr == (
        'Error: master/fx_rates.csv:2 closing: "x" is not a number\n'
        'master/fx_rates.csv:2 average: "y" is not a number\n'
    )


# ---- order does not matter -----------------------------------------------------

# Three slices of sales; the row S9 appears in two files with the same content,
# so whichever file comes first keeps it and the same rows are accepted.
_SLICES = [
    "S1,1,2026-01-05,P,CNY,goods,C1,,PC1,X1,2,1000.00,130.00\nS9,1,2026-01-09,P,CNY,goods,C9,,PC1,X1,1,9.00,0\n",
    "S2,1,2026-01-06,U,USD,goods,C2,,PC1,X1,1,100.00,\nS9,1,2026-01-09,P,CNY,goods,C9,,PC1,X1,1,9.00,0\n",
    "S3,1,2026-01-07,P,CNY,goods,,U,PC1,X1,1,500.00,65.00\nS4,1,2026-01-07,P,CNY,goods,,,,X1,1,5.00,0\n",
]
_HEADER = text(SALES).splitlines()[0] + "\n"
_CONTENT = (
    "SELECT module, doc_id, line, date, entity, currency, kind, partner, profit_center, "
    "counterparty, item, quantity, net_amount, tax_amount FROM source_row ORDER BY ALL"
)


@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.permutations(["sales.csv", "sales-2.csv", "SALES_east.csv"]))
def test_file_names_in_any_order_accept_the_same_rows(names: list[str]) -> None:
    root = Path(tempfile.mkdtemp())
    files = {f"ledgers/2026-01/{n}": _HEADER + body for n, body in zip(names, _SLICES, strict=True)}
    settings = workspace(root, files)
    con = connect(settings)
    report = load_period(settings, con, "2026-01")
    # 6 rows read; the second S9 and S4 (no profit center) rejected
    assert sum(f.read for f in report.files) == 6
    assert sum(f.rejected for f in report.files) == 2
    rows = con.execute(_CONTENT).fetchall()
    assert [r[1] for r in rows] == ["S1", "S2", "S3", "S9"]
    con.close()


def test_every_format_loads_the_same_rows(tmp_path: Path) -> None:
    """GB18030 CSV, UTF-8 with BOM, XLSX (real dates, numbers) and Parquet
    (DECIMAL, DATE) in one period: every row accepted, amounts exact."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    settings = workspace(tmp_path, {"ledgers/2026-01/.keep": ""})
    folder = settings.ledgers_dir / "2026-01"
    (folder / "sales-cn.csv").write_bytes(text(SALES).replace(",C1,", ",联想,").encode("gb18030"))
    expenses = text(
        """
        doc_id,line,date,entity,currency,kind,payee,cost_center,net_amount,tax_amount
        E1,1,2026-01-10,P,CNY,travel,东方航空,CCP,200.00,12.00
        """
    )
    (folder / "expenses.csv").write_bytes(b"\xef\xbb\xbf" + expenses.encode("utf-8"))
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "doc_id",
            "line",
            "date",
            "entity",
            "currency",
            "kind",
            "profit_center",
            "net_amount",
            "tax_amount",
        ]
    )
    sheet.append(["X1", 1, dt.datetime(2026, 1, 20), "P", "CNY", "goods", "PC1", 1234.56, 160.49])
    book.save(folder / "sales-x.xlsx")
    pq.write_table(
        pa.table(
            {
                "doc_id": ["I1"],
                "line": [1],
                "date": pa.array([dt.date(2026, 1, 9)]),
                "entity": ["P"],
                "currency": ["CNY"],
                "kind": ["sale_issue"],
                "profit_center": ["PC1"],
                "value": pa.array([Decimal("50.10")], pa.decimal128(18, 2)),
            }
        ),
        folder / "inventory.parquet",
    )
    con = connect(settings)
    report = load_period(settings, con, "2026-01")
    assert report.clean, report.error_lines()
    assert [(f.file.split("/")[-1], f.read) for f in report.files] == [
        ("expenses.csv", 1),
        ("inventory.parquet", 1),
        ("sales-cn.csv", 3),
        ("sales-x.xlsx", 1),
    ]
    assert con.execute(
        "SELECT doc_id, counterparty, net_amount, tax_amount, value, date FROM source_row "
        "WHERE doc_id IN ('S1', 'E1', 'X1', 'I1') ORDER BY doc_id"
    ).fetchall() == [
        ("E1", "东方航空", Decimal("200.00"), Decimal("12.00"), None, dt.date(2026, 1, 10)),
        ("I1", "", None, None, Decimal("50.10"), dt.date(2026, 1, 9)),
        ("S1", "联想", Decimal("1000.00"), Decimal("130.00"), None, dt.date(2026, 1, 5)),
        ("X1", "", Decimal("1234.56"), Decimal("160.49"), None, dt.date(2026, 1, 20)),
    ]
    assert con.execute("SELECT row_no FROM source_row WHERE doc_id = 'X1'").fetchone() == (2,)

"""Readers: every format gives all-text columns and rows numbered as a person counts them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook

from closekit.errors import Problem
from closekit.io import RawTable, column_name, read_table
from closekit.io.csv_reader import read_csv


def rows(table: RawTable) -> list[dict[str, object]]:
    """Rows as {column: value, '_row': n, '_error': e}, by header name."""
    out = []
    for record in table.data.to_pylist():
        row: dict[str, object] = {
            name: record[column_name(i)] for i, name in enumerate(table.columns)
        }
        row["_row"], row["_error"] = record["_row"], record["_error"]
        out.append(row)
    return out


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_csv_utf8_with_bom_header_trimmed_and_lower_case(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "\ufeff Doc_ID ,Name\nA1, 华为 \n".encode())
    table = read_table(path, "a.csv")
    assert table.columns == ("doc_id", "name")
    assert table.labels == ("Doc_ID", "Name")
    assert rows(table) == [{"doc_id": "A1", "name": "华为", "_row": 2, "_error": None}]


def test_csv_gb18030_is_detected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "客户,金额\n联想集团,12.50\n".encode("gb18030"))
    table = read_table(path, "a.csv")
    assert table.columns == ("客户", "金额")
    assert rows(table)[0]["客户"] == "联想集团"


def test_csv_gbk_bytes_are_read_as_gb18030(tmp_path: Path) -> None:
    # GBK is a subset of GB18030: older ERP exports are read the same way.
    path = write(tmp_path, "a.csv", "name\n深圳分公司\n".encode("gbk"))
    assert rows(read_table(path, "a.csv"))[0]["name"] == "深圳分公司"


def test_csv_encoding_from_settings_wins(tmp_path: Path) -> None:
    # Latin-1 bytes are neither UTF-8 nor meant as GB18030: the toml says so.
    path = write(tmp_path, "a.csv", "name\nMünchen\n".encode("latin-1"))
    assert rows(read_table(path, "a.csv", "latin-1"))[0]["name"] == "München"


def test_csv_undecodable_bytes_are_a_file_problem_on_row_1(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"name\n\xff\xfe\n")
    table = read_table(path, "a.csv")
    assert table.problems == (
        Problem(
            "a.csv",
            1,
            "",
            "is neither UTF-8 nor GB18030 text; set [input] encoding in closekit.toml",
        ),
    )
    assert table.read == 0


def test_csv_row_numbers_count_records_and_blank_lines(tmp_path: Path) -> None:
    # row 1 header; row 2 holds a quoted newline (one record, one number);
    # row 3 is blank and row 4 only empty fields: not rows, numbers kept;
    # row 5 has a field too many, row 6 one too few: read and rejected.
    text = 'a,b\n1,"two\nlines"\n\n,\n3,4,5\n6\r\n7,8\n'
    table = read_table(write(tmp_path, "a.csv", text.encode()), "a.csv")
    assert rows(table) == [
        {"a": "1", "b": "two\nlines", "_row": 2, "_error": None},
        {"a": "3", "b": "4", "_row": 5, "_error": "has 3 fields, the header has 2"},
        {"a": "6", "b": "", "_row": 6, "_error": "has 1 field, the header has 2"},
        {"a": "7", "b": "8", "_row": 7, "_error": None},
    ]
    assert table.read == 4


def test_csv_malformed_record_costs_one_row_and_reading_goes_on(tmp_path: Path) -> None:
    text = 'a,b\n1,"x"y\n2,3\n'
    table = read_table(write(tmp_path, "a.csv", text.encode()), "a.csv")
    got = rows(table)
    assert [r["_row"] for r in got] == [2, 3]
    assert str(got[0]["_error"]).startswith("malformed CSV record")
    assert got[1] == {"a": "2", "b": "3", "_row": 3, "_error": None}


def test_csv_zero_bytes_is_an_error_and_header_only_has_no_rows(tmp_path: Path) -> None:
    empty = read_table(write(tmp_path, "e.csv", b""), "e.csv")
    assert empty.problems == (Problem("e.csv", 1, "", "file is empty (no header row)"),)
    header_only = read_table(write(tmp_path, "h.csv", b"a,b\n"), "h.csv")
    assert header_only.problems == ()
    assert header_only.columns == ("a", "b")
    assert header_only.read == 0


def test_csv_columns_differing_only_by_case_are_the_same_column_twice(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "a.csv", b"Amount,amount \n1,2\n"), "a.csv")
    assert table.problems == (Problem("a.csv", 1, "amount", "column appears twice in the header"),)


def test_xlsx_first_sheet_excel_row_numbers_and_real_dates(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Amount", "Code"])
    sheet.append([dt.datetime(2026, 1, 5), 1234.5, "007"])
    sheet.append([])  # Excel row 3 is empty: not a row
    sheet.append([dt.date(2026, 1, 31), 0.1, 42])
    sheet.append([None, None, None, "stray"])  # a value beyond the header
    book.create_sheet("Second").append(["ignored"])
    book.save(tmp_path / "a.xlsx")
    table = read_table(tmp_path / "a.xlsx", "a.xlsx")
    assert table.columns == ("date", "amount", "code")
    assert rows(table) == [
        {"date": "2026-01-05", "amount": "1234.5", "code": "007", "_row": 2, "_error": None},
        {"date": "2026-01-31", "amount": "0.1", "code": "42", "_row": 4, "_error": None},
        {
            "date": "",
            "amount": "",
            "code": "",
            "_row": 5,
            "_error": "has 4 fields, the header has 3",
        },
    ]


def test_parquet_first_record_is_row_2_and_types_become_text(tmp_path: Path) -> None:
    table = pa.table(
        {
            "Date": pa.array([dt.date(2026, 1, 5), None]),
            "Value": pa.array([Decimal("12.30"), Decimal("-0.05")], pa.decimal128(18, 2)),
            "Qty": pa.array([3, 4], pa.int64()),
            "Seen": pa.array([dt.datetime(2026, 1, 6), dt.datetime(2026, 1, 6, 12, 30)]),
        }
    )
    pq.write_table(table, tmp_path / "a.parquet")
    got = read_table(tmp_path / "a.parquet", "a.parquet")
    assert got.columns == ("date", "value", "qty", "seen")
    assert rows(got) == [
        {
            "date": "2026-01-05",
            "value": "12.30",
            "qty": "3",
            "seen": "2026-01-06",
            "_row": 2,
            "_error": None,
        },
        {
            "date": "",
            "value": "-0.05",
            "qty": "4",
            "seen": "2026-01-06 12:30:00",
            "_row": 3,
            "_error": None,
        },
    ]


def test_unreadable_xlsx_and_parquet_are_file_problems(tmp_path: Path) -> None:
    for name in ("a.xlsx", "a.parquet"):
        table = read_table(write(tmp_path, name, b"not really"), name)
        assert len(table.problems) == 1
        assert table.problems[0][:3] == (name, 1, "")


# ---- the unquoted fast path reads exactly as the record-by-record reader ------

_text = st.text(alphabet='ab 1.-\t\u3000客,"', max_size=4)
# a cell as exported: plain, quoted (commas and doubled quotes inside), or
# an occasional stray quote that only the record reader can judge
_cell = st.one_of(
    st.text(alphabet="ab 1.-\t\u3000客", max_size=4),
    _text.map(lambda t: '"' + t.replace('"', '""') + '"'),
    _text,
)
_line = st.lists(_cell, min_size=0, max_size=5).map(",".join)


@hsettings(max_examples=150, deadline=None)
@given(lines=st.lists(_line, min_size=1, max_size=12), crlf=st.booleans())
def test_fast_path_equals_record_reader(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], crlf: bool
) -> None:
    end = "\r\n" if crlf else "\n"
    text = end.join(["a,b,c", *lines]) + end
    path = write(tmp_path_factory.mktemp("fast"), "f.csv", text.encode())
    fast = read_csv(path, "f.csv")
    exact = read_csv(path, "f.csv", fast=False)
    assert fast.columns == exact.columns
    assert fast.problems == exact.problems
    assert fast.data.to_pylist() == exact.data.to_pylist()

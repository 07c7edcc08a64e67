"""Writing generated tables as the files a finance team would drop in a
workspace: UTF-8 or GB18030 CSV, XLSX and Parquet, byte-identical on every run.

Money cells are :class:`~decimal.Decimal` and are written as plain decimals in
CSV, as numbers in XLSX (Excel has no decimal type) and as DECIMAL(18,2) in
Parquet; dates are ISO text in CSV and real dates in XLSX and Parquet (SPEC
section 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

Cell = str | int | Decimal | date | None
FileFormat = Literal["csv", "gb18030", "xlsx", "parquet"]

# Columns written as DECIMAL(18,2) in Parquet and with a money format in XLSX.
MONEY_COLUMNS = frozenset(
    {"net_amount", "tax_amount", "value", "debit", "credit", "amount", "amount_group", "amount_doc"}
)
# A fixed timestamp for the XLSX document properties, so files are reproducible.
_XLSX_CREATED = datetime(2026, 1, 1)


@dataclass(frozen=True)
class Table:
    """A file to write: workspace-relative path, header and rows."""

    path: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]
    fmt: FileFormat = "csv"


def text(cell: Cell) -> str:
    """CSV form of a cell: '' for none, plain decimal (never an exponent), ISO date."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def csv_bytes(table: Table, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([[text(c) for c in row] for row in table.rows])
    return buffer.getvalue().encode(encoding)


def write_xlsx(path: Path, table: Table) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties({"created": _XLSX_CREATED, "author": "closekit sample"})
    sheet = workbook.add_worksheet(Path(table.path).stem[:31])
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    amount = workbook.add_format({"num_format": "#,##0.00;(#,##0.00)"})
    sheet.write_row(0, 0, table.columns, bold)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            if isinstance(cell, date):
                sheet.write_datetime(r, c, datetime(cell.year, cell.month, cell.day), day)
            elif isinstance(cell, Decimal):
                # Excel stores binary doubles; the shortest repr of the double
                # nearest a 2-decimal amount is that amount, so readers get it back.
                sheet.write_number(r, c, float(cell), amount)
            elif isinstance(cell, int):
                sheet.write_number(r, c, cell)
            else:
                sheet.write_string(r, c, cell)
    workbook.close()


def arrow_table(table: Table) -> pa.Table:
    """Typed columns: dates as date32, money as decimal(18,2), quantities as int64."""
    arrays = []
    for index, name in enumerate(table.columns):
        values = [row[index] for row in table.rows]
        if name == "date":
            arrays.append(pa.array(values, pa.date32()))
        elif name in MONEY_COLUMNS:
            cents = [
                None if v is None else Decimal(str(v)).quantize(Decimal("0.01")) for v in values
            ]
            arrays.append(pa.array(cents, pa.decimal128(18, 2)))
        elif name == "quantity":
            arrays.append(pa.array(values, pa.int64()))
        else:
            arrays.append(pa.array([text(v) for v in values], pa.string()))
    return pa.Table.from_arrays(arrays, names=list(table.columns))


def write_table(root: Path, table: Table) -> Path:
    """Write one table under ``root`` in its format; returns the file's path."""
    path = root / table.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if table.fmt == "csv":
        path.write_bytes(csv_bytes(table))
    elif table.fmt == "gb18030":
        path.write_bytes(csv_bytes(table, "gb18030"))
    elif table.fmt == "xlsx":
        write_xlsx(path, table)
    else:
        pq.write_table(arrow_table(table), path, compression="zstd")
    return path

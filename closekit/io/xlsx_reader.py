"""XLSX: the first sheet, rows numbered as Excel shows them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyarrow as pa
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from closekit.io.cells import cell_text
from closekit.io.table import (
    ERROR,
    ROW,
    RawTable,
    column_name,
    field_count_message,
    file_problem,
    header_problems,
)


def read_xlsx(path: Path, relative: str) -> RawTable:
    if path.stat().st_size == 0:
        return file_problem(relative, "file is empty (no header row)")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        return file_problem(relative, f"is not a readable XLSX workbook ({exc.__class__.__name__})")
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        header_row = 0
        rows: list[list[str]] = []
        numbers: list[int] = []
        errors: list[str | None] = []
        for cells in sheet.iter_rows():
            values = [cell_text(getattr(c, "value", None)) for c in cells]
            number = next((c.row for c in cells if getattr(c, "row", None)), None)
            if not any(values) or number is None:
                continue  # an empty row is not a row
            if header is None:
                header, header_row = values, number
                while header and not header[-1]:
                    header.pop()  # trailing empty header cells are formatting, not columns
                continue
            width = len(header)
            extra = [v for v in values[width:] if v]
            errors.append(field_count_message(width + len(extra), width) if extra else None)
            rows.append((values + [""] * width)[:width])
            numbers.append(number)
    finally:
        book.close()
    if header is None:
        return file_problem(relative, "first sheet has no header row")
    width = len(header)
    columns = list(zip(*[r[:width] for r in rows], strict=True)) if rows else [()] * width
    arrays = [pa.array(col, type=pa.string()) for col in columns]
    data = pa.Table.from_arrays(
        [*arrays, pa.array(numbers, type=pa.int64()), pa.array(errors, type=pa.string())],
        names=[*(column_name(i) for i in range(width)), ROW, ERROR],
    )
    return RawTable(
        relative,
        tuple(h.lower() for h in header),
        tuple(header),
        data,
        tuple(header_problems(relative, header, header_row)),
    )

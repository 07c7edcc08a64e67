"""XLSX: the first sheet, rows numbered as Excel shows them.

Read with calamine (a Rust reader, ~20x faster than openpyxl on large
sheets). The sheet is taken from cell A1, so list index i is Excel row i + 1
whatever rows are empty; an empty row is not a row.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from python_calamine import CalamineError, CalamineWorkbook

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
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        grid = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        return file_problem(relative, f"is not a readable XLSX workbook ({exc.__class__.__name__})")
    header: list[str] | None = None
    header_row = 0
    rows: list[list[str]] = []
    numbers: list[int] = []
    errors: list[str | None] = []
    width = 0
    for number, cells in enumerate(grid, start=1):
        values = [cell_text(v) for v in cells]
        if not any(values):
            continue  # an empty row is not a row
        if header is None:
            header, header_row = values, number
            while header and not header[-1]:
                header.pop()  # trailing empty header cells are formatting, not columns
            width = len(header)
            continue
        extra = [v for v in values[width:] if v]
        errors.append(field_count_message(width + len(extra), width) if extra else None)
        rows.append((values + [""] * width)[:width])
        numbers.append(number)
    if header is None:
        return file_problem(relative, "first sheet has no header row")
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
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

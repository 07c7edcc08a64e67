"""Parquet: the first record is row 2, as if a header were row 1."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from closekit.io.cells import cell_text
from closekit.io.table import ERROR, ROW, RawTable, column_name, file_problem, header_problems


def _as_text(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """Every value as the text a CSV would hold; NULL as ''."""
    kind = array.type
    if pa.types.is_dictionary(kind):
        array, kind = array.cast(kind.value_type), kind.value_type
    if pa.types.is_timestamp(kind) and kind.tz is None:
        # SPEC section 1: real dates; a date-time at midnight is that date.
        days = array.cast(pa.date32())
        if pc.all(pc.equal(days.cast(kind), array)).as_py() in (True, None):
            array, kind = days, pa.date32()
    if (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_date(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_decimal(kind)
    ):
        text = array.cast(pa.string())
    else:
        # floats and the rest: the same text as a spreadsheet cell
        text = pa.chunked_array(
            [
                pa.array([cell_text(v) for v in chunk.to_pylist()], pa.string())
                for chunk in array.chunks
            ],
            type=pa.string(),
        )
    return pc.utf8_trim_whitespace(pc.fill_null(text, ""))


def read_parquet(path: Path, relative: str) -> RawTable:
    if path.stat().st_size == 0:
        return file_problem(relative, "file is empty (no header row)")
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        return file_problem(relative, f"is not a readable Parquet file ({exc})")
    labels = [name.strip() for name in table.column_names]
    arrays = [_as_text(table.column(i)) for i in range(table.num_columns)]
    rows = pa.array(range(2, table.num_rows + 2), type=pa.int64())
    data = pa.Table.from_arrays(
        [*arrays, rows, pa.nulls(table.num_rows, pa.string())],
        names=[*(column_name(i) for i in range(len(labels))), ROW, ERROR],
    )
    return RawTable(
        relative,
        tuple(label.lower() for label in labels),
        tuple(labels),
        data,
        tuple(header_problems(relative, labels, 1)),
    )

"""The staging view: every row of every period file as text, one relation.

Rules (closekit.validate.rules) read ``stage``; accepted rows are cast into
``source_row`` from it. The files' Arrow tables are projected onto the
staging columns and concatenated (Arrow chunks, no copy), then registered
with DuckDB as one table, so a million rows are not copied before validation
and a period of hundreds of files is still one scan. Columns a module does
not know are kept as JSON in ``extra``; columns a file lacks are '' (SPEC
section 4: absent = empty).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from closekit.io import ERROR, ROW, RawTable, column_name
from closekit.validate.columns import ALL_COLUMNS, columns_of

STAGE_DATA = "stage_data"
SCHEMA = pa.schema(
    [
        pa.field("seq", pa.int32()),
        pa.field("path", pa.string()),
        pa.field("module", pa.string()),
        pa.field("sha256", pa.string()),
        pa.field("row_no", pa.int64()),
        pa.field("error", pa.string()),
        *(pa.field(c, pa.string()) for c in ALL_COLUMNS),
        pa.field("extra", pa.string()),
    ]
)


@dataclass(frozen=True)
class StagedFile:
    """One period file on its way through validation."""

    seq: int  # file-name order within the period
    path: str  # workspace-relative
    module: str
    sha256: str
    raw: RawTable


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _extra(con: duckdb.DuckDBPyConnection, raw: RawTable, known: set[str]) -> pa.Array:
    """The columns closekit does not use, as a JSON object per row (lineage)."""
    pairs = [
        f"{_quote(label)}, {column_name(i)}"
        for i, (name, label) in enumerate(zip(raw.columns, raw.labels, strict=True))
        if name and name not in known
    ]
    if not pairs:
        return pa.nulls(raw.data.num_rows, pa.string())
    con.register("raw_file", raw.data)
    try:
        sql = f"SELECT json_object({', '.join(pairs)})::VARCHAR FROM raw_file"
        table: pa.Table = con.sql(sql).to_arrow_table()
        return table.column(0).combine_chunks()
    finally:
        con.unregister("raw_file")


def _file_table(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> pa.Table:
    """One file's rows in the staging columns."""
    raw = staged.raw
    rows = raw.data.num_rows
    known = set(columns_of(staged.module))
    columns: list[pa.Array | pa.ChunkedArray] = [
        pa.repeat(pa.scalar(staged.seq, pa.int32()), rows),
        pa.repeat(staged.path, rows),
        pa.repeat(staged.module, rows),
        pa.repeat(staged.sha256, rows),
        raw.data.column(ROW),
        raw.data.column(ERROR),
    ]
    for column in ALL_COLUMNS:
        index = raw.column_index(column) if column in known else None
        columns.append(
            raw.data.column(column_name(index)) if index is not None else pa.repeat("", rows)
        )
    columns.append(_extra(con, raw, known))
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def stage_files(con: duckdb.DuckDBPyConnection, files: list[StagedFile]) -> None:
    """Create the view ``stage`` over the files' rows (call :func:`unstage` after)."""
    tables = [_file_table(con, staged) for staged in files]
    data = pa.concat_tables(tables) if tables else SCHEMA.empty_table()
    con.register(STAGE_DATA, data)
    con.execute(f"CREATE OR REPLACE TEMP VIEW stage AS SELECT * FROM {STAGE_DATA}")


def unstage(con: duckdb.DuckDBPyConnection) -> None:
    """Release the files' Arrow data (after ``stage`` is dropped or rolled back)."""
    # in an aborted transaction the rollback removes it
    with contextlib.suppress(duckdb.Error):
        con.unregister(STAGE_DATA)

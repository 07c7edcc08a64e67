"""The staging table: every row of every period file as text, one relation.

Rules (closekit.validate.rules) read ``stage``; accepted rows are cast into
``source_row`` from it. Each file's Arrow table is projected onto the staging
columns and appended to the temporary table ``stage`` as soon as it is read,
so only one file is ever held in Python memory and DuckDB (which spills to
its temp directory under its memory limit) holds the period. Columns a
module does not know are kept as JSON in ``extra``; columns a file lacks
are '' (SPEC section 4: absent = empty).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from closekit.io import ERROR, ROW, RawTable, column_name
from closekit.io.table import EMPTY, text_scalar
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
        pa.repeat(text_scalar(staged.path), rows),
        pa.repeat(text_scalar(staged.module), rows),
        pa.repeat(text_scalar(staged.sha256), rows),
        raw.data.column(ROW),
        raw.data.column(ERROR),
    ]
    for column in ALL_COLUMNS:
        index = raw.column_index(column) if column in known else None
        columns.append(
            raw.data.column(column_name(index)) if index is not None else pa.repeat(EMPTY, rows)
        )
    columns.append(_extra(con, raw, known))
    return pa.Table.from_arrays(columns, schema=SCHEMA)


# The staging table's DDL, column for column as SCHEMA.
_COLUMNS = ", ".join(
    [
        "seq INTEGER, path VARCHAR, module VARCHAR, sha256 VARCHAR, row_no BIGINT, error VARCHAR",
        *(f"{column} VARCHAR" for column in ALL_COLUMNS),
        "extra VARCHAR",
    ]
)


# Rows appended to ``stage`` at once: few enough to keep memory small, many
# enough that the per-insert cost of small files does not add up.
BATCH_ROWS = 500_000


class Stager:
    """Appends files to the temporary table ``stage`` in batches.

    ``add`` one file after another, then ``flush``; :func:`unstage` drops
    the table.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.pending: list[pa.Table] = []
        self.rows = 0
        con.execute(f"CREATE OR REPLACE TEMP TABLE stage ({_COLUMNS})")

    def add(self, staged: StagedFile) -> None:
        table = _file_table(self.con, staged)
        self.pending.append(table)
        self.rows += table.num_rows
        if self.rows >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.con.register(STAGE_DATA, pa.concat_tables(self.pending))
        try:
            self.con.execute(f"INSERT INTO stage SELECT * FROM {STAGE_DATA}")
        finally:
            self.con.unregister(STAGE_DATA)
        self.pending, self.rows = [], 0


def unstage(con: duckdb.DuckDBPyConnection) -> None:
    """Drop ``stage`` (in an aborted transaction the rollback removes it)."""
    with contextlib.suppress(duckdb.Error):
        con.execute("DROP TABLE IF EXISTS stage")

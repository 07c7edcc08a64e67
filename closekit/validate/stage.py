"""The staging table: every row of every period file as text, one table.

Rules (closekit.validate.rules) read ``stage``; accepted rows are cast into
``source_row`` from it. Columns a module does not know are kept as JSON in
``extra``; columns a file lacks are '' (SPEC section 4: absent = empty).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from closekit.io import ERROR, ROW, RawTable, column_name
from closekit.validate.columns import ALL_COLUMNS, columns_of


@dataclass(frozen=True)
class StagedFile:
    """One period file on its way through validation."""

    seq: int  # file-name order within the period
    path: str  # workspace-relative
    module: str
    sha256: str
    raw: RawTable


def create_stage(con: duckdb.DuckDBPyConnection) -> None:
    columns = ",\n    ".join(f"{c} VARCHAR NOT NULL" for c in ALL_COLUMNS)
    con.execute("DROP TABLE IF EXISTS stage")
    con.execute(
        f"""CREATE TEMP TABLE stage (
    seq INTEGER NOT NULL,
    path VARCHAR NOT NULL,
    module VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    row_no BIGINT NOT NULL,
    error VARCHAR,
    {columns},
    extra VARCHAR
)"""
    )


def _quote(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def stage_file(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    """Append one file's rows to ``stage`` (set-based: one INSERT per file)."""
    raw = staged.raw
    known = set(columns_of(staged.module))
    values = []
    for column in ALL_COLUMNS:
        index = raw.column_index(column) if column in known else None
        values.append(f"{column_name(index)}" if index is not None else "''")
    extras = [
        f"{_quote(label)}, {column_name(i)}"
        for i, (name, label) in enumerate(zip(raw.columns, raw.labels, strict=True))
        if name not in known and name
    ]
    extra = f"json_object({', '.join(extras)})::VARCHAR" if extras else "NULL"
    con.register("raw_file", raw.data)
    try:
        con.execute(
            f"""INSERT INTO stage
SELECT ?, ?, ?, ?, {ROW}, {ERROR}, {", ".join(values)}, {extra}
FROM raw_file""",
            [staged.seq, staged.path, staged.module, staged.sha256],
        )
    finally:
        con.unregister("raw_file")

"""The staging view: every row of every period file as text, one relation.

Rules (closekit.validate.rules) read ``stage``; accepted rows are cast into
``source_row`` from it. ``stage`` is a view over the files' Arrow tables
(registered with DuckDB, zero-copy), so a million rows are not copied before
validation. Columns a module does not know are kept as JSON in ``extra``;
columns a file lacks are '' (SPEC section 4: absent = empty).
"""

from __future__ import annotations

import contextlib
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


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _select(staged: StagedFile, relation: str) -> str:
    """One file's rows in the staging columns."""
    raw = staged.raw
    known = set(columns_of(staged.module))
    values = []
    for column in ALL_COLUMNS:
        index = raw.column_index(column) if column in known else None
        values.append(f"{column_name(index) if index is not None else _quote('')} AS {column}")
    extras = [
        f"{_quote(label)}, {column_name(i)}"
        for i, (name, label) in enumerate(zip(raw.columns, raw.labels, strict=True))
        if name not in known and name
    ]
    extra = f"json_object({', '.join(extras)})::VARCHAR" if extras else "NULL::VARCHAR"
    return f"""SELECT {staged.seq} AS seq, {_quote(staged.path)} AS path,
       {_quote(staged.module)} AS module, {_quote(staged.sha256)} AS sha256,
       {ROW} AS row_no, {ERROR} AS error, {", ".join(values)}, {extra} AS extra
FROM {relation}"""


_EMPTY = (
    "SELECT 0 AS seq, '' AS path, '' AS module, '' AS sha256, 0::BIGINT AS row_no, "
    "NULL::VARCHAR AS error, "
    + ", ".join(f"'' AS {c}" for c in ALL_COLUMNS)
    + ", NULL::VARCHAR AS extra WHERE false"
)


def stage_files(con: duckdb.DuckDBPyConnection, files: list[StagedFile]) -> None:
    """Create the view ``stage`` over the files' rows (call :func:`unstage` after)."""
    selects = [_EMPTY]
    for staged in files:
        relation = f"raw_file_{staged.seq}"
        con.register(relation, staged.raw.data)
        selects.append(_select(staged, relation))
    con.execute("CREATE OR REPLACE TEMP VIEW stage AS\n" + "\nUNION ALL\n".join(selects))


def unstage(con: duckdb.DuckDBPyConnection, files: list[StagedFile]) -> None:
    """Release the files' Arrow tables (after ``stage`` is dropped or rolled back)."""
    for staged in files:
        # in an aborted transaction the rollback removes it
        with contextlib.suppress(duckdb.Error):
            con.unregister(f"raw_file_{staged.seq}")

"""The staging table: every row of every period file as text, one relation.

Rules (closekit.validate.rules) read ``stage``; accepted rows are cast into
``source_row`` from it. One load stages one period's files, or the files of
several periods validated in one pass (each row carries its file's
``period``). Each file's Arrow table is projected onto the staging
columns and appended to the temporary table ``stage`` as soon as it is read,
so only one file is ever held in Python memory and DuckDB (which spills to
its temp directory under its memory limit) holds the periods. Columns a
module does not know are kept as JSON in ``extra``; columns a file lacks
are '' (SPEC section 4: absent = empty).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from closekit.io import ERROR, ROW, RawTable, column_name
from closekit.io.table import EMPTY
from closekit.validate.columns import ALL_COLUMNS, MODULES, columns_of

STAGE_DATA = "stage_data"
# The staged files by seq: a row carries the number, not its long path and hash.
FILES = "stage_file"


def _schema(module: str) -> pa.Schema:
    """A module's staging columns: file and row, the module's own columns, extra."""
    return pa.schema(
        [
            pa.field("seq", pa.int32()),
            pa.field("row_no", pa.int64()),
            pa.field("error", pa.string()),
            *(pa.field(c, pa.string()) for c in columns_of(module)),
            pa.field("extra", pa.string()),
        ]
    )


def _table(module: str) -> str:
    return f"stage_{module}"


def _ddl(module: str) -> str:
    columns = ", ".join(
        [
            "seq INTEGER, row_no BIGINT, error VARCHAR",
            *(f"{column} VARCHAR" for column in columns_of(module)),
            "extra VARCHAR",
        ]
    )
    return f"CREATE OR REPLACE TEMP TABLE {_table(module)} ({columns})"


def _branch(module: str) -> str:
    """One module's rows in the columns of ``stage``: what it lacks is ''."""
    own = set(columns_of(module))
    columns = ", ".join(c if c in own else f"'' AS {c}" for c in ALL_COLUMNS)
    return (
        f"SELECT seq, f.period, f.path, '{module}' AS module, f.sha256, row_no, error, "
        f"{columns}, extra FROM {_table(module)} JOIN {FILES} f USING (seq)"
    )


# Each module is staged in its own table with only its own columns (half the
# cells to insert); ``stage`` is their union with every module's columns, in
# module order, which is file-name order (a file's module is its name's prefix).
_STAGE_VIEW = "CREATE OR REPLACE TEMP VIEW stage AS\n" + "\nUNION ALL\n".join(
    _branch(module) for module in sorted(MODULES)
)


@dataclass(frozen=True)
class StagedFile:
    """One period file on its way through validation."""

    seq: int  # (period, file name) order of the files staged together
    period: str  # the folder the file is in: its rows are that period's
    path: str  # workspace-relative
    module: str
    sha256: str
    raw: RawTable
    # Only these entities' rows the reader could split (an unchanged file
    # staged again for an incremental load); None: every row.
    entities: frozenset[str] | None = None


def _rows_of(raw: RawTable, entities: frozenset[str]) -> RawTable:
    """``raw`` reduced to the split rows of ``entities``."""
    index = raw.column_index("entity")
    if index is None:  # no entity column: the file is not staged at all
        return replace(raw, data=raw.data.slice(0, 0))
    value_set = pa.array(sorted(entities), pa.string())
    keep = pc.and_(
        pc.is_null(raw.data.column(ERROR)),
        pc.is_in(raw.data.column(column_name(index)), value_set=value_set),
    )
    return replace(raw, data=raw.data.filter(keep))


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
    """One file's rows in its module's staging columns."""
    raw = staged.raw if staged.entities is None else _rows_of(staged.raw, staged.entities)
    rows = raw.data.num_rows
    known = columns_of(staged.module)
    columns: list[pa.Array | pa.ChunkedArray] = [
        pa.repeat(pa.scalar(staged.seq, pa.int32()), rows),
        raw.data.column(ROW),
        raw.data.column(ERROR),
    ]
    for column in known:
        index = raw.column_index(column)
        columns.append(
            raw.data.column(column_name(index)) if index is not None else pa.repeat(EMPTY, rows)
        )
    columns.append(_extra(con, raw, set(known)))
    return pa.Table.from_arrays(columns, schema=_schema(staged.module))


# Rows appended at once: few enough to keep memory small, many enough that
# the per-insert cost of small files does not add up.
BATCH_ROWS = 500_000


class Stager:
    """Appends files to the temporary staging tables in batches.

    ``add`` one file after another, then ``flush``; :func:`unstage` drops
    the tables.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.pending: dict[str, list[pa.Table]] = {}
        self.files: list[tuple[int, str, str, str]] = []
        # the seq of every file staged whole (not reduced to some entities)
        self.whole: list[int] = []
        self.rows = 0
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {FILES} "
            "(seq INTEGER, path VARCHAR, sha256 VARCHAR, period VARCHAR)"
        )
        for module in MODULES:
            con.execute(_ddl(module))
        con.execute(_STAGE_VIEW)

    def add(self, staged: StagedFile) -> None:
        self.files.append((staged.seq, staged.path, staged.sha256, staged.period))
        if staged.entities is None:
            self.whole.append(staged.seq)
        table = _file_table(self.con, staged)
        self.pending.setdefault(staged.module, []).append(table)
        self.rows += table.num_rows
        if self.rows >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.files:
            # one statement for all files: one per file cost ~5 ms each while
            # the reader threads held the GIL
            self.con.executemany(f"INSERT INTO {FILES} VALUES (?, ?, ?, ?)", self.files)
            self.files = []
        for module, tables in self.pending.items():
            self.con.register(STAGE_DATA, pa.concat_tables(tables))
            try:
                self.con.execute(f"INSERT INTO {_table(module)} SELECT * FROM {STAGE_DATA}")
            finally:
                self.con.unregister(STAGE_DATA)
        self.pending, self.rows = {}, 0


def unstage(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the staging view and tables (in an aborted transaction the rollback
    removes them)."""
    with contextlib.suppress(duckdb.Error):
        con.execute("DROP VIEW IF EXISTS stage")
        for module in MODULES:
            con.execute(f"DROP TABLE IF EXISTS {_table(module)}")
        con.execute(f"DROP TABLE IF EXISTS {FILES}")

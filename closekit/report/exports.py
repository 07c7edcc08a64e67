"""The audit pack's data files: ``journal.parquet`` and ``rejects.csv`` (SPEC section 10).

Both are written by DuckDB ``COPY`` straight from the tables, so they scale
with the journal and never pass rows through Python. Each query orders by a
key that covers every column, which makes the bytes a function of the data
alone: DuckDB writes an ordered query's row groups in order whatever the
thread count (measured: same SHA-256 with 1, 2 and 8 threads on 3 million
rows), and its Parquet footer holds no timestamp.

``journal.parquet`` is written entity by entity: each entity's lines, in
that order, are one DuckDB file, and the file is their data joined under one
footer (:mod:`closekit.io.parquet_concat`), entities in code order. An entity
whose lines did not change since the previous pack keeps its run of row
groups, cut from the previous ``journal.parquet`` as bytes, so a late file
of one entity costs the export that entity's sort and write, not the
period's (at 25 million lines: 60 s of sorting and encoding against a
1.6 s byte copy).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from closekit.io import parquet_concat

JOURNAL_FILE = "journal.parquet"
REJECTS_FILE = "rejects.csv"

# Every column of ``journal``, lineage last, so an auditor's tool sees the
# posting first and where it came from next to it.
JOURNAL_COLUMNS = (
    "period", "date", "entity", "account", "partner", "profit_center", "cost_center",
    "module", "kind", "doc_id", "line", "currency", "amount_doc", "amount", "amount_group",
    "flow", "path", "sha256", "row_no",
)  # fmt: skip
# Then the source row's own descriptive columns, and the columns of the file
# closekit does not use (source_row.extra) as a map of plain values.
SOURCE_COLUMNS = (
    "s.counterparty", "s.item", "s.quantity", "s.description",
    "from_json(s.extra, '\"MAP(VARCHAR, VARCHAR)\"') AS extra",
)  # fmt: skip

# Total order within one entity's lines (each is its own COPY, and the parts
# are joined in entity order): the natural reading order of a ledger, then
# every remaining column, so that two runs cannot tie-break differently. The
# entity, the same on every line of a part, is left out of the sort key:
# 18% of the export's time at 10M lines.
_JOURNAL_ORDER = (
    "date, module, doc_id, line, account, partner, profit_center, cost_center, "
    "kind, currency, amount_doc, amount, amount_group NULLS FIRST, flow, path, sha256, "
    "row_no NULLS FIRST"
)


def _literal(text: str) -> str:
    """An SQL string literal (COPY takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


# Where an entity's lines lie in a journal.parquet: first row group, row
# groups, first byte, end byte (parquet_concat.concat).
Span = tuple[int, int, int, int]


@dataclass(frozen=True)
class PreviousJournal:
    """The previous pack's ``journal.parquet`` and the spans of the entities
    whose lines it holds unchanged."""

    path: Path
    spans: Mapping[str, Span]


def write_journal(
    con: duckdb.DuckDBPyConnection,
    period: str,
    out_dir: Path,
    parts_dir: Path,
    previous: PreviousJournal | None = None,
) -> dict[str, Span]:
    """The period's full journal with lineage, amounts kept DECIMAL(18,2),
    ordered by entity and then every column; returns each entity's span in
    the file. The entities in ``previous`` are copied from it. Each entity's
    lines are written to ``parts_dir`` (created, then removed) before they
    are joined."""
    target = out_dir / JOURNAL_FILE
    entities = [
        str(e)
        for (e,) in con.execute(
            "SELECT DISTINCT entity FROM journal WHERE period = ? ORDER BY entity", [period]
        ).fetchall()
    ]
    if not entities:  # an empty journal: DuckDB's own empty file
        _copy_lines(con, period, None, target)
        return {}
    kept = previous.spans if previous else {}
    before = parquet_concat.layout(previous.path) if previous and kept else None
    if parts_dir.exists():
        shutil.rmtree(parts_dir)
    parts_dir.mkdir(parents=True)
    try:
        pieces: list[tuple[parquet_concat.Piece, parquet_concat.Struct]] = []
        for n, entity in enumerate(entities):
            if before is not None and entity in kept:
                first, count, start, end = kept[entity]
                pieces.append((before.piece(first, count, (start, end)), before.meta))
                continue
            part = parts_dir / f"{n}.parquet"
            _copy_lines(con, period, entity, part)
            fresh = parquet_concat.layout(part)
            pieces.append((fresh.piece(), fresh.meta))
        spans = parquet_concat.concat(target, pieces[0][1], pieces)
    finally:
        shutil.rmtree(parts_dir, ignore_errors=True)
    return dict(zip(entities, spans, strict=True))


def _copy_lines(
    con: duckdb.DuckDBPyConnection, period: str, entity: str | None, target: Path
) -> None:
    """One entity's lines of the period (every entity's for None), in order,
    each with its source row's columns."""
    columns = ", ".join([*(f"j.{c}" for c in JOURNAL_COLUMNS), *SOURCE_COLUMNS])
    where, order = f"j.period = {_literal(period)}", f"entity, {_JOURNAL_ORDER}"
    if entity is not None:
        where, order = f"{where} AND j.entity = {_literal(entity)}", _JOURNAL_ORDER
    con.execute(
        f"COPY (SELECT * FROM (SELECT {columns} FROM journal j "
        "LEFT JOIN source_row s ON s.period = j.period AND s.entity = j.entity "
        f"AND s.path = j.path AND s.row_no = j.row_no WHERE {where}) ORDER BY {order}) "
        f"TO {_literal(target.as_posix())} "
        "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
    )


def reject_count(con: duckdb.DuckDBPyConnection, period: str) -> int:
    row = con.execute("SELECT count(*) FROM reject WHERE period = ?", [period]).fetchone()
    return int(row[0]) if row else 0


def write_rejects(con: duckdb.DuckDBPyConnection, period: str, out_dir: Path) -> Path | None:
    """Every rejected row with every reason, or None when nothing was rejected.

    Columns ``path,row,column,message`` as in an error line
    (``path:row column: message``); UTF-8 without BOM, ``\\n`` line endings,
    RFC 4180 quoting; a file-level problem has an empty row.
    """
    if reject_count(con, period) == 0:
        return None
    target = out_dir / REJECTS_FILE
    con.execute(
        'COPY (SELECT path, row_no AS "row", column_name AS "column", message FROM reject '
        f"WHERE period = {_literal(period)} "
        "ORDER BY path, row_no NULLS FIRST, column_name, message) "
        f"TO {_literal(target.as_posix())} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', "
        "ESCAPE '\"', NEW_LINE '\\n')"
    )
    return target

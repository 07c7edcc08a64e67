"""Master data's files (SPEC section 3): read every master file, validate
every rule (closekit.master.rules), and replace the master tables in one
transaction. Every problem is reported together as ``path:row column: message``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from closekit import snapshot
from closekit.errors import InvalidInput, Problem
from closekit.io import SUFFIXES, read_table
from closekit.master import layout
from closekit.master.ownership import AMOUNT_COLUMNS
from closekit.master.records import MasterRows, Row
from closekit.master.rules import check_master
from closekit.periods import period_folders
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

    from closekit.io import RawTable

# file -> (required columns, optional columns)
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "entities": (("entity", "name", "currency"), ("parent", "ownership_pct", "method", "name_zh")),
    "accounts": (
        ("account", "name", "type"),
        (
            "parent",
            "rate",
            "ic_plug",
            "role",
            "revalue",
            "name_zh",
            "cash_flow",
            "oci",
            "equity_column",
        ),
    ),
    "business_units": (("business_unit", "name"), ("parent", "name_zh")),
    "profit_centers": (("profit_center", "name", "business_unit"), ("name_zh",)),
    "cost_centers": (("cost_center", "name", "entity"), ("department", "profit_center", "name_zh")),
    "fx_rates": (("period", "currency", "closing", "average"), ()),
    "posting_rules": (("module", "kind", "intercompany", "side", "account", "amount"), ()),
    "allocations": (("cycle", "sender", "receiver", "basis"), ("share",)),
    "ownership": (("entity", "from"), ("parent", "ownership_pct", "method", *AMOUNT_COLUMNS)),
    layout.FILE: layout.COLUMNS,
    "ic_margins": (("period", "seller", "margin_pct"), ()),
}
OPTIONAL_FILES = ("allocations", "ownership", layout.FILE, "ic_margins")


@dataclass(frozen=True)
class MasterFile:
    path: str  # workspace-relative
    sha256: str
    rows: int


@dataclass(frozen=True)
class MasterSummary:
    """What load_master stored: rows per table, the files, and warnings."""

    counts: dict[str, int]
    files: tuple[MasterFile, ...]
    warnings: tuple[str, ...] = ()


# ---- reading ---------------------------------------------------------------


def master_paths(settings: Settings) -> dict[str, list[Path]]:
    """Every master file on disk by name (entities, accounts, ...)."""
    found: dict[str, list[Path]] = {name: [] for name in FILES}
    if settings.master_dir.is_dir():
        for path in sorted(settings.master_dir.iterdir()):
            if path.is_file() and path.suffix.lower() in SUFFIXES and path.stem.lower() in FILES:
                found[path.stem.lower()].append(path)
    return found


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_files(paths: Iterable[Path]) -> list[str]:
    """:func:`sha256_file` of each path, in order, on one thread per CPU
    (hashlib and file reads release the GIL): a period's ledger files are
    about a gigabyte at 10 million rows."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(sha256_file, paths))


def master_hashes(settings: Settings) -> dict[str, str]:
    """SHA-256 of every master file on disk, by workspace-relative path."""
    return {
        settings.relative(path): sha256_file(path)
        for paths in master_paths(settings).values()
        for path in paths
    }


def _records(raw: RawTable, name: str) -> tuple[list[Row], list[Problem]]:
    from closekit.io import column_name

    required, optional = FILES[name]
    problems = list(raw.problems)
    for column in required:
        if column not in raw.columns:
            problems.append(Problem(raw.path, 1, column, "required column is missing"))
    if problems:
        return [], problems
    known = [c for c in (*required, *optional) if c in raw.columns]
    data = raw.data.to_pydict()
    columns = {c: data[column_name(raw.columns.index(c))] for c in known}
    rows: list[Row] = []
    for i, number in enumerate(data["_row"]):
        error = data["_error"][i]
        if error:
            problems.append(Problem(raw.path, number, "", error))
            continue
        rows.append(Row(raw.path, number, {c: values[i] for c, values in columns.items()}))
    return rows, problems


def read_rows(settings: Settings, name: str) -> list[Row]:
    """The records of one master file (``fx_rates``), unvalidated: to name
    the file row of a stored value. Empty when the file is missing or cannot
    be read."""
    paths = master_paths(settings).get(name, [])
    if len(paths) != 1:
        return []
    raw = read_table(paths[0], settings.relative(paths[0]), settings.input_encoding)
    rows, _problems = _records(raw, name)
    return rows


def _read(settings: Settings) -> tuple[MasterRows, list[MasterFile]]:
    """Every master file's records, and the files as read (path, SHA-256, rows)."""
    master = MasterRows()
    files: list[MasterFile] = []
    for name, paths in master_paths(settings).items():
        master.rows[name] = []
        if not paths:
            if name not in OPTIONAL_FILES:
                master.problems.append(
                    Problem(f"master/{name}.csv", None, "", "master file is missing")
                )
            continue
        if len(paths) > 1:
            shown = ", ".join(settings.relative(p) for p in paths)
            master.problems.append(
                Problem(
                    settings.relative(paths[0]), None, "", f"more than one file for {name}: {shown}"
                )
            )
            continue
        path = paths[0]
        raw = read_table(path, settings.relative(path), settings.input_encoding)
        rows, problems = _records(raw, name)
        master.rows[name] = rows
        master.problems += problems
        files.append(MasterFile(raw.path, sha256_file(path), raw.read))
    return master, files


# ---- load_master ------------------------------------------------------------


def read_master(settings: Settings) -> tuple[dict[str, list[tuple[object, ...]]], MasterSummary]:
    """Read and validate every master file; raise InvalidInput with every problem."""
    m, files = _read(settings)
    folders = period_folders(settings.ledgers_dir)
    tables = check_master(m, settings, folders[0] if folders else None)
    types = {str(r[0]): str(r[3]) for r in tables["account"]}
    tables["statement_layout"] = layout.statement_layout(m, types)
    if m.problems:
        raise InvalidInput(m.problems)
    summary = MasterSummary(
        counts={name: len(rows) for name, rows in tables.items()},
        files=tuple(files),
        warnings=tuple(m.warnings),
    )
    return tables, summary


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[object, ...]]) -> None:
    """Append rows (in the table's column order) in one statement through Arrow:
    executemany runs one INSERT per row, too slow for thousands of cost centers."""
    if not rows:
        return
    # the duckdb package (not the engine module alone, db.engine) sets up the
    # scan of Arrow tables that register needs
    import duckdb  # noqa: F401
    import pyarrow as pa

    columns = [pa.array(list(column)) for column in zip(*rows, strict=True)]
    batch = pa.Table.from_arrays(columns, names=[f"c{i}" for i in range(len(columns))])
    con.register("insert_batch", batch)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM insert_batch")
    finally:
        con.unregister("insert_batch")


def write_master(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, list[tuple[object, ...]]],
    summary: MasterSummary,
) -> None:
    """Replace the master tables (the caller holds the transaction)."""
    if snapshot.in_use(con) is not None:  # would write into a locked period's TEMP tables
        raise RuntimeError("master tables read a locked period's snapshot: release_master first")
    for table, rows in tables.items():
        con.execute(f"DELETE FROM {table}")
        insert_rows(con, table, rows)
    con.execute("DELETE FROM master_file")
    insert_rows(con, "master_file", [(f.path, f.sha256, f.rows) for f in summary.files])
    from closekit import fx

    fx.build_cross_rates(con)


def load_master(settings: Settings, con: duckdb.DuckDBPyConnection) -> MasterSummary:
    """Validate the master/ folder and replace the master tables in one transaction."""
    tables, summary = read_master(settings)
    con.execute("BEGIN TRANSACTION")
    try:
        write_master(con, tables, summary)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return summary

"""Master data frozen at lock (SPEC section 5 and section 20 "Locks").

Every consolidation of a period records the master data its figures were
computed with: the rows of every table in :data:`MASTER_TABLES` as they apply
to the period (a dated table's rows up to the period, every row of the
others), in ``master_snapshot``. Locking keeps that record; ``reopen`` drops
it. Queries of a locked period (``tb``, ``drill``, ``bu``, ``costcenters``,
``report``, ``check``) call :func:`use_locked_master` first: for the rest of the
connection the master table names resolve to TEMP tables rebuilt from the
snapshot, so the dozens of queries that ``JOIN account`` read the locked
master data without a change. DuckDB resolves an unqualified name (and a
``main.`` one) in the temp catalog before the database's own; views resolve
the same way.

Rows are stored as JSON (``to_json``), decoded with ``json_transform`` into
the columns and types the master table has now: decimals round-trip exactly,
one table holds every master table, adding a master table is one line in
:data:`MASTER_TABLES`, and a column added to a master table later reads as
its default in older snapshots.

A locked period's dated rows must not change while it is locked (a changed
rate of a locked month would silently re-translate every later month):
:func:`closekit.snapshot_changes.frozen_changes` lists the rows of the
loaded master tables that differ from a locked period's snapshot.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:  # `closekit --help` imports no DuckDB (tests/test_cli_imports.py)
    import duckdb


@dataclass(frozen=True)
class NewSubject:
    """An added dated row is no change to a locked period when it is about
    something that period did not know: its ``column`` holds a value no row
    of the snapshot's ``table`` has in ``known_by``, and (``only``) a column
    has a value that keeps it out of the period's figures. A company bought
    after the lock needs a rate of the locked month for its currency
    (closing of P-1, SPEC 15.1) and an ownership row saying it was not held
    then (``none``, SPEC 14); neither changes a figure of the locked month.
    """

    column: str
    table: str
    known_by: str
    only: tuple[str, str] | None = None

    def free(self, row: Mapping[str, object], known: set[str]) -> bool:
        if str(row[self.column]) in known:
            return False
        return self.only is None or str(row[self.only[0]]) == self.only[1]


@dataclass(frozen=True)
class MasterTable:
    """A master table that a period's snapshot holds.

    name: the table in the workspace database.
    dated_by: the column holding the period from which a row applies (a
        dated table); the snapshot of period P keeps the rows dated up to P,
        and those rows may not change while P is locked. None: every row
        applies to every period.
    source: the master file a dated table is read from (``fx_rates``), for
        refusals that name ``path:row column``; None for a derived table.
    key: the columns that identify a row of a dated table.
    renamed: (table column, file column) where the file names a column
        differently (``("from_period", "from")``), for messages.
    origin: columns that say where a row came from (file and row number),
        not what it says: a row moved within its file is not a change.
    new_subject: when an added row is no change (None: never).
    """

    name: str
    dated_by: str | None = None
    source: str | None = None
    key: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    origin: tuple[str, ...] = ()
    new_subject: NewSubject | None = None

    def file_column(self, column: str) -> str:
        """The name the master file gives ``column``."""
        return dict(self.renamed).get(column, column)


# Adding a master table (ic_margins, ...) is one line here.
MASTER_TABLES: tuple[MasterTable, ...] = (
    MasterTable("entity"),
    MasterTable("account"),
    MasterTable("business_unit"),
    MasterTable("profit_center"),
    MasterTable("cost_center"),
    MasterTable("posting_rule"),
    MasterTable("allocation"),
    MasterTable("statement_layout"),  # how a locked period's statements present
    MasterTable(
        "fx_rate",
        dated_by="period",
        source="fx_rates",
        key=("period", "currency"),
        new_subject=NewSubject("currency", "fx_rate", "currency"),
    ),
    # SPEC 14: the holding in force from a period on; a locked period's row
    # fixes the structure (and the events) of every later period
    MasterTable(
        "ownership",
        dated_by="from_period",
        source="ownership",
        key=("entity", "from_period"),
        renamed=(("from_period", "from"),),
        origin=("path", "row_no"),
        new_subject=NewSubject("entity", "entity", "entity", only=("method", "none")),
    ),
    # SPEC 18.1: a seller's margin from a period on (unrealised profit)
    MasterTable(
        "ic_margin",
        dated_by="period",
        source="ic_margins",
        key=("period", "seller"),
        origin=("path", "row_no"),
    ),
    # derived from fx_rate (closekit.fx); kept so a locked period converts as it did
    MasterTable("fx_cross", dated_by="period"),
    # the master files as loaded, for the manifest and report reuse
    MasterTable("master_file"),
)

# The temp table that says which period's snapshot the connection reads.
_IN_USE = "master_snapshot_in_use"


def _persistent(con: duckdb.DuckDBPyConnection, *tables: str) -> list[str]:
    """The database's own tables, never temp tables that shadow them."""
    ((database,),) = con.execute("SELECT current_database()").fetchall()
    return [f'"{database}".main.{table}' for table in tables]


def _applies(table: MasterTable) -> str:
    """SQL condition: the row applies to period ``$period``."""
    return f"{table.dated_by} <= $period" if table.dated_by else "true"


def capture(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Record the master data as it applies to ``period`` (the caller holds
    the transaction), replacing the period's earlier record. Each table also
    gets a row ``seq`` 0 saying it was recorded (empty or not): a table
    added to closekit after a period was locked is not in its snapshot, and
    reads as loaded (:func:`recorded_tables`)."""
    con.execute("DELETE FROM master_snapshot WHERE period = ?", [period])
    sources = _persistent(con, *(table.name for table in MASTER_TABLES))
    rows = " UNION ALL ".join(
        f"SELECT '{table.name}', 0, '{{}}' UNION ALL"
        f" SELECT '{table.name}', row_number() OVER (ORDER BY t.rowid), to_json(t)"
        f" FROM {source} t WHERE {_applies(table)}"
        for table, source in zip(MASTER_TABLES, sources, strict=True)
    )
    con.execute(f"INSERT INTO master_snapshot SELECT $period, * FROM ({rows})", {"period": period})


def drop(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Forget ``period``'s record (reopen: the next close takes the master
    data as it is then)."""
    con.execute("DELETE FROM master_snapshot WHERE period = ?", [period])


def has_snapshot(con: duckdb.DuckDBPyConnection, period: str) -> bool:
    row = con.execute("SELECT count(*) FROM master_snapshot WHERE period = ?", [period]).fetchone()
    return bool(row and row[0])


def recorded_tables(con: duckdb.DuckDBPyConnection, period: str) -> set[str]:
    """The master tables ``period``'s snapshot holds (migration 060 recorded
    the tables of its day for periods locked before snapshots existed)."""
    rows = con.execute(
        "SELECT master_table FROM master_snapshot WHERE period = ? AND seq = 0", [period]
    ).fetchall()
    return {t for (t,) in rows}


def locked_periods(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every locked period, in order."""
    rows = con.execute(
        "SELECT period FROM period_status WHERE locked_at IS NOT NULL ORDER BY period"
    ).fetchall()
    return [p for (p,) in rows]


# ---- reading a snapshot ----------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    type: str
    default: str | None  # SQL text of the column's default, if any


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[_Column]:
    rows = con.execute(
        """
        SELECT column_name, data_type, column_default FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?
        ORDER BY column_index
        """,
        [table],
    ).fetchall()
    return [_Column(*row) for row in rows]


def _decoded_sql(con: duckdb.DuckDBPyConnection, table: str, periods: str) -> str:
    """SQL of ``table``'s rows in the snapshots of ``periods`` (an SQL list),
    in the columns and types the table has now and their recorded order,
    after the snapshot's period (``snapshot_period``). A column the snapshot
    lacks (added to the table after it was taken) reads as its default."""
    columns = _columns(con, table)
    structure = "{" + ", ".join(f'"{c.name}": "{c.type}"' for c in columns) + "}"
    present = ", ".join(f"json_exists(data, '$.{c.name}') AS has_{c.name}" for c in columns)
    selected = ", ".join(
        c.name
        if c.default is None
        else f"CASE WHEN has_{c.name} THEN {c.name} ELSE {c.default} END AS {c.name}"
        for c in columns
    )
    return f"""
        SELECT snapshot_period, {selected}
        FROM (
            SELECT period AS snapshot_period, seq,
                   unnest(json_transform(data, '{structure}')), {present}
            FROM {_persistent(con, "master_snapshot")[0]}
            WHERE list_contains({periods}, period) AND master_table = '{table}' AND seq > 0
        )
        ORDER BY snapshot_period, seq
    """


def snapshot_rows(
    con: duckdb.DuckDBPyConnection, period: str, table: str
) -> list[tuple[object, ...]]:
    """``table``'s rows as recorded for ``period``, in the table's columns."""
    rows = con.execute(_decoded_sql(con, table, "[$period]"), {"period": period}).fetchall()
    return [row[1:] for row in rows]


def in_use(con: duckdb.DuckDBPyConnection) -> str | None:
    """The period whose snapshot the connection's master tables read, if any."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [_IN_USE]
    ).fetchone()
    if not (exists and exists[0]):
        return None
    row = con.execute(f"SELECT period FROM temp.{_IN_USE}").fetchone()
    return None if row is None else str(row[0])


def use_locked_master(con: duckdb.DuckDBPyConnection, period: str) -> bool:
    """When ``period`` is locked, make the connection's master tables read its
    snapshot (until :func:`release_master` or the connection closes) and
    return True; an open period reads the master data as loaded (False)."""
    current = in_use(con)
    if current == period:
        return True
    if current is not None:
        release_master(con)
    if period not in locked_periods(con):
        return False
    recorded = recorded_tables(con, period)
    if not recorded:
        return False
    for table in MASTER_TABLES:
        if table.name not in recorded:
            continue
        decoded = _decoded_sql(con, table.name, "[$period]")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table.name} AS SELECT * EXCLUDE (snapshot_period)"
            f" FROM ({decoded})",
            {"period": period},
        )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_IN_USE} AS SELECT ?::VARCHAR AS period", [period])
    return True


def release_master(con: duckdb.DuckDBPyConnection) -> None:
    """Back to the master data as loaded."""
    for table in MASTER_TABLES:
        con.execute(f"DROP TABLE IF EXISTS temp.{table.name}")
    con.execute(f"DROP TABLE IF EXISTS temp.{_IN_USE}")


@contextmanager
def locked_master(con: duckdb.DuckDBPyConnection, period: str) -> Iterator[bool]:
    """:func:`use_locked_master` for the block; leaves the connection as it was."""
    before = in_use(con)
    switched = use_locked_master(con, period)
    try:
        yield switched
    finally:
        if before != in_use(con):
            release_master(con)
            if before is not None:
                use_locked_master(con, before)


P = ParamSpec("P")
R = TypeVar("R")


def reads_period(query: Callable[P, R]) -> Callable[P, R]:
    """Decorate a query of one period, with parameters named ``con`` and
    ``period``: it runs under :func:`locked_master`, so a locked period reads
    the master data it was locked with, from the CLI and the Python API alike."""
    signature = inspect.signature(query)

    @functools.wraps(query)
    def run(*args: P.args, **kw: P.kwargs) -> R:
        bound = signature.bind(*args, **kw).arguments
        with locked_master(bound["con"], bound["period"]):
            return query(*args, **kw)

    return run

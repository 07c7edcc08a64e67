"""The workspace database: connection, schema migrations, the busy lock.

The schema is literal DDL in ``closekit/schema/NNN_name.sql``, applied in
name order and recorded in ``schema_migration``; a new file is a new
migration, an applied file is never edited.

DuckDB lets one process at a time open a database file for writing; a second
closekit process is told the workspace is busy.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from closekit.errors import AmountTooLarge, WorkspaceBusy
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

P = ParamSpec("P")
R = TypeVar("R")

# The largest amount a DECIMAL(18, 2) column holds (SPEC section 1).
LARGEST_AMOUNT = "9999999999999999.99"

# DuckDB's own memory; Python (one file or report at a time) comes on top.
MEMORY_LIMIT = "4GB"


def migrations() -> list[tuple[str, str]]:
    """(name, sql) of every schema file, in order."""
    # imported here: only a writable connection migrates, and importlib.resources
    # brings tempfile, shutil and the compression modules (a reading command's 5 ms)
    from importlib import resources

    folder = resources.files("closekit") / "schema"
    files = sorted(f.name for f in folder.iterdir() if f.name.endswith(".sql"))
    return [(name, (folder / name).read_text(encoding="utf-8")) for name in files]


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Apply the schema files not applied yet, in order, in one transaction:
    a database is brought to the current schema whole or not at all (and a
    new one pays one commit, not one per file: half its creation time)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migration"
        " (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM schema_migration").fetchall()}
    pending = [(name, sql) for name, sql in migrations() if name not in done]
    if not pending:
        return
    with transaction(con):
        for name, sql in pending:
            con.execute(sql)
            con.execute("INSERT INTO schema_migration VALUES (?, now())", [name])


def engine() -> ModuleType:
    """DuckDB's engine, imported when a database is first opened (a command
    that opens none never loads it): the ``_duckdb`` extension module that
    the ``duckdb`` package wraps, on its own when it imports by itself.

    A connection is the engine's object either way (``duckdb.connect``
    returns ``_duckdb.connect``'s connection); the package adds about 0.1 s
    of CPU of Python imports (its version from ``importlib.metadata``, the
    relational and Arrow/polars APIs) that a command answering a query over
    SQL never uses, and that is half of ``closekit tb``'s start
    (docs/performance.md). A DuckDB without the module takes the package.
    """
    try:
        import _duckdb
    except ImportError:  # pragma: no cover - another DuckDB packaging
        import duckdb

        return duckdb
    return _duckdb


def connect(settings: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the workspace database (creating and migrating it when writable)."""
    if read_only and not settings.database.exists():
        read_only = False  # nothing to read yet: create the empty schema
    settings.database.parent.mkdir(parents=True, exist_ok=True)
    native = engine()
    try:
        con: duckdb.DuckDBPyConnection = native.connect(str(settings.database), read_only=read_only)
    except native.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceBusy(
                f"workspace is busy: another closekit process is using {settings.database.name}"
            ) from None
        raise
    # DuckDB draws its progress bar on stdout even when piped, which would
    # corrupt `--format json|csv` output of long steps; closekit reports its
    # own progress on stderr.
    con.execute("SET enable_progress_bar = false")
    # DuckDB 2.0.0: after a large append (>= a row group, written
    # "optimistically" to disk) a later append to the same table in the same
    # transaction can stay invisible to scans until a checkpoint, so a step
    # that appends more than once (post: lines, then revaluation) silently
    # lost rows at a million source rows. Appends go through the WAL instead.
    con.execute("SET enable_optimistic_write = false")
    # DuckDB takes 80% of RAM by default and a 10M-row close grew to ~19 GB;
    # under a limit it spills large sorts, joins and temp tables to
    # <database>.tmp instead (SPEC target: a 10M-row close within 6 GB).
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    if not read_only:
        migrate(con)
    return con


@contextmanager
def single_append(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Write the one append a transaction makes to a table straight to the
    database file (DuckDB's optimistic write) instead of through the WAL and
    again at the checkpoint: at 25 million journal lines that halves posting.

    Only for a statement that is its transaction's single append to its
    table: :func:`connect` turns optimistic writes off for everything else
    because of the DuckDB 2.0.0 bug described there.
    """
    con.execute("SET enable_optimistic_write = true")
    try:
        yield con
    finally:
        con.execute("SET enable_optimistic_write = false")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block ends, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _overflow(exc: BaseException) -> str | None:
    """The value that did not fit when ``exc`` (or an exception it arose
    from) is a decimal overflow; None otherwise. "" when the value is unknown."""
    import duckdb

    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen)
        if (
            isinstance(seen, duckdb.ConversionException | duckdb.OutOfRangeException)
            and "DECIMAL" in text
            and ("out of range" in text or "overflow" in text.lower())
        ):
            # the size of the total: which side (debits or credits) outgrows
            # the type first depends on DuckDB's parallel order
            value = re.search(r'value "?[-+]?([0-9.]+)"?', text)
            return value.group(1) if value else ""
        # pyarrow, when a Python total is handed to a decimal128(18, 2) column
        if type(seen).__name__ == "ArrowInvalid" and "precision" in text:
            return ""
        seen = seen.__cause__ or seen.__context__
    return None


def amounts_fit(step: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn a total that outgrows DECIMAL(18, 2) during ``step`` into
    :class:`AmountTooLarge` (exit 2, one line) instead of a traceback.

    Each row is limited at load (closekit.validate.rules.AMOUNT_DIGITS), but
    many large rows can still add up past 9999999999999999.99; the step's
    transaction is rolled back by its own code, so nothing half-written stays.
    The wrapped function takes the period as its ``period`` argument, or the
    periods as ``periods`` (named FIRST..LAST).
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                value = _overflow(exc)
                if value is None:
                    raise
                bound = signature.bind(*args, **kwargs).arguments
                periods = sorted(bound.get("periods") or [bound.get("period", "")])
                period = "..".join(dict.fromkeys([periods[0], periods[-1]]))
                total = f"a total of {value}" if value else "a total"
                raise AmountTooLarge(
                    f"{step} {period}: {total} is too large for closekit"
                    f" (max {LARGEST_AMOUNT}); look for amounts with too many digits"
                    " in the period's ledgers"
                ) from exc

        return wrapper

    return decorate

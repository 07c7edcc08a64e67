"""Render one part of the reports in a second process, on the second core.

The workbooks and the audit site are Python-bound (XlsxWriter, jinja2), so
threads do not overlap them. A second process does, but DuckDB allows one
process on a database file (a read-write connection locks it) and a
connection must not cross a ``fork``. So the worker is *spawned* (a fresh
interpreter that inherits no DuckDB state) and never opens the database: it
reads through a :class:`QueryClient`, which sends each query over a pipe to
the parent, where a thread runs it on a cursor of its own and sends the rows
back in batches. The database keeps one owner, the worker keeps the same
query code, and every query answers exactly as it would in the parent (the
rows are DuckDB's own Python values, pickled).

Usage::

    job = start(con, render, settings, period, out_dir, draft)
    ...                       # the parent renders something else meanwhile
    job.result()              # the worker's return value; re-raises its error

``render(con, *args)`` must be a module-level function (the worker imports
it by name) and use only ``execute``, ``fetchone``, ``fetchmany``,
``fetchall``, ``description`` and ``cursor`` of the connection it is given.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, cast

import duckdb

_BATCH = 10_000  # rows per message: bounded memory on either side of the pipe


class WorkerError(RuntimeError):
    """The worker failed with an error that could not be sent back as is."""


class QueryClient:
    """The read side of a DuckDB connection, answered by the parent process.

    One query is open at a time, as on a DuckDB cursor: ``execute`` replaces
    the previous result.
    """

    def __init__(self, pipe: Connection) -> None:
        self._pipe = pipe
        self.description: list[tuple[Any, ...]] | None = None

    def _ask(self, *message: Any) -> Any:
        self._pipe.send(message)
        kind, value = self._pipe.recv()
        if kind == "error":
            raise value
        return value

    def cursor(self) -> QueryClient:
        return self

    def execute(self, query: str, parameters: object = None) -> QueryClient:
        self.description = self._ask("execute", query, parameters)
        return self

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        return cast(list[tuple[Any, ...]], self._ask("fetch", size))

    def fetchone(self) -> tuple[Any, ...] | None:
        rows = self.fetchmany(1)
        return rows[0] if rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        while batch := self.fetchmany(_BATCH):
            rows.extend(batch)
        return rows


def _serve(cursor: duckdb.DuckDBPyConnection, pipe: Connection, outcome: list[Any]) -> None:
    """Answer the worker's queries until it sends its result (parent thread)."""
    result: duckdb.DuckDBPyConnection | None = None
    try:
        while True:
            kind, *args = pipe.recv()
            if kind in ("done", "failed"):
                outcome.extend((kind, args[0]))
                return
            try:
                if kind == "execute":
                    result = cursor.execute(args[0], args[1])
                    # Column types are DuckDB objects: sent by name.
                    description = [
                        (name, str(kind), *rest) for name, kind, *rest in result.description or []
                    ]
                    pipe.send(("ok", description))
                else:  # fetch
                    rows = result.fetchmany(args[0]) if result is not None else []
                    pipe.send(("ok", rows))
            except Exception as error:  # the worker raises it where it queried
                pipe.send(("error", error))
    except EOFError:  # the worker died without a word
        outcome.extend(("failed", WorkerError("the report worker stopped unexpectedly")))
    finally:
        cursor.close()


def _main(pipe: Connection, render: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """The worker process: render, then send the result or the error."""
    client = QueryClient(pipe)
    try:
        value = render(client, *args)
    except BaseException as error:  # every failure goes back to the parent
        detail = "".join(traceback.format_exception(error))
        try:
            pipe.send(("failed", error))
        except Exception:  # not picklable: send its text
            pipe.send(("failed", WorkerError(detail)))
        return
    pipe.send(("done", value))


class Job:
    """A render running in the worker process."""

    def __init__(
        self, process: Any, thread: threading.Thread, outcome: list[Any], pipe: Connection
    ) -> None:
        self._process, self._thread, self._outcome, self._pipe = process, thread, outcome, pipe

    def result(self) -> Any:
        self._thread.join()
        self._process.join()
        self._pipe.close()
        kind, value = self._outcome
        if kind == "failed":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the worker (the parent failed; its output is discarded)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._thread.join()
        self._pipe.close()


def start(con: duckdb.DuckDBPyConnection, render: Callable[..., Any], *args: Any) -> Job:
    """Run ``render(connection, *args)`` in a spawned process; its queries
    run on a new cursor of ``con``."""
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    process = context.Process(target=_main, args=(child_end, render, args), daemon=True)
    process.start()
    child_end.close()  # the parent's copy: EOF reaches _serve if the worker dies
    outcome: list[Any] = []
    thread = threading.Thread(
        target=_serve, args=(con.cursor(), parent_end, outcome), name="report-worker", daemon=True
    )
    thread.start()
    return Job(process, thread, outcome, parent_end)

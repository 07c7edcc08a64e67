"""Render one part of the reports in a second process, on the second core.

The workbooks and the audit site are Python-bound (XlsxWriter, jinja2), so
threads do not overlap them. A second process does, but DuckDB allows one
process on a database file (a read-write connection locks it) and a
connection must not cross a ``fork``. So the worker is a fresh interpreter
(``python -c`` running :func:`_main`, which inherits no DuckDB state and,
unlike multiprocessing's spawn, never re-runs the caller's main script) and
never opens the database: it reads through a :class:`QueryClient`, which
sends each query over a socket pair to the parent, where a thread runs it on
a cursor of its own and sends the rows back in batches. The database keeps
one owner, the worker keeps the same query code, and every query answers
exactly as it would in the parent (the rows are DuckDB's own Python values,
pickled).

Usage::

    job = start(con, render, settings, period, out_dir, draft)
    ...                       # the parent renders something else meanwhile
    job.result()              # the worker's return value; re-raises its error

``render(con, *args)`` must be a module-level function of an importable
module (the worker imports it by name; the arguments are pickled) and use
only ``execute``, ``fetchone``, ``fetchmany``, ``fetchall``, ``description``
and ``cursor`` of the connection it is given.
"""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, cast

import duckdb

_BATCH = 10_000  # rows per message: bounded memory on either side of the pipe
# The worker's program: its end of the socket pair is the file descriptor argv[1].
_ENTRY = (
    "import sys; from multiprocessing.connection import Connection; "
    "from closekit.report.worker import _main; _main(Connection(int(sys.argv[1])))"
)


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


def _main(pipe: Connection) -> None:
    """The worker process: receive the render, run it, send the result or the error."""
    client = QueryClient(pipe)
    try:
        module, name, args = pipe.recv()
        render = getattr(importlib.import_module(module), name)
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
        self,
        process: subprocess.Popen[bytes],
        thread: threading.Thread,
        outcome: list[Any],
        pipe: Connection,
    ) -> None:
        self._process, self._thread, self._outcome, self._pipe = process, thread, outcome, pipe

    def result(self) -> Any:
        self._thread.join()
        self._process.wait()
        self._pipe.close()
        kind, value = self._outcome
        if kind == "failed":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the worker (the parent failed; its output is discarded)."""
        if self._process.poll() is None:
            self._process.terminate()
        self._process.wait()
        self._thread.join()
        self._pipe.close()


def start(con: duckdb.DuckDBPyConnection, render: Callable[..., Any], *args: Any) -> Job:
    """Run ``render(connection, *args)`` in a new process; its queries run on
    a new cursor of ``con``."""
    if render.__module__ == "__main__" or "." in render.__qualname__:
        raise ValueError(f"{render.__qualname__}: not importable by name in a worker")
    parent_sock, child_sock = socket.socketpair()
    # The worker imports closekit (and ``render``'s module) as this process does.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    with child_sock:
        process = subprocess.Popen(
            [sys.executable, "-c", _ENTRY, str(child_sock.fileno())],
            pass_fds=(child_sock.fileno(),),
            env=env,
        )
    # The parent's copy of the worker's end is closed: EOF reaches _serve if
    # the worker dies.
    parent_end = Connection(parent_sock.detach())
    parent_end.send((render.__module__, render.__qualname__, args))
    outcome: list[Any] = []
    thread = threading.Thread(
        target=_serve, args=(con.cursor(), parent_end, outcome), name="report-worker", daemon=True
    )
    thread.start()
    return Job(process, thread, outcome, parent_end)

"""The progress line on a terminal (SPEC section 11: long steps show progress
on a terminal and stay quiet when piped).

:class:`TerminalMeter` implements :class:`closekit.progress.Meter`: one line
on stderr, redrawn a few times a second and cleared when the step ends, so
that it never mixes with the command's output. It shows the step, the
period, the seconds since it started and, when rows are counted (load, per
file read) or known (post, the period's accepted rows), rows and rows per
second. While one SQL statement runs, DuckDB's progress of it
(``query_progress``) gives the percentage.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import duckdb


# Seconds between redraws; steps shorter than the first redraw show nothing.
INTERVAL = 0.25


class TerminalMeter:
    """A transient progress line on ``stream`` (stderr, a terminal)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._label = ""
        self._con: duckdb.DuckDBPyConnection | None = None
        self._total: int | None = None
        self._counted = 0
        self._start = 0.0
        self._shown = False

    # ---- closekit.progress.Meter ----------------------------------------

    def begin(
        self, name: str, period: str, con: duckdb.DuckDBPyConnection | None, rows: int | None
    ) -> None:
        self.end()
        if con is not None:
            # DuckDB tracks a statement's progress only with its bar on;
            # printing it stays ours.
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
        with self._lock:
            self._label, self._con, self._total = f"{name} {period}", con, rows
            self._counted, self._start = 0, time.perf_counter()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="closekit-progress", daemon=True)
        self._thread.start()

    def advance(self, rows: int) -> None:
        with self._lock:
            self._counted += rows

    def end(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    # ---- drawing ----------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.wait(INTERVAL):
            text = self.line()
            width = shutil.get_terminal_size((80, 24)).columns
            self.stream.write("\r\x1b[K" + text[: max(width - 1, 10)])
            self.stream.flush()
            self._shown = True

    def _percent(self) -> float | None:
        if self._con is None:
            return None
        import duckdb

        try:
            value = float(self._con.query_progress())
        except (duckdb.Error, RuntimeError):
            return None
        return value if value >= 0 else None

    def line(self) -> str:
        """What the meter shows now, e.g.
        ``post 2026-11  4.1s  ~820,000 of 2,000,000 rows  ~200,000 rows/s  41%``."""
        with self._lock:
            label, total, counted = self._label, self._total, self._counted
            seconds = time.perf_counter() - self._start
        parts = [label, f"{seconds:.1f}s"]
        percent = self._percent()
        if counted:
            parts += [f"{counted:,} rows", f"{counted / max(seconds, 1e-9):,.0f} rows/s"]
        elif total and percent is not None:
            done = int(total * percent / 100)
            parts += [f"~{done:,} of {total:,} rows", f"~{done / max(seconds, 1e-9):,.0f} rows/s"]
        elif total:
            parts.append(f"{total:,} rows")
        if percent is not None:
            parts.append(f"{percent:.0f}%")
        return "  ".join(parts)

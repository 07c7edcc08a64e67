"""Progress of the long steps (SPEC section 11: shown on a terminal, quiet when piped).

The library says what it is doing; a :class:`Meter`, installed by the command
line only when stderr is a terminal (:func:`showing`), shows it. With no
meter installed every call here does nothing, so library users and piped
commands pay nothing.

    with progress.step("post", period, con, rows=n):   # the pipeline, around a step
        ...
        progress.advance(rows)                        # a step that counts as it goes

A step that cannot count as it goes (one SQL statement) is measured by
DuckDB's own progress of the running statement (``con.query_progress()``),
which the meter reads; with ``rows`` known, that gives rows and rows per second.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import duckdb


class Meter(Protocol):
    """Shows one step at a time."""

    def begin(
        self, name: str, period: str, con: duckdb.DuckDBPyConnection | None, rows: int | None
    ) -> None:
        """A step starts: ``rows`` it will process when known, ``con`` whose
        running statement's progress may be read."""

    def advance(self, rows: int) -> None:
        """``rows`` more rows are done."""

    def end(self) -> None:
        """The step ended (done or failed)."""


_meter: Meter | None = None


@contextmanager
def showing(meter: Meter | None) -> Iterator[None]:
    """Install ``meter`` for the steps run inside the block (None: none)."""
    global _meter
    before, _meter = _meter, meter
    try:
        yield
    finally:
        _meter = before


def active() -> bool:
    """A meter is installed (worth counting rows for)."""
    return _meter is not None


@contextmanager
def step(
    name: str,
    period: str,
    con: duckdb.DuckDBPyConnection | None = None,
    rows: int | None = None,
) -> Iterator[None]:
    """Show the step ``name`` of ``period`` while the block runs."""
    meter = _meter
    if meter is None:
        yield
        return
    meter.begin(name, period, con, rows)
    try:
        yield
    finally:
        meter.end()


def advance(rows: int) -> None:
    """Count ``rows`` more rows done by the current step."""
    if _meter is not None:
        _meter.advance(rows)

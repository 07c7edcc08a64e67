"""Progress of the long steps: shown on a terminal, quiet when piped, and
counting the rows a step really does."""

from __future__ import annotations

import io
import time
from pathlib import Path

import duckdb
import pytest

from closekit import db, pipeline, progress
from closekit.cli import meter
from closekit.cli.meter import TerminalMeter
from closekit.workspace import load_settings
from tests.demo_cli import fresh_demo, run

OCT = "2026-10"


class Recorder:
    """A meter that remembers what it was told."""

    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []
        self.rows: dict[str, int] = {}
        self._step = ""

    def begin(
        self, name: str, period: str, con: duckdb.DuckDBPyConnection | None, rows: int | None
    ) -> None:
        self._step = name
        self.events.append(("begin", name, period, str(rows)))
        self.rows[name] = 0

    def advance(self, rows: int) -> None:
        self.rows[self._step] += rows

    def end(self) -> None:
        self.events.append(("end", self._step))


def test_without_a_meter_steps_show_nothing_and_cost_nothing() -> None:
    assert not progress.active()
    with progress.step("load", OCT):
        progress.advance(10)  # no meter: nothing to count into


def test_a_close_reports_each_step_and_the_rows_it_loads_and_posts(tmp_path: Path) -> None:
    """Load counts the rows of October's files as it reads them (the sum of
    what the load history records as read); post announces the rows it will
    post before it starts (the rows the load accepted)."""
    settings = load_settings(fresh_demo(tmp_path / "demo"))
    recorder = Recorder()
    with progress.showing(recorder):
        pipeline.close_range(settings, [OCT], False, "none")
    names = [e[1] for e in recorder.events if e[0] == "begin"]
    assert names == ["load", "post", "consolidate", "manage", "check"]
    assert recorder.events[-1] == ("end", "check")
    con = db.connect(settings, read_only=True)
    row = con.execute(
        "SELECT sum(read), sum(accepted) FROM load_file WHERE period = ? AND current", [OCT]
    ).fetchone()
    con.close()
    assert row is not None
    read, accepted = int(row[0]), int(row[1])
    assert read > 3000  # the demo's month, not an empty count
    assert recorder.rows["load"] == read
    assert ("begin", "post", OCT, str(accepted)) in recorder.events


def test_the_terminal_line_shows_rows_and_rows_per_second_then_clears(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(meter, "INTERVAL", 0.01)
    stream = io.StringIO()
    shown = TerminalMeter(stream)
    shown.begin("load", OCT, None, None)
    shown.advance(1_200_000)
    time.sleep(0.1)
    line = shown.line()
    shown.end()
    label, seconds, rows, rate = line.split("  ")
    assert (label, rows) == (f"load {OCT}", "1,200,000 rows")
    assert seconds.endswith("s") and rate.endswith(" rows/s")
    written = stream.getvalue()
    assert written.startswith(f"\r\x1b[Kload {OCT}  ")
    assert written.endswith("\r\x1b[K")  # the line is cleared: output never mixes with it


def test_piped_commands_print_no_progress(tmp_path: Path) -> None:
    root = fresh_demo(tmp_path / "demo")
    result = run(root, "close", OCT, "--reports", "none")
    assert result.exit_code == 0, result.output
    # stderr has the demo's warnings (its associate, the companies outside
    # the group in October), no progress
    assert result.stderr
    assert all(line.startswith("Warning: ") for line in result.stderr.splitlines())
    assert "\r" not in result.stdout

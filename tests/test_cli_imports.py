"""A CLI that answers at once (issue 17 item 2): a command imports only what
it runs. ``closekit --help`` imports no DuckDB; ``tb`` and ``drill`` of an
entity import DuckDB's engine but not its Python package, no step of the
close (load readers, consolidation, reports) and none of the libraries only
those need (pyarrow, jinja2, the XLSX writers, polars); ``status`` reads no
consolidation or report module.
Start-up times are measured in docs/performance.md; this test keeps the
imports from coming back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit.cli import main
from closekit.sample.demo import write_blank
from tests.inline import write_workspace
from tests.test_post_end_to_end import FILES

# What a command answering from the database has no use for.
HEAVY = (
    "pyarrow",
    "jinja2",
    "xlsxwriter",
    "openpyxl",
    "polars",
    "closekit.io",
    "closekit.load.period",  # closekit.load itself is a lazy face (its progress is light)
    "closekit.load.read",
    "closekit.validate",
    "closekit.master",
    "closekit.consolidation",
    "closekit.report",
    "closekit.checks",
    "closekit.post",
)

# What only consolidating, checking and reporting need.
REPORTING = (
    "jinja2",
    "xlsxwriter",
    "openpyxl",
    "polars",
    "closekit.consolidation",
    "closekit.report",
    "closekit.checks",
    "closekit.post",
)

SCRIPT = """
import json, sys
from closekit.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except BaseException:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _imported(args: list[str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "ws"
    write_blank(root, "Blank")
    (root / "ledgers" / "2026-01").mkdir(parents=True, exist_ok=True)
    return root


def test_help_imports_no_duckdb_and_no_step() -> None:
    assert _heavy(_imported(["--help"]), ("duckdb", *HEAVY)) == []


@pytest.mark.parametrize(
    "args",
    [
        ["tb", "2026-01", "--entity", "X"],
        ["drill", "2026-01", "--account", "1000", "--entity", "X"],
    ],
    ids=["tb", "drill"],
)
def test_reading_commands_import_no_step_of_the_close(blank: Path, args: list[str]) -> None:
    """They reach the database through DuckDB's engine alone (db.engine):
    the ``duckdb`` package around it is 0.1 s of imports they do not use."""
    modules = _imported(["-w", str(blank), *args])
    assert "_duckdb" in modules  # the command did reach the database
    assert _heavy(modules, ("duckdb", *HEAVY)) == []


def test_status_imports_no_reader_no_consolidation_and_no_report(blank: Path) -> None:
    """status re-hashes each period's files as a load would (closekit.load.folder,
    closekit.load.fingerprint) but reads none, and neither consolidates nor
    reports: no reader, no pyarrow, DuckDB's engine alone."""
    modules = _imported(["-w", str(blank), "status"])
    assert "closekit.close_status" in modules
    assert "closekit.load.fingerprint" in modules
    readers = ("closekit.io.table", "closekit.io.csv_reader", "closekit.load.read")
    assert _heavy(modules, ("duckdb", "pyarrow", *readers, *REPORTING)) == []


def test_tb_and_drill_answer_the_same_through_the_engine_alone(tmp_path: Path) -> None:
    """The books of test_post_end_to_end loaded and posted in this process
    (the ``duckdb`` package imported); ``tb`` and ``drill`` in a fresh
    process (the engine alone) print what they print here, figure for figure."""
    root = write_workspace(tmp_path, FILES)
    runner = CliRunner()
    assert runner.invoke(main, ["-w", str(root), "post", "2025-12..2026-01"]).exit_code == 2
    assert runner.invoke(main, ["-w", str(root), "load", "2025-12..2026-01"]).exit_code == 0
    assert runner.invoke(main, ["-w", str(root), "post", "2025-12..2026-01"]).exit_code == 0
    for args in (
        ["tb", "2026-01", "--entity", "P", "--format", "csv"],
        ["drill", "2026-01", "--account", "1100", "--entity", "P", "--format", "json"],
    ):
        here = runner.invoke(main, ["-w", str(root), *args])
        assert here.exit_code == 0, here.output
        assert "1100" in here.stdout and len(here.stdout.splitlines()) > 2
        fresh = subprocess.run(
            [sys.executable, "-m", "closekit", "-w", str(root), *args],
            capture_output=True,
            text=True,
            check=True,
        )
        assert fresh.stdout == here.stdout

"""A CLI that answers at once (issue 17 item 2): a command imports only what
it runs. ``closekit --help`` imports no DuckDB; ``tb`` and ``drill`` of an
entity import no step of the close (load readers, consolidation, reports)
and none of the libraries only those need (pyarrow, jinja2, the XLSX
writers, polars); ``status`` reads no consolidation or report module.
Start-up times are measured in docs/performance.md; this test keeps the
imports from coming back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from closekit.sample.demo import write_blank

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
    modules = _imported(["-w", str(blank), *args])
    assert "duckdb" in modules  # the command did reach the database
    assert _heavy(modules, HEAVY) == []


def test_status_imports_no_consolidation_and_no_report(blank: Path) -> None:
    """status re-hashes each period's files as a load would (the readers are
    imported for that), but neither consolidates nor reports."""
    modules = _imported(["-w", str(blank), "status"])
    assert "closekit.close_status" in modules
    assert _heavy(modules, REPORTING) == []

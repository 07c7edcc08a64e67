"""A CLI that answers at once (issue 17 item 2): a command imports only what
it runs. ``closekit --help`` imports no DuckDB; ``tb`` and ``drill`` of an
entity import DuckDB's engine but not its Python package, no step of the
close (load readers, consolidation, reports) and none of the libraries only
those need (pyarrow, jinja2, the XLSX writers, polars); ``tb`` and ``drill``
of the group read the consolidated period through closekit.consolidation.queries
alone, no rule of the close; ``status`` reads no consolidation or report module.
The group imports a command's own module only (cli.base.COMMANDS).
Start-up times are measured in docs/performance.md; this test keeps the
imports from coming back."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit import cli
from closekit.cli import main
from closekit.cli.base import COMMANDS
from closekit.sample.demo import write_blank
from tests.inline import write_workspace
from tests.test_post_end_to_end import FILES
from tests.test_post_fixture import books, source

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
    "closekit.vertical",  # the management view: bu, costcenters
    "closekit.statements",
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


def _run(args: list[str]) -> tuple[str, set[str]]:
    """What a fresh process prints for ``args``, and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, check=True
    )
    printed, _, modules = done.stdout.rstrip("\n").rpartition("\n")
    return printed + "\n" if printed else "", set(json.loads(modules))


def _imported(args: list[str]) -> set[str]:
    return _run(args)[1]


def _heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def _commands(modules: set[str]) -> list[str]:
    """The command modules imported (the lazy group imports a command's own)."""
    return sorted(m for m in modules if m.startswith("closekit.cli.") and m.endswith("_commands"))


def test_the_lazy_group_knows_the_module_of_every_command() -> None:
    """cli.base.COMMANDS names the module that registers each command: every
    command of every ``*_commands`` module is there with its module, and
    nothing else is (a command missing would be missing from --help)."""
    for info in pkgutil.iter_modules(cli.__path__):
        if info.name.endswith("_commands"):
            importlib.import_module(f"closekit.cli.{info.name}")
    registered = {
        name: command.callback.__module__.rsplit(".", 1)[1]
        for name, command in main.commands.items()
        if command.callback is not None
    }
    assert registered == COMMANDS
    assert len(registered) == len(main.commands) > 20


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
    assert _heavy(modules, ("duckdb", "closekit.pipeline", *HEAVY)) == []
    assert _commands(modules) == ["closekit.cli.ledger_commands"]


# The consolidation's rules, which the group's tb and drill only read the
# result of (closekit.consolidation.queries and translation stay).
CLOSE_STEPS = (
    "closekit.consolidation.run",
    "closekit.consolidation.events",
    "closekit.consolidation.structure",
    "closekit.consolidation.acquisition",
    "closekit.consolidation.elimination",
    "closekit.consolidation.nci",
    "closekit.consolidation.reconciliation",
    "closekit.statements",
    "closekit.revalue",
    "closekit.fx",
)


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """test_tb_cli's group (parent P in CNY, U in USD) with U's sale of
    100.00 USD posted and consolidated at January."""
    from closekit.consolidation import consolidate_period
    from closekit.post import post_period

    settings, con = books(tmp_path_factory.mktemp("group"), in_memory=False)
    source(con, "2026-01", "sales", """
        doc_id,line,date,entity,currency,kind,profit_center,net_amount,tax_amount
        S1,1,2026-01-05,U,USD,goods,PC1,100.00,
    """)  # fmt: skip
    post_period(settings, con, "2026-01")
    consolidate_period(settings, con, "2026-01")
    con.close()
    return settings.root


@pytest.mark.parametrize(
    "args",
    [["tb", "2026-01"], ["drill", "2026-01", "--account", "1100"]],
    ids=["tb", "drill"],
)
def test_the_group_is_read_without_the_rules_of_the_close(
    consolidated: Path, args: list[str]
) -> None:
    """The group's figures come from the consolidated tables through
    closekit.consolidation.queries; no rule of the close, no reader, no
    ``duckdb`` package, no pyarrow. A fresh process prints what this one
    prints (the receivable of 100.00 USD at closing 7.20: 720.00 CNY)."""
    printed, modules = _run(["-w", str(consolidated), *args, "--format", "csv"])
    assert "closekit.consolidation.queries" in modules  # the group was read
    assert _commands(modules) == ["closekit.cli.ledger_commands"]
    readers = ("closekit.io.table", "closekit.io.csv_reader", "closekit.load", "closekit.validate")
    reporting = tuple(name for name in REPORTING if name != "closekit.consolidation")
    assert _heavy(modules, ("duckdb", "pyarrow", *readers, *reporting, *CLOSE_STEPS)) == []
    here = CliRunner().invoke(main, ["-w", str(consolidated), *args, "--format", "csv"])
    assert here.exit_code == 0, here.output
    assert "720.00" in here.stdout
    assert printed == here.stdout


def test_status_imports_no_reader_no_consolidation_and_no_report(blank: Path) -> None:
    """status re-hashes each period's files as a load would (closekit.load.folder,
    closekit.load.fingerprint) but reads none, and neither consolidates nor
    reports: no reader, no pyarrow, DuckDB's engine alone."""
    modules = _imported(["-w", str(blank), "status"])
    assert "closekit.close_status" in modules
    assert "closekit.load.fingerprint" in modules
    assert _commands(modules) == ["closekit.cli.load_commands"]
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

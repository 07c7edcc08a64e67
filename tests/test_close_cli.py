"""`closekit close` and `closekit check` as a finance user runs them."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_ledgers"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    workspace = tmp_path / "demo"
    shutil.copytree(SAMPLE, workspace, ignore=shutil.ignore_patterns("out", "*.duckdb*"))
    return workspace


def test_clean_close_prints_the_summary_and_exits_0(demo: Path) -> None:
    result = CliRunner().invoke(main, ["-w", str(demo), "close", "2026-10", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["period"] == "2026-10"
    assert all(f["read"] == f["accepted"] + f["rejected"] for f in summary["load"])
    assert [c["check"] for c in summary["checks"]] == [
        "rows_accounted", "entries_balanced", "subledger_gl", "fx_rates", "translated_tb",
        "ic_matched", "consolidated_bs", "structure", "flows_tie", "equity_statement",
        "cash_flow", "vertical_horizontal",
        "prior_period_locked",
    ]  # fmt: skip
    assert {c["status"] for c in summary["checks"]} == {"pass"}
    assert summary["draft"] is False
    figures = summary["key_figures"]
    assert figures["group"] == "CN00" and figures["currency"] == "CNY"
    # Money is a string in JSON; profit splits into owners and NCI exactly.
    # 372,112,869.94 before the unrealised profit in the buyers' stock
    # (SPEC 18.1) at CN00: 17,141,332.18 + 20,050,644.48 + 4,548,284.37 +
    # 4,898,437.89 + 5,584,439.08 = 52,223,138.00
    assert figures["profit"] == "319889731.94"
    assert Decimal(figures["attributable_to_owners"]) + Decimal(
        figures["attributable_to_nci"]
    ) == Decimal(figures["profit"])
    assert "out/2026-10/group.xlsx" in summary["outputs"]
    assert "out/2026-10/manifest.json" in summary["outputs"]
    assert set(summary["steps"]) == {
        "load", "post", "consolidate", "management", "checks", "reports",
    }  # fmt: skip

    check = CliRunner().invoke(main, ["-w", str(demo), "check", "2026-10", "--format", "json"])
    assert check.exit_code == 0
    assert json.loads(check.stdout) == summary["checks"]


def test_a_rejected_row_makes_the_close_a_draft_and_exits_1(demo: Path) -> None:
    sales = demo / "ledgers" / "2026-10" / "sales.csv"
    with sales.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    bad = {**rows[0], "doc_id": "BAD-1", "net_amount": "12,5O0.00"}
    with sales.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=list(bad), lineterminator="\n").writerow(bad)
    bad_row = len(rows) + 2  # header is row 1

    result = CliRunner().invoke(main, ["-w", str(demo), "close", "2026-10"])

    assert result.exit_code == 1, result.output
    assert f'ledgers/2026-10/sales.csv:{bad_row} net_amount: "12,5O0.00" is not a number' in (
        result.stderr
    )
    assert "rows_accounted       fail" in result.stdout
    assert "DRAFT" in result.stdout
    index = demo / "out" / "2026-10" / "html" / "index.html"
    assert "DRAFT" in index.read_text(encoding="utf-8")


def test_closing_a_period_without_a_folder_is_refused(demo: Path) -> None:
    result = CliRunner().invoke(main, ["-w", str(demo), "close", "2026-12"])
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown period 2026-12: no folder ledgers/2026-12\n"


def test_check_before_the_close_ran_names_the_first_step_missing(demo: Path) -> None:
    result = CliRunner().invoke(main, ["-w", str(demo), "check", "2026-10"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: period 2026-10 is not loaded yet; run `closekit load 2026-10` first\n"
    )

"""Closing in order as a finance team does: ranges, the real cause first,
staleness that follows what changed, the report a check does not invalidate."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.demo_cli import fresh_demo, run

OCT, NOV = "2026-10", "2026-11"


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's two months closed by one range, the reports of the last only."""
    root = fresh_demo(tmp_path_factory.mktemp("closed") / "demo")
    result = run(root, "close", f"{OCT}..{NOV}", "--reports", "last")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def demo(closed: Path, tmp_path: Path) -> Path:
    """A copy of the closed demo, for a test that changes it."""
    return Path(shutil.copytree(closed, tmp_path / "demo"))


def stale_line(root: Path, period: str) -> str:
    result = run(root, "status", period, "--format", "json")
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)[0]["stale_reason"] or "")


def edit_first_sales_row(root: Path, period: str, column: str, value: str) -> None:
    path = root / "ledgers" / period / "sales.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_reports_last_writes_the_last_period_of_a_range_only(closed: Path) -> None:
    assert (closed / "out" / NOV / "manifest.json").is_file()
    assert not (closed / "out" / OCT).exists()  # --reports last


def test_range_output_names_each_period(tmp_path: Path) -> None:
    root = fresh_demo(tmp_path / "demo")
    result = run(root, "close", f"{OCT}..{NOV}", "--reports", "none")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{OCT}  clean  3,611 rows (0 rejected)  checks 13 pass  ")
    assert lines[0].endswith("s  no reports")
    assert lines[1].startswith(f"{NOV}  clean  3,185 rows (0 rejected)  checks 12 pass, 1 warn  ")
    assert lines[2] == f"  prior_period_locked warn: prior period {OCT} is not locked"
    assert lines[3].startswith(f"Closed 2 period(s) {OCT}..{NOV} in ")


def test_closing_a_later_period_first_names_the_one_to_close(tmp_path: Path) -> None:
    root = fresh_demo(tmp_path / "demo")
    result = run(root, "close", NOV)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {OCT} is not closed; close {OCT} first "
        f"(`closekit close {OCT}..{NOV}` closes them in order)\n"
    )
    assert run(root, "status", "--format", "json").stdout.count('"loaded": null') == 2


def test_a_range_stops_at_the_first_refusal_naming_the_period(demo: Path) -> None:
    """November is locked: re-closing October..November stops at October,
    whose closing balances are November's opening ones (SPEC 20, issue 18
    item 6), with the lock's message; nothing is closed."""
    assert run(demo, "lock", NOV).exit_code == 0
    result = run(demo, "close", f"{OCT}..{NOV}", "--reports", "none")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: close stopped at {OCT}: period {OCT} comes before locked period {NOV},"
        f" whose opening balances it gives; reopen {NOV} first"
        f" (`closekit reopen {NOV} --reason ...`)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["close", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["close", f"{OCT}..2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["post", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["consolidate", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["manage", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["check", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["report", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["tb", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["bu", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (["costcenters", "2026-12"], "unknown period 2026-12: no folder ledgers/2026-12"),
        (
            ["drill", "2026-12", "--account", "1100"],
            "unknown period 2026-12: no folder ledgers/2026-12",
        ),
    ],
)
def test_every_command_names_the_real_cause_first(
    closed: Path, args: list[str], message: str
) -> None:
    result = run(closed, *args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


def test_a_backwards_range_is_bad_usage(closed: Path) -> None:
    result = run(closed, "close", f"{NOV}..{OCT}")
    assert result.exit_code == 2
    assert f"invalid range '{NOV}..{OCT}': {OCT} is before {NOV}" in result.stderr


def test_check_after_close_leaves_the_period_reported(demo: Path) -> None:
    assert run(demo, "check", NOV).exit_code == 0
    result = run(demo, "status", NOV, "--format", "json")
    steps = json.loads(result.stdout)[0]["steps"]
    assert steps["reported"] is not None
    assert steps["checked"] > steps["reported"]


def test_a_repost_that_changes_no_balance_leaves_later_periods_valid(demo: Path) -> None:
    """October's first sales row gets another customer: the file changes, the
    entity is posted again, and every balance stays as it was (a customer is
    not a balance key). November stays valid and its trial balance answers."""
    edit_first_sales_row(demo, OCT, "customer", "Another customer Ltd.")
    result = run(demo, "close", OCT, "--format", "json")
    assert result.exit_code == 0, result.output
    assert stale_line(demo, NOV) == ""
    assert run(demo, "tb", NOV).exit_code == 0


def test_a_repost_that_changes_a_balance_makes_later_periods_stale(demo: Path) -> None:
    """October's first sales row sells for 1.00 more: its balances change, so
    November (whose balance sheet carries October's) is stale until closed again."""
    path = demo / "ledgers" / OCT / "sales.csv"
    with path.open(encoding="utf-8", newline="") as f:
        first = next(csv.DictReader(f))
    edit_first_sales_row(demo, OCT, "net_amount", str(Decimal(first["net_amount"]) + 1))
    assert run(demo, "load", OCT).exit_code == 0
    assert run(demo, "post", OCT).exit_code == 0
    assert stale_line(demo, NOV) == f"{OCT} was re-posted with different balances"
    result = run(demo, "tb", NOV)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: period {NOV} is stale ({OCT} was re-posted with different balances); "
        "post it again\n"
    )
    assert run(demo, "close", f"{OCT}..{NOV}", "--reports", "none").exit_code == 0
    assert stale_line(demo, NOV) == ""

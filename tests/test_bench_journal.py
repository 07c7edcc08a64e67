"""The journal benchmark's workload and measuring parts, on a small journal:
the plain-text journal and the closekit files hold the same postings, the
floor's trial balances are closekit's, and a CLI run prints them too."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from closekit.bench_journal import Measure, cli_commands, run_cli, run_library, table
from closekit.bench_journal_files import Generated, floor_command, generate


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """300 transactions over 3 months (2025-12..2026-02), so that the last
    month's trial balance rolls 2025's P&L into retained earnings."""
    return generate(tmp_path_factory.mktemp("journal") / "work", 300, 3, 3, first="2025-12")


def journal_balances(path: Path) -> dict[str, Decimal]:
    """Every ENTITY:ACCOUNT's balance since inception, summed from the
    plain-text journal as hledger and ledger read it."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    transactions = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"\d{4}-\d{2}-\d{2} ", line):
            transactions += 1
        elif line.startswith("    "):
            account, amount = line.split()
            totals[account] += Decimal(amount)
    assert transactions == 300
    return totals


def test_the_journal_holds_the_postings_the_rules_make(small: Generated) -> None:
    """Each transaction posts 2 lines, 3 with tax (45% of them): the journal
    has exactly the postings generate counts, every transaction balances, and
    the files hold one row per transaction."""
    text = small.journal.read_text(encoding="utf-8")
    assert text.count("\n    ") == small.postings
    assert 2 * 300 < small.postings < 3 * 300
    assert sum(journal_balances(small.journal).values()) == 0
    rows = sum(
        len(path.read_text(encoding="utf-8").splitlines()) - 1
        for path in small.root.glob("ledgers/*/*.csv")
    )
    assert rows == 300 and small.files == 3 * 3


def floor_lines(small: Generated) -> list[str]:
    done = subprocess.run(
        floor_command(sys.executable, small.root, small.periods[-1], "2026-01"),
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(done.stdout.splitlines())


def test_floor_trial_balances_roll_the_closed_year(small: Generated) -> None:
    """Balance-sheet accounts are the journal's balances since inception; the
    P&L accounts carry only 2026's postings, and retained earnings (3200,
    posted by no rule) the P&L of 2025-12."""
    floor = {line.rsplit(",", 1)[0]: Decimal(line.rsplit(",", 1)[1]) for line in floor_lines(small)}
    journal = journal_balances(small.journal)
    for key, amount in journal.items():
        entity, account = key.split(":")
        if account[0] in "12":
            assert floor[f"{entity},{account}"] == amount
    for entity in small.entities:
        pnl_2026 = sum(v for k, v in floor.items() if k.startswith(f"{entity},") and k[-4] in "46")
        pnl_all = sum(v for k, v in journal.items() if k.startswith(f"{entity}:") and k[-4] in "46")
        assert floor[f"{entity},3200"] == pnl_all - pnl_2026


@pytest.mark.slow
def test_closekit_prints_the_floors_trial_balances(small: Generated) -> None:
    """The library run and the CLI run (month by month, as before ranges)
    print every entity's trial balance, equal to the floor's line by line."""
    expected = floor_lines(small)
    seconds, lines = run_library(small)
    assert seconds > 0 and lines == expected
    seconds, lines = run_cli(small, ranges=False)
    assert seconds > 0 and lines == expected


def test_cli_commands_load_and_post_then_print_every_trial_balance(small: Generated) -> None:
    by_month = [command[5:] for _, command in cli_commands(small, ranges=False)]
    assert by_month[:4] == [
        ["load", "2025-12"],
        ["post", "2025-12"],
        ["load", "2026-01"],
        ["post", "2026-01"],
    ]
    assert len(by_month) == 2 * 3 + 3
    assert by_month[-1] == ["tb", "2026-02", "--entity", "E3", "--format", "csv"]
    ranged = [command[5:] for _, command in cli_commands(small, ranges=True)]
    assert ranged[:2] == [["load", "2025-12..2026-02"], ["post", "2025-12..2026-02"]]
    assert len(ranged) == 2 + 3


def test_table_shows_each_tool_against_the_floor(small: Generated) -> None:
    measures = [
        Measure("closekit", [3.0, 1.0, 2.0], True, cpu=[1.5, 0.5, 1.0]),
        Measure("ledger", note="not installed: skipped"),
        Measure("floor", [0.5]),
    ]
    text = table(measures, small)
    assert "300 transactions" in text and "3 months (2025-12..2026-02)" in text
    assert re.search(r"closekit\s+2\.00\s+1\.00\s+4\.0\s+= floor\s+3\.00 1\.00 2\.00", text)
    assert re.search(r"ledger\s+-\s+-\s+-\s+not installed: skipped", text)

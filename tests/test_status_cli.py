"""`closekit status`, `lock` and the check table as a controller reads them."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from closekit.checks import CheckResult
from closekit.cli import main
from closekit.cli.close_commands import echo_checks
from tests.demo_cli import fresh_demo, run

OCT = "2026-10"


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's October closed with one rejected sales row: a DRAFT."""
    root = tmp_path_factory.mktemp("draft") / "demo"
    fresh_demo(root)
    sales = root / "ledgers" / OCT / "sales.csv"
    with sales.open(encoding="utf-8", newline="") as f:
        first = next(csv.DictReader(f))
    with sales.open("a", encoding="utf-8", newline="") as f:
        bad = {**first, "doc_id": "BAD-1", "net_amount": "12,5O0.00"}
        csv.DictWriter(f, fieldnames=list(bad), lineterminator="\n").writerow(bad)
    assert run(root, "close", OCT).exit_code == 1
    return root


def test_status_after_a_draft_close_says_draft_rejected_and_failed(draft: Path) -> None:
    result = run(draft, "status")
    assert result.exit_code == 0
    assert result.stdout == (
        "period   stage       result   rows  rejected  failed          warned  locked\n"
        "-------  ----------  ------  -----  --------  --------------  ------  ------\n"
        "2026-10  reported    DRAFT   3,612         1  rows_accounted  -       -\n"
        "2026-11  not loaded  -           0         0  -               -       -\n"
    )
    (october,) = json.loads(run(draft, "status", OCT, "--format", "json").stdout)
    assert october["stage"] == "reported"
    assert october["result"] == "DRAFT"
    assert (october["rows_read"], october["rows_rejected"]) == (3612, 1)
    assert october["checks_failed"] == ["rows_accounted"]
    assert october["inputs_changed"] == []


def test_a_draft_is_not_locked_without_force_and_a_reason(draft: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(draft, tmp_path / "demo"))
    refused = run(root, "lock", OCT)
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"Error: period {OCT} is not closed clean: 1 row(s) were rejected; close it again, "
        "or lock it anyway with --force --reason TEXT (recorded in the audit log)\n"
    )
    assert run(root, "lock", OCT, "--force").exit_code == 2  # no reason
    forced = run(root, "lock", OCT, "--force", "--reason", "rejected row is a test invoice")
    assert forced.exit_code == 0 and forced.stdout == f"{OCT} locked\n"
    con = duckdb.connect(str(root / "closekit.duckdb"), read_only=True)
    log = con.execute("SELECT action, detail FROM audit_log WHERE action LIKE 'lock%'").fetchall()
    con.close()
    assert log[0] == (
        "lock forced",
        "rejected row is a test invoice (not clean: 1 row(s) were rejected)",
    )
    assert log[1][0] == "lock"


def test_status_names_inputs_changed_since_the_close(draft: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(draft, tmp_path / "demo"))
    (root / "ledgers" / OCT / "journals-late.csv").write_text(
        (root / "ledgers" / OCT / "journals.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with (root / "master" / "fx_rates.csv").open("a", encoding="utf-8") as f:
        f.write("")  # unchanged bytes: not a change
    result = run(root, "status")
    assert (
        f"{OCT}: inputs changed since the close: ledgers/{OCT}/journals-late.csv added"
        in result.stdout.splitlines()
    )
    refused = run(root, "lock", OCT)
    assert "1 row(s) were rejected" in refused.stderr  # the first reason


def test_a_long_check_detail_wraps_and_is_cut_with_where_to_read_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    pairs = "; ".join(f"E{n:02d}/E{n + 1:02d} on 1290: difference 11.00" for n in range(20))
    echo_checks(
        [
            CheckResult("rows_accounted", "pass", "8 file(s): 3268 rows read, all accepted"),
            CheckResult("ic_matched", "fail", f"20 pair(s) beyond tolerance 10.00: {pairs}"),
        ],
        OCT,
    )
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) < 80 for line in lines)
    assert lines[2] == "rows_accounted  pass    8 file(s): 3268 rows read, all accepted"
    assert lines[3].startswith("ic_matched      fail    20 pair(s) beyond tolerance 10.00: E00/E01")
    assert len(lines) == 2 + 1 + 4
    # the ic command lists every pair (SPEC 20)
    assert " ".join(line.strip() for line in lines[3:]).endswith(
        f"... (`closekit ic {OCT}` lists every pair)"
    )
    assert all(line.startswith(" " * 24) for line in lines[4:])


def test_verify_says_when_the_workspace_inputs_no_longer_match_the_pack(
    draft: Path, tmp_path: Path
) -> None:
    """The pack itself is intact (exit 0); in the workspace, a late file in
    its period and a changed master file are named; outside one, the pack is
    checked alone."""
    root = Path(shutil.copytree(draft, tmp_path / "demo"))
    pack = root / "out" / OCT
    ok = f"OK: every output of {pack} matches its manifest and the workspace's audit log\n"
    assert run(root, "verify", str(pack)).stdout == ok
    (root / "ledgers" / OCT / "journals-late.csv").write_text(
        (root / "ledgers" / OCT / "journals.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with (root / "master" / "fx_rates.csv").open("a", encoding="utf-8") as f:
        f.write("\n")
    result = run(root, "verify", str(pack))
    assert result.exit_code == 0
    assert result.stdout == ok
    assert result.stderr == (
        "Note: the workspace's inputs no longer match this pack (2 file(s)); "
        "closing again could give other figures:\n"
        f"  ledgers/{OCT}/journals-late.csv added\n"
        "  master/fx_rates.csv changed\n"
    )
    copy = Path(shutil.copytree(pack, tmp_path / "pack"))
    alone = CliRunner().invoke(main, ["verify", str(copy)])
    assert alone.exit_code == 0
    assert alone.stdout == f"OK: every output of {copy} matches its manifest\n"


def test_a_long_detail_of_another_check_says_where_it_is_in_full(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    files = "; ".join(f"ledgers/{OCT}/sales-{n:02d}.csv: 3 rejected" for n in range(20))
    echo_checks([CheckResult("rows_accounted", "fail", files)], OCT)
    lines = capsys.readouterr().out.splitlines()
    assert " ".join(line.strip() for line in lines[2:]).endswith(
        f"... (in full: `closekit check {OCT} --format json`, html/index.html#checks)"
    )

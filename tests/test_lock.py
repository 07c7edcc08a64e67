"""Locks, reopen, the busy workspace, and a load killed mid-way (SPEC section 5)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit import db
from closekit.cli import main
from closekit.errors import PeriodError
from closekit.load import changed_master_files, load_period, lock_period, reopen_period
from closekit.master import sha256_file
from tests.test_load_fixture import MASTER, connect, period_files, workspace

CLOSEKIT = [sys.executable, "-m", "closekit"]


def test_lock_records_master_hashes_and_refuses_loads_until_reopened(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    con = connect(settings)
    load_period(settings, con, "2026-01")
    lock_period(settings, con, "2026-01")

    hashes = dict(con.execute("SELECT path, sha256 FROM lock_master_file").fetchall())
    assert hashes["master/entities.csv"] == sha256_file(settings.master_dir / "entities.csv")
    assert len(hashes) == 7
    with pytest.raises(PeriodError, match="2026-01 is locked"):
        load_period(settings, con, "2026-01")
    with pytest.raises(PeriodError, match="2026-01 is locked"):
        lock_period(settings, con, "2026-01")
    assert changed_master_files(settings, con, "2026-01") == []

    # master data changed after the lock: the report step names the files
    (settings.master_dir / "cost_centers.csv").write_text(
        MASTER["master/cost_centers.csv"].replace("Finance P", "Finance Parent"), encoding="utf-8"
    )
    (settings.master_dir / "allocations.csv").write_text(
        "cycle,sender,receiver,basis,share\nC1,CCP,PC1,fixed,1\n", encoding="utf-8"
    )
    assert changed_master_files(settings, con, "2026-01") == [
        "master/allocations.csv",
        "master/cost_centers.csv",
    ]

    with pytest.raises(PeriodError, match="needs a reason"):
        reopen_period(settings, con, "2026-01", "  ")
    reopen_period(settings, con, "2026-01", "late supplier invoice")
    assert changed_master_files(settings, con, "2026-01") == []
    assert load_period(settings, con, "2026-01").clean
    log = con.execute("SELECT period, action, detail FROM audit_log").fetchall()
    assert ("2026-01", "lock", "7 master file(s) recorded") in log
    assert (
        "2026-01",
        "reopen",
        "late supplier invoice; master files changed since the lock:"
        " master/allocations.csv, master/cost_centers.csv",
    ) in log
    with pytest.raises(PeriodError, match="is not locked"):
        reopen_period(settings, con, "2026-01", "again")


def test_cli_lock_reopen_and_status(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    runner = CliRunner()
    w = ["-w", str(settings.root)]
    assert runner.invoke(main, [*w, "load", "2026-01"]).exit_code == 0
    refused = runner.invoke(main, [*w, "lock", "2026-01"])
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "Error: period 2026-01 is not closed clean: it is not closed (last step: loaded); "
    )
    forced = runner.invoke(main, [*w, "lock", "2026-01", "--force", "--reason", "test"])
    assert forced.stdout == "2026-01 locked\n"
    refused = runner.invoke(main, [*w, "load", "2026-01"])
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: period 2026-01 is locked; `closekit reopen 2026-01 --reason ...` first\n"
    )
    assert runner.invoke(main, [*w, "reopen", "2026-01"]).exit_code == 2  # --reason required
    assert runner.invoke(main, [*w, "reopen", "2026-01", "--reason", "fix"]).exit_code == 0

    status = runner.invoke(main, [*w, "status", "--format", "json"])
    assert status.exit_code == 0
    (period,) = json.loads(status.stdout)
    assert period["period"] == "2026-01"
    assert period["steps"]["loaded"] is not None
    assert period["steps"]["posted"] is None
    assert period["locked_at"] is None
    assert period["entities"] == [
        {"entity": "P", "rows_loaded": 5, "lines_posted": 0},
        {"entity": "U", "rows_loaded": 4, "lines_posted": 0},
    ]
    table = runner.invoke(main, [*w, "status", "2026-01"])
    assert table.exit_code == 0
    assert "2026-01  P                 5             0" in table.stdout


def test_busy_workspace_is_one_line_and_exit_2(tmp_path: Path) -> None:
    settings = workspace(tmp_path, period_files())
    holder = db.connect(settings)  # this process holds the database
    try:
        run = subprocess.run(
            [*CLOSEKIT, "-w", str(settings.root), "load", "2026-01"],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        holder.close()
    assert run.returncode == 2
    assert (
        run.stderr
        == "Error: workspace is busy: another closekit process is using closekit.duckdb\n"
    )


# ---- a load killed at any moment leaves the old rows or the new -------------------

_HEADER = (
    "doc_id,line,date,entity,currency,kind,customer,partner,profit_center,product,quantity,"
    "net_amount,tax_amount\n"
)


def _sales(rows: int, amount: str) -> str:
    line = "S{0},1,2026-01-{1:02d},P,CNY,goods,C1,,PC1,X1,1," + amount + ",0\n"
    return _HEADER + "".join(line.format(i, i % 28 + 1) for i in range(rows))


@pytest.mark.slow
def test_load_killed_mid_way_leaves_old_or_new_rows_never_a_mixture(tmp_path: Path) -> None:
    rows = 30_000
    sales = "ledgers/2026-01/sales.csv"
    settings = workspace(tmp_path, {sales: _sales(rows, "1.00")})
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [*CLOSEKIT, "-w", str(settings.root), "load", "2026-01"]

    def state() -> tuple[str, int, Decimal, list[tuple[str]]]:
        con = db.connect(settings)
        versions = con.execute(
            "SELECT sha256, count(*), sum(net_amount) FROM source_row GROUP BY sha256"
        ).fetchall()
        current = con.execute("SELECT sha256 FROM load_file WHERE current").fetchall()
        con.close()
        assert len(versions) == 1, versions  # never two versions of the file at once
        sha, count, total = versions[0]
        return sha, count, total, current

    subprocess.run(command, env=env, check=True, capture_output=True)  # version 1
    (settings.root / sales).write_text(_sales(rows, "2.00"))
    started = time.monotonic()
    subprocess.run(command, env=env, check=True, capture_output=True)
    full = time.monotonic() - started  # a reload as the killed ones, process start included

    killed = 0
    for version, fraction in enumerate((0.4, 0.6, 0.8), start=3):
        old = state()[:3]
        (settings.root / sales).write_text(_sales(rows, f"{version}.00"))
        new = (sha256_file(settings.root / sales), rows, Decimal(rows * version))
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(full * fraction)
        child.send_signal(signal.SIGKILL)
        killed += child.wait() == -signal.SIGKILL

        sha, count, total, current = state()
        # all of the old version or all of the new, and the history agrees
        assert (sha, count, total) in (old, new)
        assert current == [(sha,)]
    assert killed >= 2  # the children really died mid-load
    # and a load left to finish brings in the last version whole
    subprocess.run(command, env=env, check=True, capture_output=True)
    assert state()[:3] == new

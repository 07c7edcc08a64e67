"""The benchmark's measuring parts, on a tiny synthetic workspace: the floor
sums what the files hold, a re-sent file changes exactly one amount by 1.00,
and a child run reports its own exit code, time and memory."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from closekit.bench import (
    SizeResult,
    bench_size,
    floor_seconds,
    resend_one_file,
    run_closekit,
    table,
)
from closekit.sample.synthetic import Format, write_synthetic
from closekit.sample.synthetic_master import FIRST_PERIOD, Size

TINY = Size(entities=4, business_units=2, profit_centers=4, cost_centers=8, lines=1000, periods=1)


def total(path: Path) -> Decimal:
    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    con = duckdb.connect()
    row = con.execute(f"SELECT sum(net_amount::DECIMAL(18,2)) FROM {reader}('{path}')").fetchall()
    return Decimal(row[0][0])


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_resend_one_file_adds_one_unit_to_one_amount(tmp_path: Path, fmt: Format) -> None:
    ws = write_synthetic(tmp_path / "ws", TINY, fmt).root
    folder = ws / "ledgers" / FIRST_PERIOD
    before = {p.name: (p.read_bytes(), total(p)) for p in folder.glob(f"sales-*.{fmt}")}
    changed = resend_one_file(ws, FIRST_PERIOD, fmt)
    after = {p.name: p.read_bytes() for p in folder.glob(f"sales-*.{fmt}")}
    assert [name for name in before if before[name][0] != after[name]] == [changed.name]
    assert total(changed) == before[changed.name][1] + Decimal("1.00")
    assert floor_seconds(ws, FIRST_PERIOD, fmt) > 0


def test_run_closekit_measures_the_child(tmp_path: Path) -> None:
    ws = write_synthetic(tmp_path / "ws", TINY).root
    run = run_closekit(ws, ["load", FIRST_PERIOD, "--format", "json"], timeout=300)
    assert run.exit_code == 0 and not run.timed_out
    assert run.seconds > 0 and run.peak_rss_mb > 10
    assert [f["rejected"] for f in run.output] == [0] * len(
        run.output
    )  # load's JSON: one object a file


def test_run_closekit_reports_refusals(tmp_path: Path) -> None:
    run = run_closekit(tmp_path, ["load", FIRST_PERIOD], timeout=60)
    assert run.exit_code == 2  # not a workspace


def test_table_lists_every_size_and_step() -> None:
    a = SizeResult("seeds", 250_000, rows=269_980, close_s=40.5, steps={"load": 20.0, "post": 4.0})
    b = SizeResult("1m", 1_000_000, rows=1_016_000, note="timed out")
    text = table([a, b])
    assert text.splitlines()[0].split()[:5] == ["size", "rows", "close", "s", "load"]
    assert "269,980" in text and "40.50" in text and "1,016,000" in text


@pytest.mark.slow
def test_bench_size_reports_the_median_of_its_re_closes(tmp_path: Path) -> None:
    result = bench_size("tiny", 2_000, tmp_path, "csv", timeout=300, reclose_runs=3)
    assert result.close_exit == 0 and result.steps["reports"] > 0
    assert len(result.incremental_runs) == 3
    assert result.incremental_s == sorted(result.incremental_runs)[1]
    assert result.incremental_share == round(result.incremental_s / result.close_s, 2)
    assert set(result.incremental_steps) == set(result.steps)
    # The child's own CPU (os.wait4) beside the wall time: a re-close's share
    # of it is the steadier figure on a machine other jobs share.
    assert result.close_cpu_s is not None and result.close_cpu_s > 0
    assert result.incremental_cpu_s is not None and result.incremental_cpu_s > 0
    assert result.incremental_cpu_share == round(result.incremental_cpu_s / result.close_cpu_s, 2)

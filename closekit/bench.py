"""``make bench``: how long the close takes as the ledgers grow.

For each size it generates a synthetic workspace (``closekit sample``, one
month) under ``bench/work/``, then measures:

- **close**: ``closekit -w DIR close PERIOD --format json`` in a child
  process: wall time, the per-step seconds the command reports, rows per
  second and the child's peak resident memory (``os.wait4``);
- **floor**: bare DuckDB reading the same ledger files and summing their
  amounts by entity, module and kind: what any tool must pay to read them;
- **ratio**: (load + post + trial balances of every entity) / floor;
- **incremental**: one entity's sales file re-sent with one amount changed,
  then the close again, as a share of the full close; done ``--reclose-runs``
  times (3 by default), each re-sending the file with one more change, and
  the median run reported (every run's seconds are in the results file).

It prints a table and writes ``bench/results.json``. Sizes: ``seeds`` (the
reference group, about 250,000 rows a month), ``1m``, ``10m``; ``--quick``
runs a 50,000-row workspace only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from closekit import __version__
from closekit.sample.synthetic import write_synthetic
from closekit.sample.synthetic_master import FIRST_PERIOD, Size
from closekit.workspace import load_settings

SIZES = {"quick": 50_000, "seeds": 250_000, "1m": 1_000_000, "10m": 10_000_000}
DEFAULT_SIZES = ("seeds", "1m", "10m")
PERIOD = FIRST_PERIOD
AMOUNTS = {
    "sales": "net_amount::DECIMAL(18,2) + coalesce(tax_amount::DECIMAL(18,2), 0)",
    "purchasing": "net_amount::DECIMAL(18,2) + coalesce(tax_amount::DECIMAL(18,2), 0)",
    "inventory": "value::DECIMAL(18,2)",
    "expenses": "net_amount::DECIMAL(18,2) + coalesce(tax_amount::DECIMAL(18,2), 0)",
}


@dataclass(frozen=True)
class ChildRun:
    """A closekit command run in a child process."""

    exit_code: int
    seconds: float
    peak_rss_mb: float
    output: Any  # the command's JSON output, None when it printed none
    timed_out: bool = False
    cpu_s: float = 0.0  # the child's own CPU, user + system: steadier than wall on a busy machine


@dataclass
class SizeResult:
    name: str
    lines: int
    rows: int = 0
    files: int = 0
    generate_s: float = 0.0
    close_s: float | None = None
    close_exit: int | None = None
    close_cpu_s: float | None = None
    steps: dict[str, float] = field(default_factory=dict)
    rows_per_s: float | None = None
    peak_rss_mb: float | None = None
    floor_s: float | None = None
    tb_s: float | None = None
    ratio: float | None = None
    incremental_s: float | None = None
    incremental_steps: dict[str, float] = field(default_factory=dict)
    incremental_share: float | None = None
    incremental_runs: list[float] = field(default_factory=list)  # seconds of every re-close
    incremental_cpu_s: float | None = None  # the median run's CPU
    incremental_cpu_share: float | None = None
    note: str = ""


def run_closekit(workspace: Path, args: list[str], timeout: float) -> ChildRun:
    """Run ``closekit -w workspace ARGS`` and measure it. The child's own
    resource usage (``os.wait4``) gives its peak RSS without psutil."""
    out_path = workspace.parent / f"{workspace.name}.stdout.json"
    command = [sys.executable, "-m", "closekit", "-w", str(workspace), *args]
    start = time.perf_counter()
    with out_path.open("wb") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                return ChildRun(
                    -1, round(time.perf_counter() - start, 2), usage.ru_maxrss / 1024, None, True,
                    round(usage.ru_utime + usage.ru_stime, 2),
                )  # fmt: skip
            time.sleep(0.05)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    try:
        output = json.loads(out_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        output = None
    return ChildRun(
        child.returncode,
        round(seconds, 2),
        round(usage.ru_maxrss / 1024, 1),
        output,
        cpu_s=round(usage.ru_utime + usage.ru_stime, 2),
    )


def floor_seconds(workspace: Path, period: str, fmt: str) -> float:
    """Bare DuckDB: read every ledger file of the period and sum the amounts
    by entity, module and kind."""
    folder = (workspace / "ledgers" / period).as_posix()
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    options = "" if fmt == "parquet" else ", all_varchar=true"
    parts = [
        f"SELECT entity, '{module}' AS module, kind, sum({amount}) AS amount "
        f"FROM {reader}('{folder}/{module}-*.{fmt}'{options}) GROUP BY ALL"
        for module, amount in AMOUNTS.items()
    ]
    con = duckdb.connect()
    try:
        start = time.perf_counter()
        con.execute(" UNION ALL ".join(parts)).fetchall()
        return round(time.perf_counter() - start, 3)
    finally:
        con.close()


def trial_balance_seconds(workspace: Path, period: str) -> float:
    """Every entity's functional trial balance from the posted journal, as
    ``closekit tb`` computes it (closekit.ledger.balance_query)."""
    from closekit.ledger import balance_query

    settings = load_settings(workspace)
    con = duckdb.connect(str(settings.database), read_only=True)
    try:
        query = balance_query(settings, period)
        start = time.perf_counter()
        con.execute(f"SELECT entity, account, sum(amount) FROM ({query}) GROUP BY ALL").fetchall()
        return round(time.perf_counter() - start, 3)
    finally:
        con.close()


def resend_one_file(workspace: Path, period: str, fmt: str, entity: str = "") -> Path:
    """One entity (the last, or ``entity``) sends its sales file again with
    one amount corrected: the first line's net amount plus 1.00."""
    path = sorted((workspace / "ledgers" / period).glob(f"sales-{entity or '*'}.{fmt}"))[-1]
    con = duckdb.connect()
    try:
        source = (
            f"read_parquet('{path}')"
            if fmt == "parquet"
            else f"read_csv('{path}', all_varchar=true)"
        )
        fixed = "(net_amount::DECIMAL(18,2) + 1)" + ("" if fmt == "parquet" else "::VARCHAR")
        con.execute(
            f"CREATE TABLE resent AS SELECT * REPLACE (CASE WHEN row_number() OVER () = 1 "
            f"THEN {fixed} ELSE net_amount END AS net_amount) FROM {source}"
        )
        options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "HEADER true"
        con.execute(f"COPY resent TO '{path}' ({options})")
    finally:
        con.close()
    return path


def bench_size(
    name: str, lines: int, work: Path, fmt: str, timeout: float, reclose_runs: int
) -> SizeResult:
    result = SizeResult(name, lines)
    workspace = work / f"{name}-{fmt}"
    if workspace.exists():
        shutil.rmtree(workspace)
    start = time.perf_counter()
    sample = write_synthetic(
        workspace, Size(lines=lines, periods=1), "parquet" if fmt == "parquet" else "csv"
    )
    result.generate_s = round(time.perf_counter() - start, 2)
    result.rows, result.files = sample.rows[PERIOD], sample.files
    say(f"{name}: {result.rows:,} rows generated in {result.generate_s}s; closing ...")
    full = run_closekit(workspace, ["close", PERIOD, "--format", "json"], timeout)
    result.close_s, result.close_exit, result.peak_rss_mb = (
        full.seconds,
        full.exit_code,
        full.peak_rss_mb,
    )
    result.close_cpu_s = full.cpu_s
    if full.timed_out or full.exit_code not in (0, 1):
        result.note = "timed out" if full.timed_out else f"close exited {full.exit_code}"
        return result
    result.steps = _steps(full)
    result.rows_per_s = round(result.rows / full.seconds)
    result.floor_s = floor_seconds(workspace, PERIOD, fmt)
    result.tb_s = trial_balance_seconds(workspace, PERIOD)
    measured = result.steps.get("load", 0.0) + result.steps.get("post", 0.0) + result.tb_s
    result.ratio = round(measured / result.floor_s, 1) if result.floor_s else None
    runs: list[ChildRun] = []
    for _ in range(reclose_runs):
        resend_one_file(workspace, PERIOD, fmt)
        runs.append(run_closekit(workspace, ["close", PERIOD, "--format", "json"], timeout))
    if runs:
        median = sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]
        result.incremental_runs = [run.seconds for run in runs]
        result.incremental_s = median.seconds
        result.incremental_steps = _steps(median)
        result.incremental_share = round(median.seconds / full.seconds, 2)
        result.incremental_cpu_s = median.cpu_s
        result.incremental_cpu_share = round(median.cpu_s / full.cpu_s, 2) if full.cpu_s else None
    return result


def _steps(run: ChildRun) -> dict[str, float]:
    """Per-step seconds of ``close --format json`` ({"steps": {"load": s, ...}})."""
    steps = run.output.get("steps", {}) if isinstance(run.output, dict) else {}
    return {name: float(seconds) for name, seconds in steps.items()}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def table(results: list[SizeResult]) -> str:
    def cell(value: object) -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:,.2f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    steps = sorted(
        {step for r in results for step in r.steps},
        key=list(results[0].steps or {"": 0}).index if results and results[0].steps else str,
    )
    header = [
        "size",
        "rows",
        "close s",
        *[f"{s} s" for s in steps],
        "rows/s",
        "peak MB",
        "floor s",
        "tb s",
        "ratio",
        "re-close s",
        "share",
        "cpu s",
        "cpu share",
    ]
    body: list[list[object]] = []
    for r in results:
        body.append(
            [
                r.name,
                r.rows,
                r.close_s,
                *[r.steps.get(s) for s in steps],
                r.rows_per_s,
                r.peak_rss_mb,
                r.floor_s,
                r.tb_s,
                r.ratio,
                r.incremental_s,
                r.incremental_share,
                r.close_cpu_s,
                r.incremental_cpu_share,
            ]
        )
        if r.incremental_steps:
            # The re-close's own steps, under the full close's.
            body.append(
                [
                    "  re-close",
                    None,
                    r.incremental_s,
                    *[r.incremental_steps.get(s) for s in steps],
                    *[None] * 5,
                    r.incremental_s,
                    r.incremental_share,
                    r.incremental_cpu_s,
                    r.incremental_cpu_share,
                ]
            )
    cells = [header, *[[cell(v) for v in row] for row in body]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m closekit.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--sizes",
        default=",".join(DEFAULT_SIZES),
        help=f"comma-separated: {', '.join(SIZES)} or a number of rows (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help="only a 50,000-row workspace")
    parser.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="ledger file format"
    )
    parser.add_argument(
        "--work", type=Path, default=Path("bench/work"), help="where workspaces are generated"
    )
    parser.add_argument("--results", type=Path, default=Path("bench/results.json"))
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds per close before giving up"
    )
    parser.add_argument(
        "--no-incremental", action="store_true", help="skip the incremental re-close"
    )
    parser.add_argument(
        "--reclose-runs",
        type=int,
        default=3,
        help="re-closes per size; the median is reported (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    names = ["quick"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:
        lines = SIZES[name] if name in SIZES else int(name.replace("_", ""))
        results.append(
            bench_size(
                name,
                lines,
                args.work.resolve(),
                args.format,
                args.timeout,
                0 if args.no_incremental else args.reclose_runs,
            )
        )
        say(table(results[-1:]))
    print(table(results))
    args.results.parent.mkdir(parents=True, exist_ok=True)
    machine = {
        "closekit": __version__,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "format": args.format,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    args.results.write_text(
        json.dumps({"machine": machine, "results": [asdict(r) for r in results]}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"Results: {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

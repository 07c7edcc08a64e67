"""``make bench`` (issue 12): the seeds' close with group events added.

Two synthetic workspaces of the same size and seed, two months each
(``closekit sample``): one plain, one with ``--events`` (in the second
month an acquisition with pre-acquisition reserves, a step-up from 60% to
80% and a sale of 70% keeping an associate). Each closes its first month
once; then the second month's close is timed ``--runs`` times per
workspace, alternating plain and events so both see the same machine load,
each run from a copy of the workspace as the first close left it (a full
close of the month, nothing reused). Reported: wall seconds, the child's CPU
seconds (user + system of all its threads, steadier than wall on a shared
machine), the per-step seconds of the median run, and the events' overhead
(events / plain - 1, on the medians). Results go to ``bench/events.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from closekit.bench import SIZES, ChildRun, run_closekit, say
from closekit.sample.synthetic import write_synthetic
from closekit.sample.synthetic_master import Size

KINDS = ("plain", "events")


@dataclass
class KindResult:
    """The second month's closes of one workspace."""

    kind: str
    rows: int = 0
    first_close_s: float = 0.0
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    exits: list[int] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)  # of the median run

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall_s)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_s)


def _prepare(work: Path, kind: str, lines: int, timeout: float) -> tuple[Path, KindResult]:
    """Generate the workspace, close its first month, and keep a copy of it
    as that close left it."""
    workspace = work / f"events-{kind}"
    for path in (workspace, work / f"events-{kind}.base"):
        shutil.rmtree(path, ignore_errors=True)
    size = Size(lines=lines, periods=2)
    sample = write_synthetic(workspace, size, "csv", events=kind == "events")
    first, second = size.period_list
    result = KindResult(kind, rows=sample.rows[second])
    say(f"{kind}: {sum(sample.rows.values()):,} rows generated; closing {first} ...")
    run = run_closekit(workspace, ["close", first, "--format", "json"], timeout)
    if run.exit_code not in (0, 1):
        raise SystemExit(f"{kind}: close {first} exited {run.exit_code}")
    result.first_close_s = run.seconds
    base = work / f"events-{kind}.base"
    shutil.copytree(workspace, base)
    return base, result


def _close_second(base: Path, period: str, timeout: float) -> ChildRun:
    workspace = base.with_suffix(".run")
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.copytree(base, workspace)
    return run_closekit(workspace, ["close", period, "--format", "json"], timeout)


def bench_events(work: Path, lines: int, runs: int, timeout: float) -> dict[str, KindResult]:
    work.mkdir(parents=True, exist_ok=True)
    prepared = {kind: _prepare(work, kind, lines, timeout) for kind in KINDS}
    period = Size(lines=lines, periods=2).period_list[1]
    medians: dict[str, list[ChildRun]] = {kind: [] for kind in KINDS}
    for n in range(runs):
        for kind in KINDS if n % 2 == 0 else reversed(KINDS):
            base, result = prepared[kind]
            say(f"{kind}: close {period}, run {n + 1} of {runs} ...")
            run = _close_second(base, period, timeout)
            result.wall_s.append(run.seconds)
            result.cpu_s.append(run.cpu_s)
            result.exits.append(run.exit_code)
            medians[kind].append(run)
    for kind, (_, result) in prepared.items():
        median = sorted(medians[kind], key=lambda r: r.seconds)[(runs - 1) // 2]
        steps = median.output.get("steps", {}) if isinstance(median.output, dict) else {}
        result.steps = {name: float(seconds) for name, seconds in steps.items()}
    return {kind: result for kind, (_, result) in prepared.items()}


def report(results: dict[str, KindResult]) -> str:
    plain, events = results["plain"], results["events"]
    steps = list(plain.steps)
    header = ["workspace", "rows", "wall s (median)", "CPU s (median)", *[f"{s} s" for s in steps]]
    rows = [
        [r.kind, f"{r.rows:,}", f"{r.wall_median:.2f}", f"{r.cpu_median:.2f}"]
        + [f"{r.steps.get(s, 0.0):.2f}" for s in steps]
        for r in (plain, events)
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in [header, *rows]
    ]
    wall = events.wall_median / plain.wall_median - 1
    cpu = events.cpu_median / plain.cpu_median - 1
    lines.append(
        f"events vs plain: wall {wall:+.1%}, CPU {cpu:+.1%} "
        f"(runs: plain {plain.wall_s} s, events {events.wall_s} s)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m closekit.bench_events", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--size", default="seeds", help=f"{', '.join(SIZES)} or a number of rows per month"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed closes per workspace")
    parser.add_argument("--work", type=Path, default=Path("bench/work"))
    parser.add_argument("--results", type=Path, default=Path("bench/events.json"))
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args(argv)
    lines = SIZES[args.size] if args.size in SIZES else int(args.size.replace("_", ""))
    start = time.perf_counter()
    results = bench_events(args.work, lines, max(1, args.runs), args.timeout)
    print(report(results))
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps(
            {
                "size": args.size,
                "lines": lines,
                "seconds": round(time.perf_counter() - start, 1),
                "results": {k: asdict(r) for k, r in results.items()},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

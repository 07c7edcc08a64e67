"""The journal benchmark: years of history, from files to every entity's trial balance.

``python -m closekit.bench_journal`` (part of ``make bench``) writes N
transactions over M months for a few entities (default 200,000 transactions,
about 490,000 postings, 24 months, 5 entities, all in the group currency)
twice, from the same generated rows:

- as a closekit workspace (:mod:`closekit.bench_journal_files`): master
  data and one file per module and month (``ledgers/YYYY-MM/sales.csv``,
  ``purchasing.csv``, ``expenses.csv``);
- as one plain-text journal (``journal.ledger``) that hledger and ledger
  read, one transaction per source row with the postings closekit's rules
  make of it (account ``ENTITY:ACCOUNT``).

It then measures whole processes, wall time, from the files to every
entity's trial balance at the last month:

- **closekit, CLI**: the commands a finance team types: ``load`` and ``post``
  (of the range ``FIRST..LAST`` when the CLI takes ranges, else month by
  month), then ``tb LAST --entity E --format csv`` for every entity;
- **closekit, one process**: the same through the library in one Python
  process (``LIBRARY_SCRIPT``), which shows what the CLI's process
  starts cost;
- **hledger** (``hledger -f journal.ledger balance``) and **ledger**
  (``ledger -f journal.ledger balance``) when installed (Debian packages
  ``hledger`` and ``ledger``); skipped otherwise;
- **floor**: bare DuckDB in one Python process reading the same CSV files
  and computing the same trial balances (the rules applied in one query,
  no validation, no lineage, nothing stored): the least any tool built on
  DuckDB pays.

Every closekit run starts from a workspace without a database. The trial
balances closekit prints are compared with the floor's, line by line: a run
whose figures differ is reported as wrong. hledger and ledger balance every
account since inception (no fiscal-year roll of the P&L into retained
earnings): the same reading and summing, another presentation.

It prints a table and writes ``bench/journal.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from closekit import __version__
from closekit.bench_journal_files import Generated, floor_command, generate
from closekit.periods import fiscal_year_start
from closekit.workspace import load_settings

# One process through the library: load every month and post every month (in
# one pass each where the library has it), then every entity's trial balance
# at the last one, printed as entity,account,amount.
LIBRARY_SCRIPT = """
import sys
from pathlib import Path
from closekit import db
from closekit.ledger import trial_balance
from closekit.workspace import load_settings
settings = load_settings(Path(sys.argv[1]))
periods, entities = sys.argv[2].split(","), sys.argv[3].split(",")
con = db.connect(settings)
try:
    from closekit.load import load_periods
    load_periods(settings, con, periods)
except ImportError:  # a closekit before the one-pass load, measured beside
    from closekit.load import load_period
    for period in periods:
        load_period(settings, con, period)
try:
    from closekit.post import post_periods
    post_periods(settings, con, periods)
except ImportError:  # a closekit before the one-pass post, measured beside
    from closekit.post import post_period
    for period in periods:
        post_period(settings, con, period)
for entity in entities:
    for line in trial_balance(con, settings, periods[-1], entity):
        print(f"{entity},{line.account},{line.amount:.2f}")
con.close()
"""

Lines = list[str]  # sorted entity,account,amount lines of every trial balance


@dataclass
class Measure:
    """One tool's runs: wall seconds of each whole run, the CPU seconds (user
    + system) its processes used in it, the machine's load average when it
    started, and whether its figures equal the floor's in every run (None
    when not compared). On a shared machine the CPU is the steadier figure."""

    tool: str
    runs: list[float] = field(default_factory=list)
    same_figures: bool | None = None
    note: str = ""
    cpu: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return round(statistics.median(self.runs), 2) if self.runs else None

    @property
    def cpu_median(self) -> float | None:
        return round(statistics.median(self.cpu), 2) if self.cpu else None


def _children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def takes_ranges() -> bool:
    """Whether this closekit's ``load`` takes ``FIRST..LAST``."""
    done = subprocess.run(
        [sys.executable, "-m", "closekit", "load", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "FIRST..LAST" in done.stdout or "PERIOD..PERIOD" in done.stdout


def cli_commands(gen: Generated, ranges: bool) -> list[tuple[str | None, list[str]]]:
    """The commands from files to trial balances, each with the entity whose
    trial balance it prints (None for load and post)."""
    base = [sys.executable, "-m", "closekit", "-w", str(gen.root)]
    first, last = gen.periods[0], gen.periods[-1]
    steps: list[tuple[str | None, list[str]]] = []
    for period in [f"{first}..{last}"] if ranges else gen.periods:
        steps += [(None, [*base, "load", period]), (None, [*base, "post", period])]
    if ranges:  # load every month, then post every month
        steps = [steps[0], steps[1]]
    steps += [(e, [*base, "tb", last, "--entity", e, "--format", "csv"]) for e in gen.entities]
    return steps


def _fresh(gen: Generated) -> None:
    """Remove closekit's state: every run starts from the files alone."""
    database = load_settings(gen.root).database
    for path in database.parent.glob(database.name + "*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def _process(command: list[str]) -> tuple[float, Lines]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{command[:6]} exited {done.returncode}: {done.stderr[-2000:]}")
    return seconds, sorted(done.stdout.splitlines())


def run_cli(gen: Generated, ranges: bool) -> tuple[float, Lines]:
    """closekit's commands one after the other, from a workspace without a
    database; ``tb --format csv`` rows (account,name,type,amount) as
    entity,account,amount."""
    _fresh(gen)
    lines: Lines = []
    seconds = 0.0
    for entity, command in cli_commands(gen, ranges):
        spent, output = _process(command)
        seconds += spent
        if entity is not None:
            rows = [row.split(",") for row in output if not row.startswith("account,")]
            lines += [f"{entity},{row[0]},{row[-1]}" for row in rows]
    return seconds, sorted(lines)


def run_library(gen: Generated) -> tuple[float, Lines]:
    _fresh(gen)
    return _process(
        [
            sys.executable,
            "-c",
            LIBRARY_SCRIPT,
            str(gen.root),
            ",".join(gen.periods),
            ",".join(gen.entities),
        ]
    )


def _balance(binary: str, journal: Path) -> Callable[[], tuple[float, Lines]]:
    """hledger's or ledger's ``balance`` of every account."""
    return lambda: _process([binary, "-f", str(journal), "balance"])


def measure(gen: Generated, runs: int, say: Callable[[str], None]) -> list[Measure]:
    """Every tool ``runs`` times, the tools interleaved so that a busy moment
    on the machine does not fall on one of them alone."""
    ranges = takes_ranges()
    last = gen.periods[-1]
    year_start = fiscal_year_start(last, load_settings(gen.root).fiscal_year_start)
    floor = Measure("floor: DuckDB, one process")
    cli = Measure(f"closekit CLI ({'ranges' if ranges else 'month by month'}, then tb)")
    library = Measure("closekit library, one process")
    tools: list[tuple[Measure, Callable[[], tuple[float, Lines]]]] = [
        (floor, lambda: _process(floor_command(sys.executable, gen.root, last, year_start))),
        (cli, lambda: run_cli(gen, ranges)),
        (library, lambda: run_library(gen)),
    ]
    others: list[Measure] = []
    for binary in ("hledger", "ledger"):
        other = Measure(binary)
        others.append(other)
        path = shutil.which(binary)
        if path is None:
            other.note = "not installed: skipped"
            continue
        tools.append((other, _balance(path, gen.journal)))
    expected: Lines = []
    for n in range(runs):
        for tool, run in tools:
            tool.load.append(round(os.getloadavg()[0], 2))
            cpu = _children_cpu()
            seconds, lines = run()
            tool.cpu.append(round(_children_cpu() - cpu, 3))
            tool.runs.append(round(seconds, 3))
            if tool is floor:
                expected = lines
            elif tool in (cli, library):
                tool.same_figures = lines == expected and tool.same_figures is not False
            say(
                f"run {n + 1}/{runs}: {tool.tool}: {seconds:.2f} s, cpu {tool.cpu[-1]:.2f} s"
                f" (load average {tool.load[-1]:.1f})"
            )
    return [cli, library, *others, floor]


def table(measures: list[Measure], gen: Generated) -> str:
    floor = measures[-1].median
    rows = [("tool", "median s", "cpu s", "x floor", "figures", "runs s")]
    for m in measures:
        ratio = f"{m.median / floor:.1f}" if m.median and floor else "-"
        same = {None: "", True: "= floor", False: "DIFFER"}[m.same_figures]
        runs = " ".join(f"{r:.2f}" for r in m.runs) or m.note
        median = f"{m.median:.2f}" if m.median else "-"
        cpu = f"{m.cpu_median:.2f}" if m.cpu_median else "-"
        rows.append((m.tool, median, cpu, ratio, same, runs))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    title = (
        f"{gen.transactions:,} transactions, {gen.postings:,} postings, "
        f"{len(gen.periods)} months ({gen.periods[0]}..{gen.periods[-1]}), "
        f"{len(gen.entities)} entities, {gen.files} files"
    )
    return "\n".join([title, lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m closekit.bench_journal", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--transactions", type=int, default=200_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--entities", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (median shown)")
    parser.add_argument("--work", type=Path, default=Path("bench/work/journal"))
    parser.add_argument("--results", type=Path, default=Path("bench/journal.json"))
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    start = time.perf_counter()
    gen = generate(args.work.resolve(), args.transactions, args.months, args.entities)
    say(f"generated in {time.perf_counter() - start:.1f} s: {gen.postings:,} postings")
    measures = measure(gen, args.runs, say)
    print(table(measures, gen))
    args.results.parent.mkdir(parents=True, exist_ok=True)
    results = {
        "machine": {
            "closekit": __version__,
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "platform": platform.platform(),
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        "workload": {
            "transactions": gen.transactions,
            "postings": gen.postings,
            "months": len(gen.periods),
            "entities": len(gen.entities),
            "files": gen.files,
        },
        "results": [
            {**asdict(m), "median": m.median, "cpu_median": m.cpu_median} for m in measures
        ],
    }
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Results: {args.results}")
    return 0 if all(m.same_figures is not False for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())

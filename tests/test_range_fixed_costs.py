"""Per-month fixed costs (issue 17 item 3): loading and posting a range of
months issue as many SQL statements for six months as for two. Each month's
bookkeeping (locks, fingerprints, load input, audit line, status, top-side
rows, file entities) is one statement for all the months of a pass, and
the range is one transaction; only the rows grow with the months.

The workload is the journal benchmark's (closekit.bench_journal_files):
every entity in the group currency, so the post revalues nothing (a month
revalues what the months before it left, which is per month by nature)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from closekit import db
from closekit.bench_journal_files import generate
from closekit.load import load_periods
from closekit.post import post_periods
from closekit.workspace import load_settings


class Counting:
    """A connection that counts the statements run through it."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.statements: Counter[str] = Counter()

    def execute(self, sql: str, *args: Any) -> Any:
        self.statements[" ".join(sql.split())[:60]] += 1
        return self.con.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        self.statements[" ".join(sql.split())[:60]] += 1
        return self.con.executemany(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)


def _statements(root: Path, months: int) -> tuple[Counter[str], Counter[str]]:
    """The statements of loading, then of posting, ``months`` months in one pass."""
    gen = generate(root, 60 * months, months, 2)
    settings = load_settings(gen.root)
    counting = Counting(db.connect(settings))
    try:
        load_periods(settings, counting, list(gen.periods))  # type: ignore[arg-type]
        loaded, counting.statements = counting.statements, Counter()
        post_periods(settings, counting, list(gen.periods))  # type: ignore[arg-type]
        return loaded, counting.statements
    finally:
        counting.con.close()


def test_a_range_costs_the_same_statements_for_six_months_as_for_two(
    tmp_path: Path,
) -> None:
    two_loaded, two_posted = _statements(tmp_path / "two", 2)
    six_loaded, six_posted = _statements(tmp_path / "six", 6)
    assert six_loaded == two_loaded
    assert six_posted == two_posted
    # the pass did write every month: one INSERT of the accepted rows, one of
    # the journal lines
    assert six_loaded[next(k for k in six_loaded if k.startswith("INSERT INTO source_row"))] == 1
    assert sum(n for k, n in six_posted.items() if k.startswith("INSERT INTO journal ")) == 1


def test_each_month_of_a_pass_gets_its_status_and_audit_line(tmp_path: Path) -> None:
    """The batched bookkeeping still writes one status and one audit line
    per month, in the months' order."""
    gen = generate(tmp_path / "ws", 180, 3, 2)
    settings = load_settings(gen.root)
    con = db.connect(settings)
    try:
        load_periods(settings, con, list(gen.periods))
        post_periods(settings, con, list(gen.periods))
        rows = con.execute(
            "SELECT period, loaded_at IS NOT NULL, posted_at IS NOT NULL FROM period_status "
            "ORDER BY period"
        ).fetchall()
        assert rows == [(p, True, True) for p in gen.periods]
        audit = con.execute(
            "SELECT period, detail FROM audit_log WHERE action = 'load' ORDER BY rowid"
        ).fetchall()
        assert [p for p, _ in audit] == list(gen.periods)
        assert all(detail.endswith("0 row(s) rejected") for _, detail in audit)
    finally:
        con.close()

"""consolidate_period's preconditions and its rebuild of the period's rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_consolidate_helpers import Group

from closekit import status
from closekit.errors import PeriodError


def _two_months(tmp_path: Path) -> Group:
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P", pct="60")
    for period, closing, average in (("2026-01", "7.1", "7.0"), ("2026-02", "7.3", "7.2")):
        g.rate(period, "USD", closing, average)
        g.line(period, "S", "1000", "10").line(period, "S", "4000", "-10")
    return g


def test_refuses_an_unposted_earlier_period(tmp_path: Path) -> None:
    g = _two_months(tmp_path).post("2026-02")
    (g.settings.ledgers_dir / "2026-01").mkdir()
    with pytest.raises(PeriodError, match="earlier period 2026-01 is not posted"):
        g.consolidate("2026-02")


def test_refuses_a_locked_or_stale_period(tmp_path: Path) -> None:
    g = _two_months(tmp_path).post("2026-01", "2026-02")
    g.con.execute("UPDATE period_status SET locked_at = now() WHERE period = '2026-02'")
    with pytest.raises(PeriodError, match="locked"):
        g.consolidate("2026-02")
    g.con.execute("UPDATE period_status SET locked_at = NULL")
    status.mark_later_stale(g.con, "2026-01")
    with pytest.raises(PeriodError, match="stale"):
        g.consolidate("2026-02")


def test_consolidating_again_rebuilds_the_same_rows(tmp_path: Path) -> None:
    g = _two_months(tmp_path).post("2026-01", "2026-02")
    g.consolidate("2026-01")
    g.consolidate("2026-02")

    def rows() -> list[tuple[object, ...]]:
        return [
            *g.con.execute("SELECT * FROM translated_balance ORDER BY ALL").fetchall(),
            *g.con.execute("SELECT * FROM node_member ORDER BY ALL").fetchall(),
            *g.con.execute("SELECT * FROM consolidation_entry ORDER BY ALL").fetchall(),
        ]

    before = rows()
    g.consolidate("2026-01")
    assert rows() == before
    # and January's rows are January's only: February's are untouched
    assert {r[0] for r in before} == {"2026-01", "2026-02"}

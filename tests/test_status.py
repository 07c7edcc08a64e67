"""Period steps, staleness, locks and the busy workspace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from closekit import db, status
from closekit.errors import PeriodError, WorkspaceBusy
from closekit.workspace import load_settings
from tests.inline import write_workspace


@pytest.fixture
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = write_workspace(tmp_path, {"ledgers/2026-10/.keep": "", "ledgers/2026-11/.keep": ""})
    return load_settings(root)


def test_steps_must_run_in_order_and_reposting_makes_later_periods_stale(settings) -> None:  # type: ignore[no-untyped-def]
    con = db.connect(settings)
    with pytest.raises(PeriodError, match="not loaded yet; run `closekit load 2026-10` first"):
        status.require_step(con, "2026-10", "posted")
    status.mark(con, "2026-10", "loaded")
    with pytest.raises(PeriodError, match="not posted yet; run `closekit post 2026-10` first"):
        status.require_step(con, "2026-10", "posted")
    with pytest.raises(PeriodError, match="earlier period 2026-10 is not posted"):
        status.require_earlier_posted(settings, con, "2026-11")

    for period in ("2026-10", "2026-11"):
        status.mark(con, period, "loaded")
        status.mark(con, period, "posted")
    status.require_earlier_posted(settings, con, "2026-11")

    status.mark(con, "2026-10", "posted")
    status.mark_later_stale(con, "2026-10")
    with pytest.raises(
        PeriodError, match=r"2026-11 is stale \(2026-10 was re-posted with different balances\)"
    ):
        status.require_step(con, "2026-11", "posted")
    status.mark(con, "2026-11", "posted")
    status.require_step(con, "2026-11", "posted")


def test_a_step_clears_the_steps_after_it(settings) -> None:  # type: ignore[no-untyped-def]
    con = db.connect(settings)
    for step in status.STEPS:
        status.mark(con, "2026-10", step)
    status.mark(con, "2026-10", "posted")
    status.require_step(con, "2026-10", "posted")
    with pytest.raises(PeriodError, match="not consolidated yet"):
        status.require_step(con, "2026-10", "consolidated")


def test_migrations_are_applied_once(settings) -> None:  # type: ignore[no-untyped-def]
    db.connect(settings).close()
    con = db.connect(settings)
    names = [
        r[0] for r in con.execute("SELECT name FROM schema_migration ORDER BY name").fetchall()
    ]
    assert names == [name for name, _sql in db.migrations()]


def test_a_second_process_is_told_the_workspace_is_busy(settings) -> None:  # type: ignore[no-untyped-def]
    con = db.connect(settings)
    code = (
        "import sys; from closekit import db; from closekit.workspace import load_settings\n"
        "from closekit.errors import WorkspaceBusy\n"
        f"s = load_settings(__import__('pathlib').Path({str(settings.root)!r}))\n"
        "try:\n    db.connect(s)\nexcept WorkspaceBusy as e:\n    print(e); sys.exit(3)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    con.close()
    assert run.returncode == 3, run.stderr
    assert run.stdout.startswith("workspace is busy")
    assert WorkspaceBusy.__mro__[1].__name__ == "ClosekitError"


def test_the_checks_of_several_periods_refuse_as_the_checks_of_each_in_turn(settings) -> None:  # type: ignore[no-untyped-def]
    """require_unlocked_periods and require_steps read period_status once for
    a range; their first refusal is the one the one-period checks, called
    period after period, meet first."""
    con = db.connect(settings)
    periods = ["2026-10", "2026-11"]

    def first_refusal(check) -> str:  # type: ignore[no-untyped-def]
        with pytest.raises(PeriodError) as raised:
            check()
        return str(raised.value)

    def in_turn(one) -> None:  # type: ignore[no-untyped-def]
        for period in periods:
            one(period)

    # 2026-10 loaded, 2026-11 not: the step of 2026-11 is the first refusal
    status.mark(con, "2026-10", "loaded")
    together = first_refusal(lambda: status.require_steps(con, periods, "loaded"))
    assert together == first_refusal(
        lambda: in_turn(lambda p: status.require_step(con, p, "loaded"))
    )
    assert together == "period 2026-11 is not loaded yet; run `closekit load 2026-11` first"
    status.mark(con, "2026-11", "loaded")
    status.require_steps(con, periods, "loaded")

    # 2026-11 locked: 2026-10 comes before it, and is refused first
    con.execute("UPDATE period_status SET locked_at = now() WHERE period = '2026-11'")
    together = first_refusal(lambda: status.require_unlocked_periods(con, periods))
    assert together == first_refusal(lambda: in_turn(lambda p: status.require_unlocked(con, p)))
    assert together.startswith("period 2026-10 comes before locked period 2026-11")
    # without the later periods' locks, the locked period itself
    assert first_refusal(lambda: status.require_unlocked_periods(con, periods, later=False)) == (
        "period 2026-11 is locked; `closekit reopen 2026-11 --reason ...` first"
    )
    status.require_unlocked_periods(con, ["2026-10"], later=False)

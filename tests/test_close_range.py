"""A range closed in one run (``close FIRST..LAST``: its load in one pass,
pipeline.load_ahead) ends exactly where closing period after period ends:
every entity's trial balance and every byte of every out/PERIOD. A range
stops at the first refusal, naming the period, the periods before it closed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from closekit import db
from closekit.ledger import trial_balance
from closekit.load import lock_period
from closekit.periods import period_folders
from closekit.pipeline import StoppedAt, close_period, close_range
from closekit.report.manifest import output_files
from closekit.sample.synthetic import write_synthetic
from closekit.sample.synthetic_master import Size
from closekit.workspace import Settings, load_settings

SMALL = Size(entities=4, business_units=2, profit_centers=4, cost_centers=8, lines=1000, periods=3)


def _pack(folder: Path) -> dict[str, str]:
    names = [*output_files(folder), "manifest.json"]
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def _state(settings: Settings, periods: list[str]) -> dict[str, object]:
    """Every entity's TB at every period, and every period's pack."""
    con = db.connect(settings)
    try:
        entities = [e for (e,) in con.execute("SELECT entity FROM entity ORDER BY 1").fetchall()]
        tbs = {
            (p, e): [(line.account, line.amount) for line in trial_balance(con, settings, p, e)]
            for p in periods
            for e in entities
        }
    finally:
        con.close()
    return {"tb": tbs, "packs": {p: _pack(settings.root / "out" / p) for p in periods}}


@pytest.fixture(scope="module")
def two_workspaces(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Settings]:
    base = tmp_path_factory.mktemp("range")
    one = write_synthetic(base / "range", SMALL, "csv").root
    shutil.copytree(one, base / "each")
    return load_settings(one), load_settings(base / "each")


def test_a_range_close_equals_period_by_period_closes(
    two_workspaces: tuple[Settings, Settings],
) -> None:
    in_range, each = two_workspaces
    periods = period_folders(in_range.ledgers_dir)
    assert len(periods) == 3
    results = close_range(in_range, periods, reports="all")
    assert [r.period for r in results] == periods
    # the load ran ahead, for every period at once: no period timed its own
    assert all("load" not in r.seconds for r in results)
    for period in periods:
        close_period(each, period)
    assert _state(in_range, periods) == _state(each, periods)


def test_a_range_stops_at_the_first_refusal_naming_the_period(tmp_path: Path) -> None:
    """The second month locked: the one-pass load refuses, the range loads
    month by month and stops at the first month, which comes before the
    locked one (SPEC 20: its closing balances are the lock's opening ones);
    nothing is loaded."""
    settings = load_settings(write_synthetic(tmp_path / "ws", SMALL, "csv").root)
    first, second, third = period_folders(settings.ledgers_dir)
    con = db.connect(settings)
    try:
        lock_period(settings, con, second)
    finally:
        con.close()
    with pytest.raises(StoppedAt) as stopped:
        close_range(settings, [first, second, third], reports="none")
    assert stopped.value.period == first
    assert str(stopped.value) == (
        f"close stopped at {first}: period {first} comes before locked period {second},"
        f" whose opening balances it gives; reopen {second} first"
        f" (`closekit reopen {second} --reason ...`)"
    )
    assert stopped.value.done == ()
    con = db.connect(settings)
    try:
        loaded = con.execute("SELECT DISTINCT period FROM source_row ORDER BY 1").fetchall()
    finally:
        con.close()
    assert loaded == []

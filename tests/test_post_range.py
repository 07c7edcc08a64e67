"""Posting a range in one pass (``post FIRST..LAST``, closekit.post.post_periods)
ends exactly where posting its periods one after the other ends: every
journal line, period total, posted-entity fingerprint, report and
staleness; month-end revaluation month after month. A range refuses before
writing anything, and the pipeline then posts month by month up to the
period that refuses, naming it.

The workspace is the synthetic group of three months (2026-10..12) with
entities in CNY, HKD and USD, so every month revalues foreign balances.
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from closekit import db, pipeline
from closekit.load import load_periods
from closekit.periods import period_folders
from closekit.post import MissingRate, PostReport, post_period, post_periods
from closekit.sample.synthetic import write_synthetic
from closekit.sample.synthetic_master import Size
from closekit.workspace import Settings, load_settings

SMALL = Size(entities=4, business_units=2, profit_centers=4, cost_centers=8, lines=1000, periods=3)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic workspace with its three months loaded, not posted."""
    settings = load_settings(
        write_synthetic(tmp_path_factory.mktemp("range") / "ws", SMALL, "csv").root
    )
    con = db.connect(settings)
    try:
        load_periods(settings, con, period_folders(settings.ledgers_dir))
    finally:
        con.close()
    return settings.root


def _copy(loaded: Path, to: Path) -> tuple[Settings, Any]:
    settings = load_settings(Path(shutil.copytree(loaded, to)))
    return settings, db.connect(settings)


def _state(con: Any) -> dict[str, object]:
    """What posting writes, basis aside (it holds posting times)."""
    return {
        "journal": con.execute("SELECT * FROM journal ORDER BY ALL").fetchall(),
        "totals": con.execute("SELECT * FROM journal_total ORDER BY ALL").fetchall(),
        "posted_entity": con.execute(
            "SELECT period, entity, source, lines FROM posted_entity ORDER BY ALL"
        ).fetchall(),
        "status": con.execute(
            "SELECT period, posted_at IS NOT NULL, stale_reason FROM period_status ORDER BY 1"
        ).fetchall(),
    }


def _one_by_one(settings: Settings, con: Any, periods: list[str]) -> list[PostReport]:
    return [post_period(settings, con, p) for p in periods]


def _raise_first_amount(settings: Settings, period: str, file: str, by: str) -> None:
    """A late file: the first row's net amount of ledgers/PERIOD/FILE raised."""
    path = settings.ledgers_dir / period / file
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0]["net_amount"] = str(Decimal(rows[0]["net_amount"]) + Decimal(by))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_range_post_equals_posting_period_by_period(loaded: Path, tmp_path: Path) -> None:
    in_range, range_con = _copy(loaded, tmp_path / "range")
    each, each_con = _copy(loaded, tmp_path / "each")
    periods = period_folders(in_range.ledgers_dir)
    try:
        reports = post_periods(in_range, range_con, periods)
        assert reports == _one_by_one(each, each_con, periods)
        assert [r.period for r in reports] == periods
        # every month revalued foreign balances (the month-after-month path ran)
        assert all(r.revaluation_lines > 0 for r in reports)
        assert all(t.total == 0 for r in reports for t in r.totals)
        assert _state(range_con) == _state(each_con)
        # posted again without a change, each period of the range rebuilds
        # nothing: the range recorded the basis each period was posted on
        # (last first: a re-post changes the later periods' basis)
        for period in reversed(periods):
            assert post_period(in_range, range_con, period).posted == ()
    finally:
        range_con.close()
        each_con.close()


def test_a_late_file_reposts_its_entity_in_the_first_month_and_later_months_whole(
    loaded: Path, tmp_path: Path
) -> None:
    """Both workspaces posted, then 2026-10's E003 sales raised by 100.00 and
    loaded again. Re-posting 2026-10..11 rebuilds E003 in October and every
    entity in November (its basis holds October's posting time), leaving
    December stale, named after the last month whose balances changed; the
    same as re-posting October, then November."""
    in_range, range_con = _copy(loaded, tmp_path / "range")
    each, each_con = _copy(loaded, tmp_path / "each")
    periods = period_folders(in_range.ledgers_dir)
    oct_, nov, dec = periods
    try:
        for settings, con in ((in_range, range_con), (each, each_con)):
            post_periods(settings, con, periods)
            _raise_first_amount(settings, oct_, "sales-E003.csv", "100.00")
            load_periods(settings, con, [oct_])
        reports = post_periods(in_range, range_con, [oct_, nov])
        assert [r.posted for r in reports] == [("E003",), ("E000", "E001", "E002", "E003")]
        assert reports == _one_by_one(each, each_con, [oct_, nov])
        assert _state(range_con) == _state(each_con)
        stale = range_con.execute(
            "SELECT stale_reason FROM period_status WHERE period = ?", [dec]
        ).fetchone()
        assert stale == (f"{nov} was re-posted with different balances",)
    finally:
        range_con.close()
        each_con.close()


def test_a_range_refuses_before_writing_and_the_pipeline_stops_at_the_period(
    loaded: Path, tmp_path: Path
) -> None:
    """November's average rates gone from fx_cross since the load (a rate
    table changed): post_periods refuses the range, naming November, with
    nothing written; the pipeline's range (post_ahead, then month by month)
    posts October and stops at November, naming it."""
    settings, con = _copy(loaded, tmp_path / "ws")
    oct_, nov, dec = period_folders(settings.ledgers_dir)
    try:
        con.execute("DELETE FROM fx_cross WHERE period = ? AND kind = 'average'", [nov])
        with pytest.raises(MissingRate, match=f"^no average rate to convert .* in {nov}; "):
            post_periods(settings, con, [oct_, nov, dec])
        assert con.execute("SELECT count(*) FROM journal").fetchone() == (0,)
    finally:
        con.close()
    with pytest.raises(pipeline.StoppedAt) as stopped:
        pipeline.run_range(
            settings, [oct_, nov, dec], "post", pipeline.post, ahead=pipeline.post_ahead
        )
    assert str(stopped.value).startswith(f"post stopped at {nov}: no average rate to convert ")
    assert [r.period for r in stopped.value.done] == [oct_]


def test_periods_with_a_folder_left_out_are_no_range(loaded: Path, tmp_path: Path) -> None:
    settings, con = _copy(loaded, tmp_path / "ws")
    oct_, _, dec = period_folders(settings.ledgers_dir)
    try:
        with pytest.raises(ValueError, match="not consecutive periods with folders"):
            post_periods(settings, con, [oct_, dec])
    finally:
        con.close()


def test_posting_a_range_imports_neither_the_duckdb_package_nor_pyarrow(
    loaded: Path, tmp_path: Path
) -> None:
    """``closekit post FIRST..LAST`` reads and writes through SQL alone: it
    imports DuckDB's engine, not the ``duckdb`` package (0.1 s of imports it
    needs only to scan Arrow tables, which a load does) nor pyarrow."""
    from tests.test_cli_imports import _heavy, _imported

    root = Path(shutil.copytree(loaded, tmp_path / "ws"))
    periods = period_folders(load_settings(root).ledgers_dir)
    modules = _imported(["-w", str(root), "post", f"{periods[0]}..{periods[-1]}"])
    assert "closekit.post.periods" in modules and "_duckdb" in modules
    assert _heavy(modules, ("duckdb", "pyarrow")) == []
    settings = load_settings(root)
    con = db.connect(settings, read_only=True)
    try:  # the post did run
        posted = con.execute("SELECT count(*) FROM period_status WHERE posted_at IS NOT NULL")
        assert posted.fetchone() == (len(periods),)
    finally:
        con.close()

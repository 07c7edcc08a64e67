"""``closekit sample --events`` (issue 12): the synthetic group's second month
holds an acquisition with pre-acquisition reserves, a step-up and a sale
keeping an associate, and consolidation measures each of them; the events'
benchmark compares the month's close with and without them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from closekit import db
from closekit.bench_events import KindResult, bench_events, report
from closekit.checks import CheckContext, run_checks
from closekit.checks.base import CheckResult
from closekit.cli import main
from closekit.consolidation import consolidate_period
from closekit.load import load_period
from closekit.manage import manage_period
from closekit.post import post_period
from closekit.sample import chart
from closekit.sample.synthetic import SampleResult, write_synthetic
from closekit.sample.synthetic_events import choose_events
from closekit.sample.synthetic_master import Size, build_master
from closekit.workspace import load_settings

SIZE = Size(entities=12, business_units=2, profit_centers=4, cost_centers=24, lines=1000)


@pytest.fixture(scope="module")
def closed(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[SampleResult, duckdb.DuckDBPyConnection]:
    """The workspace with events, loaded, posted, consolidated and managed."""
    sample = write_synthetic(tmp_path_factory.mktemp("events") / "ws", SIZE, events=True)
    settings = load_settings(sample.root)
    con = db.connect(settings)
    for period in SIZE.period_list:
        loaded = load_period(settings, con, period)
        assert loaded.clean, [f.errors[:3] for f in loaded.files if f.rejected]
        post_period(settings, con, period)
        consolidate_period(settings, con, period)
        manage_period(settings, con, period)
    return sample, con


def test_the_events_are_the_chosen_companies_in_the_second_month(
    closed: tuple[SampleResult, duckdb.DuckDBPyConnection],
) -> None:
    """E011 (the last company, held by E001) is outside the group in October
    and 70% held from November; E004 (60%) goes to 80%; E008 (100%, held by
    the top entity) is 30% equity-accounted from November."""
    sample, con = closed
    events = choose_events(build_master(SIZE), SIZE)
    assert (events.acquired.entity, events.stepped_up.entity, events.sold.entity) == (
        "E011",
        "E004",
        "E008",
    )
    assert (sample.root / "master" / "ownership.csv").read_text(encoding="utf-8").splitlines()[
        1:
    ] == [
        "E011,2026-10,,0,none,",
        f"E011,2026-11,{events.acquired.parent},70,full,",
        f"E004,2026-11,{events.stepped_up.parent},80,full,",
        f"E008,2026-11,E000,30,equity,{con.execute(KEPT_FAIR_VALUE).fetchone()[0]}",  # type: ignore[index]
    ]
    measured = con.execute(
        "SELECT period, kind, entity, ownership_before, ownership_after FROM consolidation_event "
        "WHERE kind <> 'first_period' ORDER BY entity"
    ).fetchall()
    assert measured == [
        ("2026-11", "ownership_change", "E004", Decimal("0.6"), Decimal("0.8")),
        ("2026-11", "loss_of_control", "E008", Decimal("1"), Decimal("0.3")),
        ("2026-11", "acquisition", "E011", Decimal("0"), Decimal("0.7")),
    ]


KEPT_FAIR_VALUE = "SELECT fair_value FROM ownership WHERE entity = 'E008'"


def test_the_acquisition_has_goodwill_and_pre_acquisition_reserves(
    closed: tuple[SampleResult, duckdb.DuckDBPyConnection],
) -> None:
    """The price is 1.25 x 70% of the company's opening net assets, so there
    is goodwill, not a bargain; its net assets at acquisition include its
    retained earnings and October's result, which consolidation eliminates."""
    _, con = closed
    goodwill, net_assets, paid = con.execute(
        "SELECT goodwill_fc, net_assets, consideration FROM consolidation_event "
        "WHERE kind = 'acquisition'"
    ).fetchone()  # type: ignore[misc]
    assert goodwill > 0 and paid > Decimal("0.7") * net_assets
    keys = {
        account
        for (account,) in con.execute(
            "SELECT DISTINCT account FROM acquisition_key WHERE entity = 'E011'"
        ).fetchall()
    }
    assert {chart.SHARE_CAPITAL, chart.RETAINED_EARNINGS, chart.REVENUE_GOODS} <= keys


def test_the_sale_replaces_the_holders_gain_and_keeps_an_associate(
    closed: tuple[SampleResult, duckdb.DuckDBPyConnection],
) -> None:
    """E000's own gain on E008 (its journal: proceeds less 70% of the cost,
    on the disposal_gain account) is reversed at the group and the group's
    gain of the loss of control booked on the same account; the kept 30% is
    equity accounted from November."""
    _, con = closed
    own = con.execute(
        "SELECT -sum(amount) FROM journal WHERE period = '2026-11' AND entity = 'E000' "
        "AND account = ? AND partner = 'E008'",
        [chart.DISPOSAL_GAIN],
    ).fetchone()[0]  # type: ignore[index]
    entries = con.execute(
        "SELECT sum(amount_group) FROM consolidation_entry WHERE period = '2026-11' "
        "AND node = 'E000' AND step = 'disposal' AND account = ? AND partner = 'E008'",
        [chart.DISPOSAL_GAIN],
    ).fetchone()[0]  # type: ignore[index]
    gain = con.execute(
        "SELECT gain FROM consolidation_event WHERE kind = 'loss_of_control'"
    ).fetchone()[0]  # type: ignore[index]
    assert own > 0 and gain != 0
    assert entries == own - gain  # Dr the holder's gain, Cr the group's
    pickup = con.execute(
        "SELECT count(*) FROM consolidation_entry WHERE period = '2026-11' AND node = 'E000' "
        "AND step = 'equity_method' AND partner = 'E008'"
    ).fetchone()[0]  # type: ignore[index]
    assert pickup > 0


def checks(closed: tuple[SampleResult, duckdb.DuckDBPyConnection]) -> dict[str, CheckResult]:
    sample, con = closed
    results = run_checks(CheckContext(load_settings(sample.root), con, "2026-11"))
    return {r.check: r for r in results}


def test_the_month_with_events_passes_its_checks(
    closed: tuple[SampleResult, duckdb.DuckDBPyConnection],
) -> None:
    results = checks(closed)
    assert results["structure"].status == "pass", results["structure"].detail
    assert [(r.check, r.detail) for r in results.values() if r.status == "fail"] == []


def test_events_need_two_months_and_twelve_entities(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["sample", str(tmp_path / "ws"), "--periods", "1", "--lines", "1000", "--events"]
    )
    assert result.exit_code == 2
    assert "--events needs at least 2 --periods and 12 --entities" in result.output
    assert not (tmp_path / "ws").exists()


def test_report_gives_the_events_overhead_on_the_medians() -> None:
    """Medians: plain 10 s wall, 20 s CPU; events 11 s, 21 s: +10.0%, +5.0%."""
    plain = KindResult("plain", 1000, 5.0, [9.0, 10.0, 12.0], [19.0, 20.0, 30.0], [0, 0, 0])
    plain.steps = {"load": 1.0, "reports": 5.0}
    events = KindResult("events", 1006, 5.5, [11.0, 13.0, 10.5], [21.0, 22.0, 20.0], [0, 0, 0])
    events.steps = {"load": 1.5, "reports": 5.0}
    text = report({"plain": plain, "events": events})
    assert text.splitlines()[0].split()[:2] == ["workspace", "rows"]
    assert "events vs plain: wall +10.0%, CPU +5.0%" in text


@pytest.mark.slow
def test_bench_events_closes_both_workspaces_alternately(tmp_path: Path) -> None:
    results = bench_events(tmp_path, 2_000, runs=2, timeout=600)
    for kind in ("plain", "events"):
        r = results[kind]
        assert r.exits == [0, 0] or r.exits == [1, 1], (kind, r.exits)
        assert len(r.wall_s) == len(r.cpu_s) == 2 and r.steps["reports"] > 0

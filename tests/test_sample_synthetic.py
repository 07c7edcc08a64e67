"""``closekit sample``: deterministic, sized as asked, intercompany on both
sides, and a small one closes clean (no rejects, every check passes)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from closekit import db
from closekit.checks import CheckContext, run_checks
from closekit.cli import main
from closekit.consolidation import consolidate_period
from closekit.load import load_period
from closekit.manage import manage_period
from closekit.post import post_period
from closekit.sample.synthetic import Format, SampleResult, write_synthetic
from closekit.sample.synthetic_master import Size, build_master
from closekit.workspace import load_settings

SMALL = Size(
    entities=8, business_units=4, profit_centers=12, cost_centers=24, lines=3000, periods=2
)


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> SampleResult:
    return write_synthetic(tmp_path_factory.mktemp("small") / "ws", SMALL)


def ledger(root: Path, **views: str) -> duckdb.DuckDBPyConnection:
    """A connection with one view per glob of ledger CSV files, all text."""
    con = duckdb.connect()
    for name, pattern in views.items():
        glob = (root / "ledgers" / pattern).as_posix()
        options = "all_varchar=true, union_by_name=true"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv('{glob}', {options})")
    return con


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, fmt: Format) -> None:
    size = Size(
        entities=5, business_units=3, profit_centers=6, cost_centers=10, lines=1500, periods=2
    )
    first = tree(write_synthetic(tmp_path / "a", size, fmt).root)
    again = tree(write_synthetic(tmp_path / "b", size, fmt).root)
    other = tree(write_synthetic(tmp_path / "c", Size(**{**size.__dict__, "seed": 2}), fmt).root)
    assert first == again
    assert first.keys() == other.keys() and first != other
    assert any(name.endswith(f".{fmt}") for name in first if name.startswith("ledgers/"))


def test_rows_per_month_follow_lines(small: SampleResult) -> None:
    # November has no opening balances: its rows are the month's volume
    november = small.rows["2026-11"]
    assert abs(november - SMALL.lines) < SMALL.lines * 0.15
    con = ledger(small.root, november="2026-11/*.csv")
    assert con.execute("SELECT count(*) FROM november").fetchall() == [(november,)]


def test_master_has_the_reference_shape() -> None:
    m = build_master(Size())
    parent = {e.entity: e.parent for e in m.entities}

    def depth(code: str) -> int:
        return 0 if not parent[code] else 1 + depth(parent[code])

    assert (len(m.entities), len(m.business_units), len(m.profit_centers), len(m.cost_centers)) == (
        44,
        15,
        179,
        1400,
    )
    assert max(depth(e.entity) for e in m.entities) >= 2
    assert {str(e.ownership_pct) for e in m.entities} >= {"60", "80", "100"}
    assert len({e.currency for e in m.entities}) >= 8
    assert len({cc.department for cc in m.cost_centers}) == 32
    assert any(not cc.profit_center for cc in m.cost_centers)
    assert {basis for *_, basis, _ in m.allocations} == {"fixed", "revenue"}


def test_intercompany_is_booked_on_both_sides(small: SampleResult) -> None:
    """Every seller's intercompany invoice has the buyer's booking with the
    same currency and amounts."""
    # bought: purchasing and expenses files
    con = ledger(small.root, sales="*/sales-*.csv", bought="*/[pe]*-*.csv")
    unmatched = con.execute("""
        SELECT s.entity, s.partner, s.currency, sum(s.net_amount::DECIMAL(18,2)) AS net
        FROM sales s WHERE s.partner <> '' GROUP BY ALL
        EXCEPT
        SELECT b.partner, b.entity, b.currency, sum(b.net_amount::DECIMAL(18,2))
        FROM bought b WHERE b.partner <> '' GROUP BY ALL
    """).fetchall()
    pairs = con.execute("SELECT count(DISTINCT (entity, partner)) FROM sales WHERE partner <> ''")
    assert unmatched == []
    assert pairs.fetchall()[0][0] >= 5


def test_a_small_workspace_closes_clean(small: SampleResult) -> None:
    settings = load_settings(small.root)
    con = db.connect(settings)
    try:
        for period in ("2026-10", "2026-11"):
            loaded = load_period(settings, con, period)
            assert loaded.clean, [f.errors[:3] for f in loaded.files if f.rejected]
            post_period(settings, con, period)
            consolidate_period(settings, con, period)
            manage_period(settings, con, period)
            results = run_checks(CheckContext(settings, con, period))
            assert [r for r in results if r.status == "fail"] == []
    finally:
        con.close()


def test_cli_sample_refuses_bad_sizes(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sample", str(tmp_path / "ws"), "--entities", "2"])
    assert result.exit_code == 2
    assert "--entities must be at least 4" in result.output


def test_cli_sample_writes_a_workspace(tmp_path: Path) -> None:
    args = [
        "sample",
        str(tmp_path / "ws"),
        "--entities",
        "4",
        "--business-units",
        "2",
        "--profit-centers",
        "4",
        "--cost-centers",
        "8",
        "--lines",
        "1000",
        "--periods",
        "1",
        "--format",
        "parquet",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "source rows" in result.output
    assert (tmp_path / "ws" / "ledgers" / "2026-10" / "opening.parquet").is_file()


@settings(max_examples=40, deadline=None)
@given(
    entities=st.integers(4, 60),
    units=st.integers(2, 20),
    pcs=st.integers(3, 200),
    extra_ccs=st.integers(0, 300),
    seed=st.integers(0, 10_000),
)
def test_any_size_gives_valid_master_data(
    entities: int, units: int, pcs: int, extra_ccs: int, seed: int
) -> None:
    """Whatever the size: one top entity and a tree below it, ownership in
    (0, 100], an 80% sub-holding with a 100% subsidiary, a 60% subsidiary, a
    finance cost center in every entity, fixed allocation keys summing to 1
    per sender and distinct receivers, rates for every currency in use."""
    size = Size(entities, units, pcs, 2 * entities + extra_ccs, 1000, 2, seed)
    m = build_master(size)
    parent = {e.entity: e.parent for e in m.entities}
    assert [e for e in m.entities if not e.parent] == [m.entities[0]]
    for code in parent:  # every chain reaches the top without a cycle
        seen = set()
        while parent[code]:
            assert code not in seen and parent[code] in parent
            seen.add(code)
            code = parent[code]
    own = {e.entity: e.ownership_pct for e in m.entities}
    assert all(0 < own[e.entity] <= 100 for e in m.entities if e.parent)
    assert any(own[e.parent] == 80 and own[e.entity] == 100 for e in m.entities if e.parent)
    assert any(own[e.entity] == 60 for e in m.entities if e.parent)
    assert {e.entity for e in m.entities} == {
        cc.entity for cc in m.cost_centers if cc.department == "Finance"
    }
    fixed: dict[str, Decimal] = defaultdict(Decimal)
    receivers: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cycle, sender, receiver, basis, share in m.allocations:
        receivers[(cycle, sender)].append(receiver)
        if basis == "fixed":
            assert share is not None
            fixed[sender] += share
    assert all(total == 1 for total in fixed.values())
    assert all(len(r) == len(set(r)) for r in receivers.values())
    rated = {(p, c) for p, c, *_ in m.fx_rates}
    assert {(p, e.currency) for p in size.period_list for e in m.entities} <= rated

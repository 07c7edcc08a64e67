"""closekit structure and the structure check (SPEC 14, 20)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit import db
from closekit.checks.base import CheckContext
from closekit.checks.structure import structure
from closekit.cli import main
from closekit.consolidation import structure_view
from closekit.consolidation.membership import MemberWithoutAcquisition
from closekit.load import load_period
from closekit.workspace import load_settings
from tests.inline import write_workspace
from tests.statements_fixture import sold_in_march
from tests.test_acquisition import acquired_in_february, associate, bargain
from tests.test_consolidate import MASTER
from tests.test_consolidate_helpers import Group, d


def test_the_tree_and_the_events_with_what_they_measured(tmp_path: Path) -> None:
    """February: S joins P at 80% (effective 80%); the acquisition event
    shows NA0 11,900.00, C 10,000.00, NCI 2,380.00, GW 68.57 USD, and the
    goodwill as measured in CNY: C + NCI - NA0 = 480.00 (68.57 USD x 7.00
    is 479.99: the cent lost to rounding the USD amount is part of the
    exchange difference on goodwill after the event, not of the event)."""
    g = acquired_in_february(tmp_path)
    g.consolidate("2026-01")
    before = structure_view(g.settings, g.con, "2026-02")
    assert [e.measured for e in before.events] == [False]
    g.consolidate("2026-02")
    view = structure_view(g.settings, g.con, "2026-02")
    assert [(x.entity, x.depth, x.method, x.direct, x.effective) for x in view.entities] == [
        ("P", 0, "full", d("100"), d("100")),
        ("S", 1, "full", d("80"), d("80")),
    ]
    assert view.entities[1].origin == "master/ownership.csv:2"
    (event,) = view.events
    assert (event.kind, event.entity, event.holder, event.before, event.after) == (
        "acquisition",
        "S",
        "P",
        Decimal(0),
        d("80"),
    )
    assert (event.net_assets, event.consideration, event.nci, event.goodwill_fc) == (
        d("11900.00"),
        d("10000.00"),
        d("2380.00"),
        d("68.57"),
    )
    assert event.goodwill == d("480.00")


def test_the_check_passes_on_a_measured_acquisition_and_warns_on_a_bargain(
    tmp_path: Path,
) -> None:
    g = acquired_in_february(tmp_path / "a")
    g.consolidate("2026-01")
    g.consolidate("2026-02")
    result = structure(CheckContext(g.settings, g.con, "2026-02"))
    assert (result.status, result.detail) == ("pass", "acquisition of S measured")
    b = bargain(tmp_path / "b").accounts(bargain_purchase="4800")
    b.consolidate("2026-02")
    result = structure(CheckContext(b.settings, b.con, "2026-02"))
    assert (result.status, result.detail) == ("warn", "P: bargain purchase of T, gain 200.00")


def test_the_check_fails_on_an_event_whose_rule_is_not_applied(tmp_path: Path) -> None:
    """P's 30% in associate A passes in March to H, P's subsidiary, as a 20%
    stake: a change of an associate's holder inside the group that also
    changes the holding, which this version derives but does not apply (a
    change of holding by the same holder is, and a transfer at the same
    holding, tests/test_associate_change.py)."""
    g = associate(tmp_path).entity("H", parent="P")
    g.ownership("A", "2026-03", "H", "20", "equity")
    g.post("2026-01", "2026-02", "2026-03")
    for period in ("2026-01", "2026-02", "2026-03"):
        g.consolidate(period)
    result = structure(CheckContext(g.settings, g.con, "2026-03"))
    assert (result.status, result.detail) == (
        "fail",
        "equity_change of A (30% -> 20%): SPEC 16.2 (IAS 28.22, an associate passing to "
        "another group holder with a change of holding) is not applied by this version; "
        "enter its entries as top-side journals",
    )


def test_structure_command_prints_the_tree(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, MASTER)
    settings = load_settings(root)
    con = db.connect(settings)
    try:
        assert load_period(settings, con, "2026-01").clean
    finally:
        con.close()
    result = CliRunner().invoke(main, ["-w", str(root), "structure", "2026-01"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "structure at 2026-01 below P"
    assert result.output.rstrip().endswith("no events in 2026-01")
    result = CliRunner().invoke(main, ["-w", str(root), "structure", "2026-01", "--format", "json"])
    view = json.loads(result.output)
    assert [
        (e["entity"], Decimal(e["direct"]), Decimal(e["effective"])) for e in view["entities"]
    ] == [("P", 100, 100), ("S", 75, 75)]
    result = CliRunner().invoke(main, ["-w", str(root), "structure", "2026-01", "--node", "X"])
    assert result.exit_code == 2
    assert "unknown entity 'X' (--node)" in result.output


def test_a_member_without_an_event_names_the_two_causes(tmp_path: Path) -> None:
    """S (entities.csv: 80% full) is a member from the first period, brought
    in by the first period's consolidation. Consolidating February first
    finds no event for S: the refusal names S, the node, and both causes (an
    earlier period not consolidated; an entity added after the first period
    without ownership rows)."""
    g = Group(tmp_path).entity("P").entity("S", parent="P", pct="80")
    g.line("2026-01", "S", "1000", "100").line("2026-01", "S", "3000", "-100")
    g.line("2026-02", "S", "1000", "10").line("2026-02", "S", "4000", "-10")
    g.post("2026-01", "2026-02")
    with pytest.raises(MemberWithoutAcquisition) as refused:
        g.consolidate("2026-02")
    assert str(refused.value) == (
        "cannot consolidate 2026-02: no acquisition brings in S at P; consolidate the "
        "earlier periods first (`closekit close` in order); an entity added to "
        "entities.csv after the first period needs ownership.csv rows saying it was not "
        "held before and when it was acquired (SPEC 14)"
    )


def test_the_events_show_the_cta_they_reclassify_and_an_equity_start(tmp_path: Path) -> None:
    """A loss of control shows the CTA it recycles to profit or loss (IAS
    21.48): sold_in_march's 448.00 (the owners' 80% of S's CTA of 560, derived
    in tests/test_acquisition.py), credit positive as it adds to the gain
    1,648.00. An equity start (IAS 28.32) shows A's net assets at the end of
    the month before, 8,000 of capital + January's 500 = 8,500.00, P's cost
    3,000.00 and the goodwill the carrying amount holds, 3,000 - 30% x 8,500
    = 450.00."""
    sold = sold_in_march(tmp_path / "sold")
    (event,) = structure_view(sold.settings, sold.con, "2026-03").events
    assert (event.kind, event.gain, event.cta_reclassified) == (
        "loss_of_control",
        d("1648.00"),
        d("448.00"),
    )
    a = associate(tmp_path / "associate")
    a.post("2026-01", "2026-02")
    a.consolidate("2026-01")
    (start,) = structure_view(a.settings, a.con, "2026-02").events
    assert start.kind == "equity_start"
    assert start.measured is False
    a.consolidate("2026-02")
    (start,) = structure_view(a.settings, a.con, "2026-02").events
    assert (start.net_assets, start.consideration, start.goodwill, start.measured) == (
        d("8500.00"),
        d("3000.00"),
        d("450.00"),
        True,
    )

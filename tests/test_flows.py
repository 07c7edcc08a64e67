"""Flows of every balance key at entity and node level (SPEC 19.1), the
`flows` command and the flows_tie check."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from closekit.checks.base import CheckContext
from closekit.checks.statements import flows_tie
from closekit.cli import main
from closekit.statements.queries import node_flows
from tests.statements_fixture import two_months

D = Decimal


def test_a_foreign_subsidiary_flows_per_key_at_the_group(tmp_path: Path) -> None:
    """Figures of two_months: the investment and S's capital are eliminated
    with their flows (opening 650, capital 142), so neither key shows; P's
    cash and retained earnings carry the capital paid and the dividend."""
    g = two_months(tmp_path)
    flows = {
        (f.entity, f.account, f.partner, f.flow): f.amount for f in node_flows(g.con, "2026-02")
    }
    assert flows == {
        ("P", "1000", "", "opening"): D("1000.00"),
        ("P", "1000", "", "capital"): D("-142.00"),
        ("P", "1000", "", "dividend"): D("-300.00"),
        ("P", "1000", "", "movement"): D("200.00"),
        ("P", "3000", "", "opening"): D("-1500.00"),
        ("P", "3200", "", "opening"): D("-150.00"),
        ("P", "3200", "", "profit"): D("-200.00"),
        ("P", "3200", "", "dividend"): D("300.00"),
        ("S", "1000", "", "opening"): D("680.00"),
        ("S", "1000", "", "translation"): D("60.00"),
        ("S", "1000", "", "capital"): D("142.00"),
        ("S", "1000", "", "movement"): D("558.00"),
        ("S", "3200", "", "profit"): D("-558.00"),
        ("S", "3300", "", "opening"): D("-30.00"),
        ("S", "3300", "", "translation"): D("-60.00"),
    }


def test_the_subsidiary_s_own_flows_keep_its_capital(tmp_path: Path) -> None:
    """At entity level (translated) S's capital increase is a capital flow
    on both sides; January's translation is 25.00 on cash, -25.00 on CTA."""
    g = two_months(tmp_path)
    rows = g.con.execute(
        "SELECT period, account, flow, amount FROM entity_flow WHERE entity = 'S' "
        "AND flow IN ('capital', 'translation') ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("2026-01", "1000", "translation", D("25.00")),
        ("2026-01", "3300", "translation", D("-25.00")),
        ("2026-02", "1000", "capital", D("142.00")),
        ("2026-02", "1000", "translation", D("60.00")),
        ("2026-02", "3000", "capital", D("-142.00")),
        ("2026-02", "3300", "translation", D("-60.00")),
    ]


def test_flows_tie_passes_and_fails_when_a_flow_is_broken(tmp_path: Path) -> None:
    g = two_months(tmp_path)
    ctx = CheckContext(g.settings, g.con, "2026-02")
    result = flows_tie(ctx)
    assert (result.status, result.detail) == ("pass", "6 key(s): opening + flows = closing")
    g.con.execute(
        "UPDATE node_flow SET amount = amount + 1 "
        "WHERE period = '2026-02' AND entity = 'S' AND account = '1000' AND flow = 'movement'"
    )
    result = flows_tie(ctx)
    assert (result.status, result.detail) == (
        "fail",
        "1 key(s) do not tie: P S/1000 closing: flows 1441.00, balance 1440.00",
    )


def test_the_flows_command_prints_csv_and_json(tmp_path: Path) -> None:
    g = two_months(tmp_path)
    # (the test group lives in memory: write it to the workspace's database)
    g.con.execute(f"ATTACH '{g.settings.root / 'closekit.duckdb'}' AS f")
    g.con.execute("COPY FROM DATABASE memory TO f")
    g.con.close()
    runner = CliRunner()
    root = str(g.settings.root)
    csv_out = runner.invoke(
        main, ["-w", root, "flows", "2026-02", "--account", "3300", "--format", "csv"]
    )
    assert csv_out.exit_code == 0, csv_out.output
    assert csv_out.output.splitlines() == [
        "node,entity,account,partner,flow,amount",
        "P,S,3300,,opening,-30.00",
        "P,S,3300,,translation,-60.00",
    ]
    json_out = runner.invoke(
        main, ["-w", root, "flows", "2026-02", "--node", "P", "--format", "json"]
    )
    assert json.loads(json_out.output)[0] == {
        "node": "P", "entity": "P", "account": "1000", "partner": "", "flow": "opening",
        "amount": "1000.00",
    }  # fmt: skip
    unknown = runner.invoke(main, ["-w", root, "flows", "2026-02", "--node", "S"])
    assert unknown.exit_code == 2
    assert "S is not a consolidation node in 2026-02 (nodes: P)" in unknown.output

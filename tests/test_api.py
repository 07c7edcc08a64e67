"""The Python API: the DataFrames are the CLI's CSV, exact decimals included."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

import closekit
from closekit.cli import main
from closekit.errors import SettingsError, UnknownCode
from tests.demo_cli import fresh_demo


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> closekit.Workspace:
    """The demo closed through the API, October's reports skipped."""
    root = tmp_path_factory.mktemp("api") / "demo"
    fresh_demo(root)
    workspace = closekit.open(root)
    closed = workspace.close("2026-10..2026-11", reports="last")
    assert closed["period"].to_list() == ["2026-10", "2026-11"]
    assert closed["clean"].to_list() == [True, True]
    assert closed["reports"].to_list() == ["", "out/2026-11"]
    assert closed["rows_read"].to_list() == [3611, 3185]
    return workspace


def cli_csv(root: Path, *args: str) -> list[list[str]]:
    result = CliRunner().invoke(main, ["-w", str(root), *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def as_csv(frame: pl.DataFrame) -> list[list[str]]:
    return [list(frame.columns)] + [[as_text(v) for v in row] for row in frame.iter_rows()]


@pytest.mark.parametrize(
    ("method", "kwargs", "args"),
    [
        ("tb", {}, ["tb", "2026-11"]),
        ("tb", {"node": "HK01"}, ["tb", "2026-11", "--node", "HK01"]),
        ("tb", {"entity": "JP01"}, ["tb", "2026-11", "--entity", "JP01"]),
        (
            "tb",
            {"entity": "JP01", "currency": "group", "basis": "period"},
            ["tb", "2026-11", "--entity", "JP01", "--currency", "group", "--basis", "period"],
        ),
        (
            "drill",
            {"account": "1200", "entity": "CN01"},
            ["drill", "2026-11", "--account", "1200", "--entity", "CN01"],
        ),
        (
            "drill",
            {"account": "4100", "profit_center": "P110"},
            ["drill", "2026-11", "--account", "4100", "--profit-center", "P110"],
        ),
        ("flows", {}, ["flows", "2026-11"]),
        (
            "flows",
            {"node": "CN00", "account": "3000"},
            ["flows", "2026-11", "--node", "CN00", "--account", "3000"],
        ),
        ("bu", {}, ["bu", "2026-11"]),
        ("costcenters", {}, ["costcenters", "2026-11"]),
    ],
)
def test_a_dataframe_holds_the_rows_of_the_same_cli_command(
    ws: closekit.Workspace, method: str, kwargs: dict[str, str], args: list[str]
) -> None:
    frame = getattr(ws, method)("2026-11", **kwargs)
    assert as_csv(frame) == cli_csv(ws.root, *args)
    money = [c for c in frame.columns if c.startswith("amount") or c in ("month", "ytd")]
    for column in money:
        assert frame.schema[column] == pl.Decimal(38, 2)


def test_money_is_exact_and_sums_exactly(ws: closekit.Workspace) -> None:
    """The group TB sums to zero as Decimals; polars sums decimals exactly."""
    tb = ws.tb("2026-11")
    assert tb["amount"].sum() == Decimal("0.00")
    assert all(isinstance(v, Decimal) for v in tb["amount"].to_list())
    shares = ws.allocations("2026-11")
    assert shares.schema["share"] == pl.Decimal(38, 18)
    # SPEC section 1: the last receiver absorbs the rounding, so what each
    # sender sends adds up exactly to its cost, in Decimal arithmetic
    sent = shares.group_by("cycle", "sender").agg(
        pl.col("amount").sum(), pl.col("sender_cost").first()
    )
    assert len(sent) > 1
    assert (sent["amount"] == sent["sender_cost"]).all()


def test_status_and_checks(ws: closekit.Workspace) -> None:
    status = ws.status()
    assert status.select("period", "stage", "result").rows() == [
        ("2026-10", "closed", "final"),
        ("2026-11", "reported", "final"),
    ]
    checks = ws.checks("2026-11")
    assert checks.filter(pl.col("status") != "pass")["check"].to_list() == ["prior_period_locked"]


def test_refusals_are_closekit_errors(ws: closekit.Workspace, tmp_path: Path) -> None:
    with pytest.raises(UnknownCode, match="unknown profit center 'P999'"):
        ws.drill("2026-11", "4100", entity="CN01", profit_center="P999")
    with pytest.raises(SettingsError, match="not a closekit workspace"):
        closekit.open(tmp_path)


def test_open_finds_the_workspace_upwards(
    ws: closekit.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLOSEKIT_WORKSPACE", raising=False)
    monkeypatch.chdir(ws.root / "out" / "2026-11")
    assert closekit.open().root == ws.root

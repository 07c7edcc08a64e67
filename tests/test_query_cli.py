"""`closekit tb` and `drill` on the closed demo: every code validated before
anything is printed, a title saying what the figures are, a total that ties."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.demo_cli import fresh_demo, run

NOV = "2026-11"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("query") / "demo"
    fresh_demo(root)
    result = run(root, "close", f"2026-10..{NOV}", "--reports", "none")
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["drill", NOV, "--account", "4100", "--profit-center", "P999"],
            "unknown profit center 'P999'; see master/profit_centers.csv",
        ),
        (
            ["drill", NOV, "--account", "6100", "--entity", "CN00", "--cost-center", "CC9"],
            "unknown cost center 'CC9'; see master/cost_centers.csv",
        ),
        (
            ["drill", NOV, "--account", "1100", "--entity", "CN01"],
            "account '1100' Current assets is a summary account (nothing posts to it); "
            "drill one of the accounts under it: 1110, 1190, 1200, 1250, 1290, 1300, 1400",
        ),
        (["drill", NOV, "--account", "9999"], "unknown account '9999'; see master/accounts.csv"),
        (
            ["drill", NOV, "--account", "1200", "--entity", "XX99"],
            "unknown entity 'XX99'; see master/entities.csv",
        ),
    ],
)
def test_drill_refuses_an_unknown_code_or_a_summary_account(
    demo: Path, args: list[str], message: str
) -> None:
    result = run(demo, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_drill_prints_a_title_and_a_total_that_is_the_balance(demo: Path) -> None:
    """The lines of CN00 on 6100 for cost center CN00-110 sum to the balance
    the drill's total line shows; over every cost center, the lines sum to
    the entity's trial-balance amount on 6100."""
    lines = run(demo, "drill", NOV, "--account", "6100", "--entity", "CN00",
                "--cost-center", "CN00-110").stdout.splitlines()  # fmt: skip
    assert lines[0] == (
        "Lines of CN00 on 6100, cost center CN00-110: functional currency CNY, "
        f"year to date at {NOV}"
    )
    rows = list(csv.DictReader(io.StringIO(run(
        demo, "drill", NOV, "--account", "6100", "--entity", "CN00", "--cost-center", "CN00-110",
        "--format", "csv").stdout)))  # fmt: skip
    total = sum((Decimal(r["amount"]) for r in rows), Decimal(0))
    assert lines[-1].split() == ["total", f"{total:,.2f}"]

    every = run(demo, "drill", NOV, "--account", "6100", "--entity", "CN00")
    tb = csv.DictReader(io.StringIO(run(demo, "tb", NOV, "--entity", "CN00", "--format",
                                        "csv").stdout))  # fmt: skip
    (balance,) = [Decimal(r["amount"]) for r in tb if r["account"] == "6100"]
    assert every.stdout.splitlines()[-1].split() == ["total", f"{balance:,.2f}"]


def test_tb_prints_a_title_naming_entity_or_node_currency_basis_and_period(demo: Path) -> None:
    def title(*args: str) -> str:
        result = run(demo, "tb", NOV, *args)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[0]

    assert title("--entity", "JP01") == (
        f"Trial balance of JP01 Lotus Japan K.K.: functional currency JPY, year to date at {NOV}"
    )
    assert title("--entity", "JP01", "--currency", "group", "--basis", "period") == (
        "Trial balance of JP01 Lotus Japan K.K.: translated into group currency CNY, "
        f"movement of {NOV}"
    )
    assert title("--node", "HK01") == (
        "Consolidated trial balance of node HK01 Lotus International (Hong Kong) Ltd.: "
        f"group currency CNY, year to date at {NOV}, eliminations and NCI included"
    )
    assert title() == (
        "Consolidated trial balance of node CN00 Lotus Holdings (Beijing) Co., Ltd.: "
        f"group currency CNY, year to date at {NOV}, eliminations and NCI included"
    )
    # CSV and JSON carry the data only
    assert run(demo, "tb", NOV, "--format", "csv").stdout.startswith("account,name,type,amount\n")


def test_tb_node_on_a_leaf_says_it_is_a_leaf_and_equals_its_translated_tb(demo: Path) -> None:
    """CN01 owns no entity: as a node it is its own translated trial balance."""
    leaf = run(demo, "tb", NOV, "--node", "CN01")
    assert leaf.exit_code == 0, leaf.output
    assert leaf.stdout.splitlines()[0] == (
        "Trial balance of CN01 Lotus Computer (Shenzhen) Co., Ltd., a leaf entity "
        "(no consolidation node): its own, translated into group currency CNY, "
        f"year to date at {NOV}"
    )
    as_node = run(demo, "tb", NOV, "--node", "CN01", "--format", "csv").stdout
    translated = run(demo, "tb", NOV, "--entity", "CN01", "--currency", "group",
                     "--format", "csv").stdout  # fmt: skip
    assert as_node == translated

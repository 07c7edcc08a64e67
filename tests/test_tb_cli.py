"""`closekit post`, `closekit tb` and `closekit drill` as a user sees them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from closekit.cli import main
from tests.test_post import SUBLEDGERS
from tests.test_post_fixture import ACCOUNTS, books, fill, source

# Names that need CSV quoting and UTF-8.
NAMED = ACCOUNTS.replace("Operating expenses", '"Rent, office ""HQ"""').replace(
    "6100,Travel", "6100,差旅费 Travel"
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Parent P's January (every module and kind, see test_post), posted by the CLI;
    shared by the tests of this module, which only read it."""
    settings, con = books(
        tmp_path_factory.mktemp("ws"), ("2026-01", "2026-02"), accounts=NAMED, in_memory=False
    )
    for module, text in SUBLEDGERS.items():
        source(con, "2026-01", module, text)
    # the dimensions drill validates
    fill(con, "profit_center", "profit_center,name,business_unit\nPC1,Laptops,HW\nPC2,Services,SV")
    fill(con, "cost_center", "cost_center,name,entity\nCC1,Office,P")
    con.close()
    result = run(settings.root, "post", "2026-01")
    assert result.exit_code == 0, result.output
    return settings.root


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-w", str(root), *args])


def test_post_prints_lines_and_a_zero_tb_total_per_entity(tmp_path: Path) -> None:
    settings, con = books(tmp_path, in_memory=False)
    for module, text in SUBLEDGERS.items():
        source(con, "2026-01", module, text)
    con.close()
    result = run(settings.root, "post", "2026-01")
    assert result.exit_code == 0
    assert result.output == (
        "entity  lines  revaluation lines  TB total\n"
        "------  -----  -----------------  --------\n"
        "P          25                  0      0.00\n"
    )


def test_tb_csv_is_byte_exact(workspace: Path) -> None:
    result = run(workspace, "tb", "2026-01", "--entity", "P", "--format", "csv")
    assert result.exit_code == 0
    assert (
        result.stdout_bytes
        == (
            "account,name,type,amount\n"
            "1100,Receivables,asset,1660.00\n"
            "1150,IC receivables,asset,2000.00\n"
            "1200,Inventory,asset,140.00\n"
            "1300,Input VAT,asset,108.00\n"
            "2000,Payables,liability,-1208.00\n"
            "2100,Output VAT,liability,-160.00\n"
            "4000,Revenue goods,revenue,-1000.00\n"
            "4050,IC revenue goods,revenue,-2000.00\n"
            "4100,Revenue services,revenue,-500.00\n"
            "5000,Cost of sales,expense,400.00\n"
            '6000,"Rent, office ""HQ""",expense,260.00\n'
            "6100,差旅费 Travel,expense,300.00\n"
        ).encode()
    )


def test_tb_json_gives_money_as_strings_and_table_a_zero_total(workspace: Path) -> None:
    result = run(workspace, "tb", "2026-01", "--entity", "P", "--format", "json")
    assert result.exit_code == 0
    lines = json.loads(result.output)
    assert lines[0] == {
        "account": "1100",
        "name": "Receivables",
        "type": "asset",
        "amount": "1660.00",
    }
    assert sum(float(line["amount"]) for line in lines) == 0
    table = run(workspace, "tb", "2026-01", "--entity", "P").output.splitlines()
    assert table[0] == (
        "Trial balance of P Parent Co: functional currency CNY, year to date at 2026-01"
    )
    assert table[2].split() == ["account", "name", "type", "amount"]
    assert table[4].split() == ["1100", "Receivables", "asset", "1,660.00"]
    assert table[-1].split() == ["total", "0.00"]
    period = run(
        workspace, "tb", "2026-01", "--entity", "P", "--basis", "period", "--format", "csv"
    )
    assert (
        period.output == run(workspace, "tb", "2026-01", "--entity", "P", "--format", "csv").output
    )


def test_drill_shows_each_line_with_its_source_row(workspace: Path) -> None:
    result = run(workspace, "drill", "2026-01", "--account", "2000", "--entity", "P",
                 "--format", "csv")  # fmt: skip
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "period,date,entity,account,partner,profit_center,cost_center,module,kind,doc_id,line,"
        "currency,amount_doc,amount,source",
        "2026-01,2026-01-14,P,2000,,,CC1,expenses,travel,E1,1,CNY,-318.00,-318.00,"
        "ledgers/2026-01/expenses.csv:2",
        "2026-01,2026-01-08,P,2000,,,CC1,purchasing,stock,P1,1,CNY,-678.00,-678.00,"
        "ledgers/2026-01/purchasing.csv:2",
        "2026-01,2026-01-09,P,2000,,,CC1,purchasing,service,P2,1,CNY,-212.00,-212.00,"
        "ledgers/2026-01/purchasing.csv:3",
    ]
    as_json = json.loads(
        run(workspace, "drill", "2026-01", "--account", "1100", "--entity", "P",
            "--profit-center", "PC2", "--format", "json").output
    )  # fmt: skip
    assert [(d["doc_id"], d["amount"], d["date"]) for d in as_json] == [
        ("S3", "530.00", "2026-01-07")
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tb", "2026-01", "--entity", "X"], "Error: unknown entity 'X'"),
        # the first step missing, not the one tb reads
        (["tb", "2026-02", "--entity", "P"], "Error: period 2026-02 is not loaded yet"),
        (["tb", "2026-01", "--entity", "P", "--node", "P"], "give --entity or --node, not both"),
        (["tb", "2026-01", "--currency", "group"], "--currency goes with --entity only"),
        (["tb", "2026-13"], "invalid period '2026-13'"),
        (["drill", "2026-01", "--account", "9999", "--entity", "P"], "unknown account '9999'"),
        (["drill", "2026-01", "--entity", "P"], "Missing option '--account'"),
        (["post", "2026-02"], "Error: period 2026-02 is not loaded yet"),
        # group figures need the consolidation step
        (["tb", "2026-01"], "Error: period 2026-01 is not consolidated yet"),
        (["tb", "2026-01", "--entity", "P", "--currency", "group"], "not consolidated yet"),
    ],
)
def test_refusals_exit_2_with_one_line_on_stderr(
    workspace: Path, args: list[str], message: str
) -> None:
    result = run(workspace, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_has_help() -> None:
    for command in ("post", "tb", "drill"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and len(result.output) > 100


def test_group_figures_come_from_translation_and_consolidation(tmp_path: Path) -> None:
    from closekit.consolidation import consolidate_period
    from closekit.post import post_period

    settings, con = books(tmp_path, in_memory=False)
    source(con, "2026-01", "sales", """
        doc_id,line,date,entity,currency,kind,profit_center,net_amount,tax_amount
        S1,1,2026-01-05,U,USD,goods,PC1,100.00,
    """)  # fmt: skip
    post_period(settings, con, "2026-01")
    consolidate_period(settings, con, "2026-01")
    con.close()

    functional = run(settings.root, "tb", "2026-01", "--entity", "U", "--format", "csv")
    assert functional.output.splitlines()[1:] == [
        "1100,Receivables,asset,100.00",
        "4000,Revenue goods,revenue,-100.00",
    ]
    # In CNY: the receivable at closing 7.20, revenue at average 7.10, CTA the difference.
    group = run(settings.root, "tb", "2026-01", "--entity", "U", "--currency", "group",
                "--format", "csv")  # fmt: skip
    assert group.exit_code == 0, group.output
    assert "1100,Receivables,asset,720.00" in group.output.splitlines()
    assert "4000,Revenue goods,revenue,-710.00" in group.output.splitlines()
    for args in (["--node", "U"], []):
        node = run(settings.root, "tb", "2026-01", *args, "--format", "json")
        assert node.exit_code == 0, node.output
        assert sum(Decimal(line["amount"]) for line in json.loads(node.output)) == 0
    drilled = run(settings.root, "drill", "2026-01", "--account", "1100", "--format", "csv")
    assert drilled.exit_code == 0, drilled.output
    assert drilled.output.splitlines()[0] == (
        "source,entity,partner,profit_center,cost_center,amount,detail"
    )
    assert drilled.output.splitlines()[1].startswith("translated,U,,PC1,,720.00")

"""`closekit bu` and `closekit costcenters`: what a user sees."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from closekit.cli import main
from closekit.manage import manage_period
from tests.test_manage_fixture import Group

OCT = "2026-10"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-w", str(root), *args])


def managed_group(root: Path) -> Path:
    # PC1 sells 1,000.00; IT costs 300.00, sent 60/40 to PC1 and PC3.
    group = Group(root)
    group.balance(OCT, "S1", "4000", "-1000.00", pc="PC1")
    group.balance(OCT, "P", "6000", "300.00", cc="CC-IT")
    group.rule("A", "CC-IT", "PC1", "fixed", "0.6")
    group.rule("A", "CC-IT", "PC3", "fixed", "0.4")
    group.consolidated(OCT)
    manage_period(group.settings, group.con, OCT)
    group.con.close()
    return root


def test_bu_csv_gives_every_row_with_two_decimals(tmp_path: Path) -> None:
    result = run(managed_group(tmp_path), "bu", OCT, "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "kind,level,code,name,business_unit,"
        "month_revenue,month_expense,month_allocations,month_result,"
        "ytd_revenue,ytd_expense,ytd_allocations,ytd_result,"
        "prior_month_revenue,prior_month_expense,prior_month_allocations,prior_month_result"
    )
    assert lines[3] == (
        "profit_center,2,PC1,Laptops,HW,1000.00,0.00,180.00,820.00,"
        "1000.00,0.00,180.00,820.00,0.00,0.00,0.00,0.00"
    )
    assert lines[-5] == (
        "unallocated,0,,Unallocated,,0.00,300.00,-300.00,0.00,"
        "0.00,300.00,-300.00,0.00,0.00,0.00,0.00,0.00"
    )
    assert lines[-1] == (
        "total,0,,Group total,,1000.00,300.00,0.00,700.00,"
        "1000.00,300.00,0.00,700.00,0.00,0.00,0.00,0.00"
    )


def test_bu_json_gives_money_as_strings(tmp_path: Path) -> None:
    result = run(managed_group(tmp_path), "bu", OCT, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    pc3 = next(r for r in rows if r["code"] == "PC3")
    assert pc3["month"] == {
        "revenue": "0.00",
        "expense": "0.00",
        "allocations": "120.00",
        "result": "-120.00",
    }
    assert rows[-1]["kind"] == "total"


def test_bu_table_sums_up_the_allocations_and_lists_them_when_asked(tmp_path: Path) -> None:
    root = managed_group(tmp_path)
    result = run(root, "bu", OCT)
    assert result.exit_code == 0, result.output
    assert "Group total" in result.stdout
    assert result.stdout.endswith(
        "\n2 allocation posting(s) in 2026-10 sent 300.00; "
        "`closekit bu 2026-10 --allocations` lists them.\n"
    )
    listed = run(root, "bu", OCT, "--allocations").stdout.split("\n\n")[-1]
    assert listed == (
        "cycle  sender  sender entity  receiver  basis   share  sender cost  amount  ytd amount\n"
        "-----  ------  -------------  --------  -----  ------  -----------  ------  ----------\n"
        "A      CC-IT   P              PC1       fixed  60.00%       300.00  180.00      180.00\n"
        "A      CC-IT   P              PC3       fixed  40.00%       300.00  120.00      120.00\n"
        "total                                                               300.00\n"
    )


def test_costcenters_csv(tmp_path: Path) -> None:
    result = run(managed_group(tmp_path), "costcenters", OCT, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "department,cost_center,name,entity,account,account_name,month,ytd,prior_month\n"
        "IT,CC-IT,Group IT,P,6000,Operating expense,300.00,300.00,0.00\n"
        "IT,CC-IT,Group IT,P,6950,Allocations,-300.00,-300.00,0.00\n"
    )


def test_a_period_not_managed_is_refused_naming_the_first_step_missing(tmp_path: Path) -> None:
    group = Group(tmp_path)
    group.con.close()
    result = run(tmp_path, "bu", OCT)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: period 2026-10 is not loaded yet; run `closekit load 2026-10` first\n"
    )
    group = Group(tmp_path / "consolidated")
    group.consolidated(OCT)
    group.con.close()
    result = run(tmp_path / "consolidated", "costcenters", OCT)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: period 2026-10 is not managed yet; run `closekit manage 2026-10` first\n"
    )


def test_commands_have_help() -> None:
    for command in ("bu", "costcenters", "manage"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "PERIOD" in result.output

"""Master data of contract v2: ownership.csv (SPEC 14, 15.4), the account
classes of the statements (19.2) and the new roles (17, 16.1, 18.1)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closekit.errors import InvalidInput
from closekit.master import read_master
from closekit.master.ownership import Holding, holdings_at
from closekit.workspace import Settings, load_settings
from tests.test_load_fixture import MASTER, workspace

ENTITIES = """
    entity,name,currency,parent,ownership_pct,method
    P,Parent Co,CNY,,,
    U,US Sub,usd,P,80,full
    N,New Co,EUR,P,70,none
"""
# N is held by nobody until it is acquired (a `none` row with no holding).
NOT_HELD = "N,2026-01,,0,none\n"
V2_ACCOUNTS = """
[accounts]
ownership_changes = "3200"
disposal_gain = "4000"
associate_result = "4000"
"""


def with_ownership(tmp_path: Path, rows: str, keys: bool = True) -> Settings:
    settings = workspace(
        tmp_path,
        {"ledgers/2026-01/.keep": "", "ledgers/2026-02/.keep": ""},
        master={"master/entities.csv": ENTITIES, "master/ownership.csv": rows},
    )
    if keys:
        toml = settings.root / "closekit.toml"
        toml.write_text(toml.read_text().replace("[accounts]\n", V2_ACCOUNTS.lstrip()))
    return load_settings(settings.root)


def problems(settings: Settings) -> list[str]:
    with pytest.raises(InvalidInput) as refused:
        read_master(settings)
    return refused.value.lines()


def test_ownership_rows_are_stored_with_their_origin(tmp_path: Path) -> None:
    settings = with_ownership(
        tmp_path,
        """
        entity,from,parent,ownership_pct,method,fair_value
        N,2026-01,,,none,
        N,2026-02,P,70,full,
        U,2026-02,P,90.5,full,
        """,
    )
    tables, _ = read_master(settings)
    assert [r[:5] for r in tables["ownership"]] == [
        ("N", "2026-01", "", Decimal(0), "none"),
        ("N", "2026-02", "P", Decimal(70), "full"),
        ("U", "2026-02", "P", Decimal("90.5"), "full"),
    ]
    assert tables["ownership"][1][-2:] == ("master/ownership.csv", 3)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("X,2026-02,P,70,full", 'master/ownership.csv:2 entity: unknown entity "X"'),
        (
            "P,2026-02,,,none",
            "master/ownership.csv:2 entity: P is the top entity; it has no ownership rows",
        ),
        ("N,2026-2,P,70,full", 'master/ownership.csv:2 from: "2026-2" is not a period (YYYY-MM)'),
        ("N,2026-02,Q,70,full", 'master/ownership.csv:2 parent: unknown entity "Q"'),
        (
            "N,2026-02,,70,full",
            "master/ownership.csv:2 parent: a full row needs the parent that holds it",
        ),
        (
            "N,2026-02,P,0,full",
            "master/ownership.csv:2 ownership_pct: 0 is not within 0 < x <= 100",
        ),
        (
            "N,2026-02,P,70.1234567,full",
            "master/ownership.csv:2 ownership_pct: 70.1234567 has more than 6 decimal places",
        ),
        (
            "N,2026-02,P,70,owned",
            'master/ownership.csv:2 method: "owned" is not one of full | equity | none',
        ),
        (
            "N,2026-02,P,70,full\nN,2026-02,P,80,full",
            "master/ownership.csv:3 from: N 2026-02 appears twice (first on row 2)",
        ),
        (
            "U,2026-02,N,80,full",
            "master/ownership.csv:2 parent: U from 2026-02 changes parent from P to N while "
            "consolidated (restructuring under common control is not supported in v2)",
        ),
        (
            "U,2026-02,P,20,equity",
            "master/ownership.csv:2 fair_value: U from 2026-02 remeasures a held stake; "
            "its fair value is required",
        ),
        (
            "N,2026-02,U,70,none\nU,2026-02,N,80,none",
            "master/ownership.csv:2 parent: in 2026-02 the structure is no tree: N -> U -> N",
        ),
    ],
)
def test_each_ownership_rule_can_fail(tmp_path: Path, rows: str, expected: str) -> None:
    header = "entity,from,parent,ownership_pct,method\n"
    assert expected in problems(with_ownership(tmp_path, header + rows))


def test_a_step_acquisition_needs_the_fair_value_of_the_stake_held(tmp_path: Path) -> None:
    """IFRS 3.42: N held at 70% as an investment at cost (entities.csv: none)
    becomes a subsidiary; the stake held is remeasured at fair value."""
    header = "entity,from,parent,ownership_pct,method,fair_value\n"
    assert problems(with_ownership(tmp_path, header + "N,2026-02,P,90,full,")) == [
        "master/ownership.csv:2 fair_value: N from 2026-02 remeasures a held stake; "
        "its fair value is required"
    ]


def test_migration_columns_only_on_the_first_period(tmp_path: Path) -> None:
    settings = with_ownership(
        tmp_path,
        """
        entity,from,parent,ownership_pct,method,pre_acquisition_equity,acquisition_rate
        U,2026-01,P,80,full,1000.00,
        N,2026-01,,,none,,
        N,2026-02,P,70,full,500.00,7.5
        """,
    )
    assert problems(settings) == [
        "master/ownership.csv:4 pre_acquisition_equity: migration columns are allowed only on a "
        "row whose from is the first period (2026-01)",
        "master/ownership.csv:2 acquisition_rate: is required on a migration row",
    ]


def test_an_event_needs_its_account_setting(tmp_path: Path) -> None:
    """SPEC 14/20: a missing [accounts] key for an event the rows imply
    refuses, naming the event and the setting."""
    settings = with_ownership(
        tmp_path,
        """
        entity,from,parent,ownership_pct,method,fair_value
        U,2026-02,P,90,full,
        N,2026-01,,,none,
        N,2026-02,P,30,equity,
        """,
        keys=False,
    )
    assert problems(settings) == [
        "master/ownership.csv:4 method: N from 2026-02 is equity accounting; "
        "set [accounts] associate_result in closekit.toml",
        "master/ownership.csv:2 method: U from 2026-02 is a change in ownership; "
        "set [accounts] ownership_changes in closekit.toml",
    ]


def test_a_row_of_the_first_period_is_the_opening_structure_not_an_event(
    tmp_path: Path,
) -> None:
    """entities.csv lists U as a full subsidiary, but its row of the first
    period says it is not held: nothing was consolidated before, so it is no
    loss of control and needs no [accounts] disposal_gain (only the later
    row, an acquisition, is an event)."""
    settings = with_ownership(
        tmp_path,
        """
        entity,from,parent,ownership_pct,method
        U,2026-01,,0,none
        U,2026-02,P,80,full
        """,
        keys=False,
    )
    tables, _ = read_master(settings)
    assert [r[:5] for r in tables["ownership"]] == [
        ("U", "2026-01", "", Decimal("0"), "none"),
        ("U", "2026-02", "P", Decimal("80"), "full"),
    ]


def test_holdings_at_takes_the_latest_row_in_force() -> None:
    base = {"S": Holding("P", Decimal(60), "full", "master/entities.csv:3")}
    rows = {
        "S": [
            ("2026-03", Holding("P", Decimal(80), "full", "master/ownership.csv:2")),
            ("2026-06", Holding("", Decimal(0), "none", "master/ownership.csv:3")),
        ]
    }
    assert holdings_at(base, rows, "2026-02")["S"].ownership == 60
    assert holdings_at(base, rows, "2026-03")["S"].ownership == 80
    assert holdings_at(base, rows, "2026-05")["S"].ownership == 80
    assert holdings_at(base, rows, "2026-06")["S"].method == "none"


def test_account_classes_default_inherit_and_validate(tmp_path: Path) -> None:
    """SPEC 19.2: cash_flow inherited from the parent when empty, defaults by
    type (investment role and goodwill: investing); oci and equity_column
    only on equity accounts."""
    lines = MASTER["master/accounts.csv"].strip("\n").split("\n")
    header, rows = lines[0] + ",cash_flow,oci,equity_column", [x + ",,," for x in lines[1:]]
    accounts = "\n".join([header, *rows])
    accounts = accounts.replace("1000,Cash,asset,1,,,,yes,,,", "1000,Cash,asset,1,,,,yes,cash,,")
    accounts = accounts.replace(
        "3300,CTA,equity,,,,,,,,", "3300,CTA,equity,,,,,,,,translation_reserve"
    )
    settings = workspace(tmp_path, master={"master/accounts.csv": accounts})
    tables, _ = read_master(settings)
    by_code = {r[0]: r for r in tables["account"]}
    assert [by_code[c][11] for c in ("1000", "1100", "1500", "1700", "2000", "3000", "4000")] == [
        "cash",
        "operating",
        "investing",
        "investing",
        "operating",
        "financing",
        "",
    ]
    assert by_code["3300"][13] == "translation_reserve"
    bad = accounts.replace("4000,Revenue,revenue,,,,,,,,", "4000,Revenue,revenue,,,,,,,keep,")
    bad = bad.replace(
        "1100,Receivables,asset,1,,,,yes,,,", "1100,Receivables,asset,1,,,,yes,bank,,"
    )
    settings = workspace(tmp_path / "bad", master={"master/accounts.csv": bad})
    assert problems(settings) == [
        'master/accounts.csv:4 cash_flow: "bank" is not one of cash | operating | investing | '
        "financing",
        "master/accounts.csv:17 oci: only equity accounts take oci (type is revenue)",
    ]

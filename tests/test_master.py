"""Master data (SPEC section 3): every rule can fail, and all problems are reported together."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closekit.errors import InvalidInput
from closekit.master import load_master, read_master
from closekit.workspace import load_settings
from tests.test_load_fixture import MASTER, connect, workspace


def problems_of(tmp_path: Path, master: dict[str, str | None]) -> list[str]:
    settings = workspace(tmp_path, master=master)
    with pytest.raises(InvalidInput) as caught:
        read_master(settings)
    return caught.value.lines()


def changed(file: str, old: str, new: str) -> dict[str, str | None]:
    """The fixture's master with one text replaced in one file."""
    assert old in MASTER[file], old
    return {file: MASTER[file].replace(old, new, 1)}


def test_load_master_stores_clean_tables(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    con = connect(settings)
    summary = load_master(settings, con)

    assert summary.counts["entity"] == 2
    assert summary.warnings == ()
    # currencies upper-case; the top entity's ownership is 100 (ignored)
    assert con.execute("SELECT entity, currency, ownership_pct, method FROM entity").fetchall() == [
        ("P", "CNY", Decimal(100), "full"),
        ("U", "USD", Decimal(80), "full"),
    ]
    # default rates by type; '1' is a summary account, listed above its children
    accounts = {
        a: (rate, summary_, key)
        for a, rate, summary_, key in con.execute(
            "SELECT account, rate, is_summary, sort_key FROM account"
        ).fetchall()
    }
    assert accounts["1"] == ("closing", True, 1)
    assert accounts["1000"] == ("closing", False, 2)
    assert accounts["1500"][0] == "historical"
    assert accounts["2000"][0] == "closing"
    assert accounts["3000"][0] == "historical"
    assert accounts["4000"][0] == "average"
    assert con.execute("SELECT revalue FROM account WHERE account = '1000'").fetchone() == (True,)
    # the group currency has rate 1 in every period that has rates
    assert con.execute(
        "SELECT period, closing, average FROM fx_rate WHERE currency = 'CNY' ORDER BY period"
    ).fetchall() == [("2026-01", Decimal(1), Decimal(1)), ("2026-02", Decimal(1), Decimal(1))]
    # exact cross rate: 7.10 / 7.75 = 0.916129032258064516|129... -> 18 places
    assert con.execute(
        "SELECT ratio FROM fx_cross WHERE period = '2026-01' AND kind = 'average' "
        "AND from_currency = 'USD' AND to_currency = 'EUR'"
    ).fetchone() == (Decimal("0.916129032258064516"),)
    files = dict(con.execute("SELECT path, rows FROM master_file").fetchall())
    assert files["master/accounts.csv"] == 22
    assert "master/allocations.csv" not in files  # optional


def test_enumerations_are_case_insensitive_and_stored_lower_case(tmp_path: Path) -> None:
    master = changed(
        "master/posting_rules.csv",
        "sales,goods,no,debit,1100,gross",
        "SALES,goods,No,Debit,1100,Gross",
    )
    settings = workspace(tmp_path, master=master)
    con = connect(settings)
    load_master(settings, con)
    assert con.execute(
        "SELECT module, intercompany, side, amount FROM posting_rule WHERE seq = 1"
    ).fetchone() == ("sales", "no", "debit", "gross")


def test_equity_method_is_accepted_with_a_warning(tmp_path: Path) -> None:
    """v2 (SPEC 16.2, 20): an equity entity is equity-accounted, so its share
    of profit needs [accounts] associate_result; with it, a warning only."""
    master = changed("master/entities.csv", "U,US Sub,usd,P,80,full", "U,US Sub,usd,P,80,Equity")
    settings = workspace(tmp_path, master=master)
    with pytest.raises(InvalidInput) as refused:
        read_master(settings)
    assert refused.value.lines() == [
        "master/entities.csv:3 method: U is equity-accounted; "
        "set [accounts] associate_result in closekit.toml"
    ]
    toml = settings.root / "closekit.toml"
    toml.write_text(
        toml.read_text().replace("[accounts]\n", '[accounts]\nassociate_result = "4000"\n')
    )
    settings = load_settings(settings.root)
    _, summary = read_master(settings)
    assert summary.warnings == (
        "master/entities.csv:3 method: entity U has method equity; it and the entities below "
        "it are not consolidated line by line",
    )


E, A, R, F = (
    "master/entities.csv",
    "master/accounts.csv",
    "master/posting_rules.csv",
    "master/fx_rates.csv",
)
SINGLE_DEFECTS = [
    (
        E,
        "U,US Sub,usd,P,80,full",
        "U,US Sub,usd,,80,full",
        'master/entities.csv:3 parent: second top entity "U" (first: "P"); exactly one entity has '
        "an empty parent",
    ),
    (
        E,
        "U,US Sub,usd,P,80,full",
        "U,US Sub,usd,Q,80,full",
        'master/entities.csv:3 parent: unknown entity "Q"',
    ),
    (
        E,
        "U,US Sub,usd,P,80,full",
        "U,US Sub,usd,P,0,full",
        "master/entities.csv:3 ownership_pct: 0 is not within 0 < x <= 100",
    ),
    (
        E,
        "U,US Sub,usd,P,80,full",
        "U,US Sub,usd,P,100.5,full",
        "master/entities.csv:3 ownership_pct: 100.5 is not within 0 < x <= 100",
    ),
    (
        E,
        "U,US Sub,usd,P,80,full",
        "U,US Sub,usd,P,,full",
        'master/entities.csv:3 ownership_pct: "" is not a number (0 < x <= 100)',
    ),
    (
        E,
        "U,US Sub,usd,P,80,full",
        "U,US Sub,usd,P,80,proportional",
        'master/entities.csv:3 method: "proportional" is not one of full | equity | none',
    ),
    (
        E,
        "U,US Sub,usd,P,80,full",
        "U,US Sub,dollar,P,80,full",
        'master/entities.csv:3 currency: "dollar" is not a three-letter currency code',
    ),
    (
        E,
        "U,US Sub,usd,P,80,full",
        "P,US Sub,usd,P,80,full",
        'master/entities.csv:3 entity: "P" appears twice (first on row 2)',
    ),
    (
        A,
        "1000,Cash,asset,1,,,,yes",
        "1000,Cash,assets,1,,,,yes",
        'master/accounts.csv:3 type: "assets" is not one of asset | liability | equity | revenue | '
        "expense",
    ),
    (
        A,
        "1000,Cash,asset,1,,,,yes",
        "1000,Cash,asset,1,spot,,,yes",
        'master/accounts.csv:3 rate: "spot" is not one of closing | average | historical',
    ),
    (
        A,
        "1000,Cash,asset,1,,,,yes",
        "1000,Cash,asset,1,average,,,yes",
        "master/accounts.csv:3 revalue: only closing-rate accounts are revalued (rate is average)",
    ),
    (
        A,
        "1000,Cash,asset,1,,,,yes",
        "1000,Cash,asset,1,,,,true",
        'master/accounts.csv:3 revalue: "true" is not one of yes | no',
    ),
    (
        A,
        "1150,IC receivables,asset,1,,1190,,yes",
        "1150,IC receivables,asset,1,,1199,,yes",
        'master/accounts.csv:5 ic_plug: unknown account "1199"',
    ),
    (
        A,
        "1500,Investments,asset,1,historical,,investment,",
        "1500,Investments,asset,1,historical,1190,investment,",
        "master/accounts.csv:9 ic_plug: an investment account is eliminated against share capital, "
        "not through an ic_plug",
    ),
    (
        A,
        "3000,Share capital,equity,,,,share_capital,",
        "3000,Share capital,equity,,,,capital,",
        'master/accounts.csv:13 role: "capital" is not one of share_capital | investment | '
        "ic_difference | dividend_income | disposal_gain | inventory",
    ),
    (
        A,
        "1200,Inventory,asset,1,,,,",
        "1200,Inventory,asset,1,,,dividend_income,",
        "master/accounts.csv:7 role: role dividend_income needs an account of type revenue",
    ),
    (
        A,
        "1,Assets,asset,,,,,",
        "1,Assets,asset,1000,,,,",
        "master/accounts.csv:2 parent: account parents form a cycle: 1 -> 1000 -> 1",
    ),
    (
        A,
        "1150,IC receivables,asset,1,,1190,,yes",
        "1150,IC receivables,asset,1,,1,,yes",
        'master/accounts.csv:5 ic_plug: plug account "1" is a summary account; nothing posts to it',
    ),
    (
        A,
        "7100,FX gain/loss,expense,,,,,\n",
        "",
        'closekit.toml [accounts] fx_gain_loss: "7100" is not a posting account in master/accounts',
    ),
    (
        "master/business_units.csv",
        "PCS,PCs,ALL",
        "PCS,PCs,XX",
        'master/business_units.csv:3 parent: unknown business unit "XX"',
    ),
    (
        "master/business_units.csv",
        "ALL,All,",
        "ALL,All,PCS",
        "master/business_units.csv:2 parent: business unit parents form a cycle: ALL -> PCS -> ALL",
    ),
    (
        "master/profit_centers.csv",
        "PC1,Laptops,PCS",
        "PC1,Laptops,NOPE",
        'master/profit_centers.csv:2 business_unit: unknown business unit "NOPE"',
    ),
    (
        "master/cost_centers.csv",
        "CCU,Sales U,U,Sales,PC1",
        "CCU,Sales U,Z,Sales,PC1",
        'master/cost_centers.csv:3 entity: unknown entity "Z"',
    ),
    (
        "master/cost_centers.csv",
        "CCU,Sales U,U,Sales,PC1",
        "CCU,Sales U,U,Sales,PC7",
        'master/cost_centers.csv:3 profit_center: unknown profit center "PC7"',
    ),
    (
        F,
        "2026-01,USD,7.20,7.10",
        "2026-01,USD,7.20,7.12345678901",
        "master/fx_rates.csv:2 average: 7.12345678901 has more than 10 decimal places",
    ),
    (
        F,
        "2026-01,USD,7.20,7.10",
        "2026-01,USD,-7.20,7.10",
        "master/fx_rates.csv:2 closing: -7.20 is not positive",
    ),
    (
        F,
        "2026-01,USD,7.20,7.10",
        "2026-01,USD,7.2e0,7.10",
        'master/fx_rates.csv:2 closing: "7.2e0" is not a number',
    ),
    (
        F,
        "2026-01,USD,7.20,7.10",
        "2026-13,USD,7.20,7.10",
        'master/fx_rates.csv:2 period: "2026-13" is not a period (YYYY-MM)',
    ),
    (
        F,
        "2026-01,EUR,7.80,7.75",
        "2026-01,usd,7.80,7.75",
        "master/fx_rates.csv:3 currency: USD 2026-01 appears twice (first on row 2)",
    ),
    (
        F,
        "2026-01,EUR,7.80,7.75",
        "2026-01,CNY,1,1.01",
        "master/fx_rates.csv:3 average: the group currency CNY has rate 1, not 1.01",
    ),
    (
        R,
        "sales,goods,no,credit,2100,tax",
        "sales,goods,no,credit,2100,net",
        "master/posting_rules.csv:2 amount: rule set sales/goods/no does not balance: debit and "
        "credit differ by -1 x net, +1 x tax",
    ),
    (
        R,
        "inventory,sale_issue,any,credit,1200,value",
        "inventory,sale_issue,any,debit,1200,value",
        "master/posting_rules.csv:11 amount: rule set inventory/sale_issue/any does not balance: "
        "debit and credit differ by +2 x value",
    ),
    (
        R,
        "sales,goods,no,credit,4000,net",
        "sales,goods,no,credit,1,net",
        'master/posting_rules.csv:3 account: "1" is not a posting account',
    ),
    (
        R,
        "sales,goods,no,credit,4000,net",
        "sales,goods,no,credit,4000,value",
        "master/posting_rules.csv:3 amount: sales rows carry net, tax, gross, not value",
    ),
    (
        R,
        "sales,goods,no,credit,4000,net",
        "sales,goods,maybe,credit,4000,net",
        'master/posting_rules.csv:3 intercompany: "maybe" is not one of yes | no | any',
    ),
    (
        R,
        "sales,goods,no,credit,4000,net",
        "rentals,goods,no,credit,4000,net",
        'master/posting_rules.csv:3 module: "rentals" is not one of '
        "sales | purchasing | inventory | expenses",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    SINGLE_DEFECTS,
    ids=[d[3].split(":")[0] + ":" + d[3].split(" ")[1] for d in SINGLE_DEFECTS],
)
def test_each_master_rule_can_fail(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    assert expected in problems_of(tmp_path, changed(file, old, new))


def test_allocation_rules(tmp_path: Path) -> None:
    allocations = """
        cycle,sender,receiver,basis,share
        C1,CCP,PC1,fixed,0.6
        C1,CCP,PC9,fixed,0.3
        C2,PC1,PC1,revenue,0.5
        C3,CCU,PC1,weird,
    """
    lines = problems_of(tmp_path, {"master/allocations.csv": allocations})
    assert lines == [
        'master/allocations.csv:3 receiver: "PC9" is not a profit center',
        'master/allocations.csv:4 sender: "PC1" is not a cost center',
        "master/allocations.csv:4 share: must be empty for basis revenue",
        'master/allocations.csv:5 basis: "weird" is not one of fixed | revenue',
        "master/allocations.csv:2 share: shares of cycle C1 sender CCP sum to 0.9, not 1",
    ]


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    master = {
        **changed("master/entities.csv", "U,US Sub,usd,P,80,full", "U,US Sub,usd,U,150,full"),
        **changed("master/cost_centers.csv", "CCU,Sales U,U,Sales,PC1", "CCU,Sales U,X,Sales,PC1"),
        **changed("master/fx_rates.csv", "2026-02,USD,7.30,7.25", "2026-02,USD,7.30,abc"),
        "master/profit_centers.csv": None,  # the file is removed
    }
    lines = problems_of(tmp_path, master)
    assert lines == [
        "master/profit_centers.csv: master file is missing",
        "master/entities.csv:3 parent: entity parents form a cycle: U -> U",
        "master/entities.csv:3 ownership_pct: 150 is not within 0 < x <= 100",
        'master/cost_centers.csv:3 entity: unknown entity "X"',
        'master/cost_centers.csv:3 profit_center: unknown profit center "PC1"',
        'master/fx_rates.csv:4 average: "abc" is not a number',
    ]


def test_missing_required_column(tmp_path: Path) -> None:
    lines = problems_of(
        tmp_path, {"master/profit_centers.csv": "profit_center,name\nPC1,Laptops\n"}
    )
    assert "master/profit_centers.csv:1 business_unit: required column is missing" in lines

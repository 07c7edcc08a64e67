"""End to end: an inline workspace loaded, posted and consolidated via the CLI."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from test_consolidate_helpers import d

from closekit import db
from closekit.cli import main
from closekit.consolidation import node_trial_balance
from closekit.load import load_period
from closekit.post import post_period
from closekit.workspace import load_settings
from tests.inline import write_workspace

MASTER = {
    "master/entities.csv": """
        entity,name,currency,parent,ownership_pct,method
        P,Parent Co,CNY,,,
        S,US Sub,USD,P,75,full
    """,
    "master/accounts.csv": """
        account,name,type,parent,rate,ic_plug,role,revalue
        1000,Cash,asset,,,,,
        1200,IC receivables,asset,,,1990,,
        1500,Investments,asset,,historical,,investment,
        1700,Goodwill,asset,,,,,
        1990,IC difference,asset,,,,ic_difference,
        2200,IC payables,liability,,,1990,,
        3000,Share capital,equity,,,,share_capital,
        3200,Retained earnings,equity,,,,,
        3300,CTA,equity,,,,,
        3900,NCI,equity,,,,,
        4000,Revenue,revenue,,,,,
        6950,Allocations,expense,,,,,
        7100,FX gain/loss,expense,,,,,
        8900,NCI share of profit,expense,,,,,
    """,
    "master/business_units.csv": "business_unit,name,parent\nBU1,Unit,\n",
    "master/profit_centers.csv": "profit_center,name,business_unit\nPC1,Profit center,BU1\n",
    "master/cost_centers.csv": "cost_center,name,entity,department,profit_center\n",
    "master/posting_rules.csv": "module,kind,intercompany,side,account,amount\n",
    "master/fx_rates.csv": """
        period,currency,closing,average
        2026-01,USD,7.2,7.1
    """,
    # S opens with 1,000 USD of capital translated at 7.0; P paid 5,600 for 75%.
    "ledgers/2026-01/opening.csv": """
        doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,amount,amount_group
        O1,1,2026-01-01,P,CNY,1500,S,,,5600,
        O1,2,2026-01-01,P,CNY,1000,,,,10000,
        O1,3,2026-01-01,P,CNY,3000,,,,-15600,
        O2,1,2026-01-01,S,USD,1000,,,,1000,
        O2,2,2026-01-01,S,USD,3000,,,,-1000,-7000
    """,
    # S earns 180 USD; P lends S 720 CNY booked by S as 100 USD.
    "ledgers/2026-01/journals.csv": """
        doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,debit,credit
        J1,1,2026-01-15,S,USD,1000,,,,180,
        J1,2,2026-01-15,S,USD,4000,,PC1,,,180
        J2,1,2026-01-20,P,CNY,1200,S,,,720,
        J2,2,2026-01-20,P,CNY,1000,,,,,720
        J3,1,2026-01-20,S,USD,1000,,,,100,
        J3,2,2026-01-20,S,USD,2200,P,,,,100
    """,
}


def test_load_post_consolidate(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, MASTER)
    settings = load_settings(root)
    con = db.connect(settings)
    try:
        assert load_period(settings, con, "2026-01").clean
        post_period(settings, con, "2026-01")
    finally:
        con.close()

    result = CliRunner().invoke(main, ["-w", str(root), "consolidate", "2026-01"])
    assert result.exit_code == 0, result.output
    # S translated: cash 1,280 x 7.2 = 9,216.00; IC payable -720.00; capital
    # -7,000.00; revenue -180 x 7.1 = -1,278.00; CTA -218.00.
    # Group: goodwill 5,600 - 75% x 7,000 = 350 CNY at the historical rate 7.0
    # of S's capital = 50 USD (SPEC 15.2), at closing 7.2 = 360.00 (10.00 to
    # CTA); assets = cash 9,280 + 9,216 + 360 = 18,856.00; NCI in profit
    # 25% x 1,278 = 319.50.
    assert result.output == (
        "node  name       members\n"
        "----  ---------  -------\n"
        "P     Parent Co        2\n"
        "\n"
        "group P (CNY, year to date)                     amount\n"
        "-------------------------------------------  ---------\n"
        "total assets                                 18,856.00\n"
        "profit for the period                         1,278.00\n"
        "  attributable to owners of the parent          958.50\n"
        "  attributable to non-controlling interests     319.50\n"
    )

    con = db.connect(settings, read_only=True)
    try:
        tb = {x.account: x.amount for x in node_trial_balance(con, settings, "2026-01", "P", "ytd")}
    finally:
        con.close()
    assert tb == {
        "1000": d("18496.00"),
        "1700": d("360.00"),  # 50 USD x 7.2 (SPEC 15.2)
        "3000": d("-15600.00"),
        "3300": d("-173.50"),  # -218.00 less the NCI's 25% (54.50), less 10.00 on goodwill
        "3900": d("-2124.00"),  # 1,750.00 capital + 319.50 profit + 54.50 CTA
        "4000": d("-1278.00"),
        "8900": d("319.50"),
    }

    csv = CliRunner().invoke(
        main, ["-w", str(root), "tb", "2026-01", "--node", "P", "--format", "csv"]
    )
    assert csv.exit_code == 0, csv.output
    assert csv.output.splitlines()[1] == "1000,Cash,asset,18496.00"


def test_consolidate_refuses_an_unposted_period(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, MASTER)
    result = CliRunner().invoke(main, ["-w", str(root), "consolidate", "2026-01"])
    assert result.exit_code == 2
    # the first step missing
    assert result.stderr == (
        "Error: period 2026-01 is not loaded yet; run `closekit load 2026-01` first\n"
    )


def test_consolidate_lists_ic_pairs_outside_tolerance(tmp_path: Path) -> None:
    # S books only 98 USD of P's 720 CNY loan: -98 x 7.2 = -705.60, a 14.40 difference.
    files = dict(MASTER)
    files["ledgers/2026-01/journals.csv"] = (
        MASTER["ledgers/2026-01/journals.csv"]
        .replace("J3,1,2026-01-20,S,USD,1000,,,,100,", "J3,1,2026-01-20,S,USD,1000,,,,98,")
        .replace("J3,2,2026-01-20,S,USD,2200,P,,,,100", "J3,2,2026-01-20,S,USD,2200,P,,,,98")
    )
    root = write_workspace(tmp_path, files)
    settings = load_settings(root)
    con = db.connect(settings)
    try:
        load_period(settings, con, "2026-01")
        post_period(settings, con, "2026-01")
    finally:
        con.close()
    result = CliRunner().invoke(main, ["-w", str(root), "consolidate", "2026-01"])
    assert result.exit_code == 0, result.output
    assert result.output.split("intercompany pairs outside tolerance:\n")[1] == (
        "entity  partner  plug  entity side  partner side  difference\n"
        "------  -------  ----  -----------  ------------  ----------\n"
        "P       S        1990       720.00      (705.60)       14.40\n"
    )


def test_consolidate_refuses_without_a_closing_rate(tmp_path: Path) -> None:
    files = dict(MASTER)
    files["master/fx_rates.csv"] = "period,currency,closing,average\n2026-01,USD,,7.1\n"
    root = write_workspace(tmp_path, files)
    settings = load_settings(root)
    con = db.connect(settings)
    try:
        load_period(settings, con, "2026-01")
        post_period(settings, con, "2026-01")
    finally:
        con.close()
    result = CliRunner().invoke(main, ["-w", str(root), "consolidate", "2026-01"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: cannot translate 2026-01: fx_rates.csv lacks USD 2026-01 (closing)\n"
    )

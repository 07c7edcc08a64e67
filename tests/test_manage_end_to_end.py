"""End to end: an inline workspace loaded, posted, consolidated and managed.

P (CNY) is the group parent; S (USD) its subsidiary, translated at the
average rate: 7.0 in January, 7.1 in February. Group IT (cost center IT of
P, a shared service) is allocated on revenue to PC1, PC2 (business unit HW)
and PC3 (SW). S charges P a service fee of 50 USD (350.00 CNY), eliminated
at the group.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit import db
from closekit.checks import CheckContext
from closekit.checks.management import vertical_horizontal
from closekit.cli import main
from closekit.consolidation import consolidate_period
from closekit.load import load_period
from closekit.manage import manage_period
from closekit.post import post_period
from closekit.vertical import Figures, allocation_report, bu_pnl
from closekit.workspace import load_settings
from tests.inline import write_workspace

JOURNAL_HEADER = (
    "doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,debit,credit"
)

WORKSPACE = {
    "master/entities.csv": """
        entity,name,currency,parent,ownership_pct,method
        P,Parent Co,CNY,,,
        S,US Sub,USD,P,100,full
    """,
    "master/accounts.csv": """
        account,name,type,parent,rate,ic_plug,role,revalue
        1000,Cash,asset,,,,,
        1200,IC receivables,asset,,,1990,,
        1700,Goodwill,asset,,,,,
        1990,IC difference,asset,,,,ic_difference,
        2200,IC payables,liability,,,1990,,
        3200,Retained earnings,equity,,,,,
        3300,CTA,equity,,,,,
        3900,NCI,equity,,,,,
        4000,Revenue,revenue,,,,,
        4100,IC service revenue,revenue,,,6900,,
        6000,Operating expense,expense,,,,,
        6100,IC service expense,expense,,,6900,,
        6900,IC P&L difference,expense,,,,ic_difference,
        6950,Allocations,expense,,,,,
        7100,FX gain/loss,expense,,,,,
        8900,NCI share of profit,expense,,,,,
    """,
    "master/business_units.csv": """
        business_unit,name,parent
        GRP,Group,
        HW,Hardware,GRP
        SW,Software,GRP
    """,
    "master/profit_centers.csv": """
        profit_center,name,business_unit
        PC1,Laptops,HW
        PC2,Desktops,HW
        PC3,Cloud,SW
    """,
    "master/cost_centers.csv": """
        cost_center,name,entity,department,profit_center
        IT,Group IT,P,IT,
        OPS,Cloud operations,S,Operations,PC3
    """,
    "master/allocations.csv": """
        cycle,sender,receiver,basis,share
        A-IT,IT,PC3,revenue,
        A-IT,IT,PC1,revenue,
        A-IT,IT,PC2,revenue,
    """,
    "master/posting_rules.csv": "module,kind,intercompany,side,account,amount\n",
    "master/fx_rates.csv": """
        period,currency,closing,average
        2026-01,USD,7.2,7.0
        2026-02,USD,7.3,7.1
    """,
    "ledgers/2026-01/journals.csv": f"""
        {JOURNAL_HEADER}
        J1,1,2026-01-10,P,CNY,1000,,,,3000,
        J1,2,2026-01-10,P,CNY,4000,,PC1,,,1000
        J1,3,2026-01-10,P,CNY,4000,,PC2,,,2000
        J2,1,2026-01-20,P,CNY,6000,,,IT,900,
        J2,2,2026-01-20,P,CNY,1000,,,,,900
        J3,1,2026-01-25,P,CNY,6100,S,PC1,,350,
        J3,2,2026-01-25,P,CNY,2200,S,,,,350
        K1,1,2026-01-10,S,USD,1000,,,,100,
        K1,2,2026-01-10,S,USD,4000,,PC3,,,100
        K2,1,2026-01-25,S,USD,1200,P,,,50,
        K2,2,2026-01-25,S,USD,4100,P,PC3,,,50
        K4,1,2026-01-28,S,USD,6000,,,OPS,20,
        K4,2,2026-01-28,S,USD,1000,,,,,20
    """,
    "ledgers/2026-02/journals.csv": f"""
        {JOURNAL_HEADER}
        J4,1,2026-02-10,P,CNY,1000,,,,500,
        J4,2,2026-02-10,P,CNY,4000,,PC1,,,500
        J5,1,2026-02-20,P,CNY,6000,,,IT,450,
        J5,2,2026-02-20,P,CNY,1000,,,,,450
        K5,1,2026-02-10,S,USD,1000,,,,100,
        K5,2,2026-02-10,S,USD,4000,,PC3,,,100
    """,
}


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace with both months closed through the management step (once)."""
    root = write_workspace(tmp_path_factory.mktemp("e2e"), WORKSPACE)
    settings = load_settings(root)
    con = db.connect(settings)
    try:
        for period in ("2026-01", "2026-02"):
            assert load_period(settings, con, period).clean
            post_period(settings, con, period)
            consolidate_period(settings, con, period)
            manage_period(settings, con, period)
            check = vertical_horizontal(CheckContext(settings, con, period))
            assert check.status == "pass", check.detail
    finally:
        con.close()
    return root


def test_january_by_business_unit(closed: Path) -> None:
    settings = load_settings(closed)
    con = db.connect(settings, read_only=True)
    lines = {x.code or x.kind: x.month for x in bu_pnl(con, settings, "2026-01")}
    allocations = allocation_report(con, settings, "2026-01")
    con.close()

    # Revenue of January by profit center: PC1 1,000.00, PC2 2,000.00,
    # PC3 100 USD x 7.0 + the IC fee 350.00 = 1,050.00; total 4,050.00.
    # IT's 900.00: PC1 900 x 1000/4050 = 222.222 -> 222.22,
    # PC2 900 x 2000/4050 = 444.444 -> 444.44, PC3 (last) 900 - 666.66 = 233.34.
    assert [(a.receiver, a.amount) for a in allocations] == [
        ("PC1", D("222.22")),
        ("PC2", D("444.44")),
        ("PC3", D("233.34")),
    ]
    # PC1 also bears the IC fee (350.00) on its own profit center.
    assert lines["PC1"] == Figures(D("1000.00"), D("350.00"), D("222.22"), D("427.78"))
    assert lines["PC2"] == Figures(D("2000.00"), D("0.00"), D("444.44"), D("1555.56"))
    # PC3: OPS's 20 USD = 140.00 reaches it through the cost center.
    assert lines["PC3"] == Figures(D("1050.00"), D("140.00"), D("233.34"), D("676.66"))
    assert lines["unallocated"] == Figures(D("0.00"), D("900.00"), D("-900.00"), D("0.00"))
    # Loading refuses P&L lines without profit center or cost center, so only
    # generated lines (revaluation, rounding) could be unassigned: none here.
    assert lines["unassigned"] == Figures()
    assert lines["eliminations"] == Figures(D("-350.00"), D("-350.00"), D("0.00"), D("0.00"))
    # Group: revenue 3,700.00, expense 900 + 350 + 140 - 350 = 1,040.00.
    assert lines["total"] == Figures(D("3700.00"), D("1040.00"), D("0.00"), D("2660.00"))


def test_february_month_ytd_and_prior_month_through_the_cli(closed: Path) -> None:
    result = CliRunner().invoke(main, ["-w", str(closed), "bu", "2026-02", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r.split(",")[2] or r.split(",")[0]: r for r in result.stdout.splitlines()[1:]}
    # February: PC1 500.00, PC3 100 USD x 7.1 = 710.00, total 1,210.00.
    # IT's 450.00: PC1 450 x 500/1210 = 185.950 -> 185.95; PC2 has no revenue,
    # no share; PC3 takes 450 - 185.95 = 264.05.
    # YTD allocations: PC1 222.22 + 185.95 = 408.17; PC3 233.34 + 264.05 = 497.39.
    assert rows["PC1"] == (
        "profit_center,2,PC1,Laptops,HW,500.00,0.00,185.95,314.05,"
        "1500.00,350.00,408.17,741.83,1000.00,350.00,222.22,427.78"
    )
    assert rows["PC3"] == (
        "profit_center,2,PC3,Cloud,SW,710.00,0.00,264.05,445.95,"
        "1760.00,140.00,497.39,1122.61,1050.00,140.00,233.34,676.66"
    )
    # Group: February 500 + 710 - 450 = 760.00; YTD 2,660.00 + 760.00.
    assert rows["total"] == (
        "total,0,,Group total,,1210.00,450.00,0.00,760.00,"
        "4910.00,1490.00,0.00,3420.00,3700.00,1040.00,0.00,2660.00"
    )

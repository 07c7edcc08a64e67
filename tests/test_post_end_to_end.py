"""From workspace files through load and post to trial balances, across a year end.

P (CNY, the group parent) owns U (USD). December 2025 is the first period
(opening balances); January 2026 starts a new fiscal year. Every figure is
worked by hand below.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closekit import db
from closekit.checks.base import CheckContext
from closekit.checks.posting import CHECKS
from closekit.load import load_period
from closekit.post import post_period
from closekit.workspace import load_settings
from tests.inline import write_workspace
from tests.test_post_fixture import money, tb

FILES = {
    "master/entities.csv": """
        entity,name,currency,parent,ownership_pct,method
        P,Parent Co,CNY,,,
        U,US Sub,USD,P,100,full
    """,
    "master/accounts.csv": """
        account,name,type,parent,rate,ic_plug,role,revalue
        1000,Cash,asset,,,,,yes
        1100,Receivables,asset,,,,,yes
        1300,Input VAT,asset,,,,,
        1700,Goodwill,asset,,,,,
        2000,Payables,liability,,,,,yes
        2100,Output VAT,liability,,,,,
        3000,Share capital,equity,,,,share_capital,
        3200,Retained earnings,equity,,,,,
        3300,CTA,equity,,,,,
        3900,NCI equity,equity,,,,,
        4000,Revenue,revenue,,,,,
        6000,Operating expenses,expense,,,,,
        6950,Allocations,expense,,,,,
        7100,FX gain/loss,expense,,,,,
        8900,NCI profit,expense,,,,,
    """,
    "master/business_units.csv": """
        business_unit,name,parent
        ALL,All,
    """,
    "master/profit_centers.csv": """
        profit_center,name,business_unit
        PC1,Laptops,ALL
    """,
    "master/cost_centers.csv": """
        cost_center,name,entity,department,profit_center
        CCP,Finance P,P,Finance,
    """,
    "master/fx_rates.csv": """
        period,currency,closing,average
        2025-12,USD,7.10,7.00
        2026-01,USD,7.20,7.15
        2026-01,EUR,7.80,7.7777777
    """,
    "master/posting_rules.csv": """
        module,kind,intercompany,side,account,amount
        sales,goods,any,debit,1100,gross
        sales,goods,any,credit,4000,net
        sales,goods,any,credit,2100,tax
        expenses,travel,any,debit,6000,net
        expenses,travel,any,debit,1300,tax
        expenses,travel,any,credit,2000,gross
    """,
    "ledgers/2025-12/opening.csv": """
        doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,amount,amount_group
        OB1,1,2025-12-01,P,CNY,1000,,,,50000.00,
        OB1,2,2025-12-01,P,CNY,3000,,,,-50000.00,
        OB2,1,2025-12-01,U,USD,1000,,,,1000.00,7000.00
        OB2,2,2025-12-01,U,USD,3000,,,,-1000.00,-7000.00
    """,
    "ledgers/2025-12/sales.csv": """
        doc_id,line,date,entity,currency,kind,customer,partner,profit_center,net_amount,tax_amount
        S1,1,2025-12-15,P,USD,goods,Contoso,,PC1,1000.00,
    """,
    "ledgers/2025-12/expenses.csv": """
        doc_id,line,date,entity,currency,kind,payee,partner,profit_center,cost_center,net_amount,tax_amount
        E1,1,2025-12-20,P,CNY,travel,Li Lei,,,CCP,300.00,
    """,
    "ledgers/2026-01/journals.csv": """
        doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,debit,credit,description
        R1,1,2026-01-10,P,USD,1000,,,,400.00,,receipt from Contoso
        R1,2,2026-01-10,P,USD,1100,,PC1,,,400.00,receipt from Contoso
        J1,1,2026-01-31,P,EUR,6000,,,CCP,33.33,,audit fee
        J1,2,2026-01-31,P,EUR,6000,,,CCP,33.33,,legal fee
        J1,3,2026-01-31,P,EUR,2000,,,,,66.66,
    """,
    "ledgers/2026-01/sales.csv": """
        doc_id,line,date,entity,currency,kind,customer,partner,profit_center,net_amount,tax_amount
        S2,1,2026-01-20,P,CNY,goods,Fabrikam,,PC1,200.00,26.00
    """,
}


@pytest.fixture
def closed(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = load_settings(write_workspace(tmp_path, FILES))
    con = db.connect(settings)
    for period in ("2025-12", "2026-01"):
        report = load_period(settings, con, period)
        assert all(f.rejected == 0 for f in report.files), report
        post_period(settings, con, period)
    yield settings, con
    con.close()


def test_december_opening_sale_and_month_end_revaluation(closed) -> None:  # type: ignore[no-untyped-def]
    settings, con = closed
    # S1: USD 1000 at average 7.00 = 7000.00; closing 7.10 -> 7100.00, a 100.00 gain.
    # E1: Dr 6000 300 / Cr 2000 300.
    assert tb(con, settings, "2025-12", "P") == money(
        {"1000": "50000.00", "1100": "7100.00", "2000": "-300.00", "3000": "-50000.00",
         "4000": "-7000.00", "6000": "300.00", "7100": "-100.00"}
    )  # fmt: skip
    assert tb(con, settings, "2025-12", "U") == money({"1000": "1000.00", "3000": "-1000.00"})


def test_january_receipt_residue_revaluation_and_year_end_roll(closed) -> None:  # type: ignore[no-untyped-def]
    settings, con = closed
    # R1: USD 400 x 7.15 = 2860.00 into cash, off the receivable.
    # Month end at 7.20: cash USD 400 -> 2880.00 (+20.00);
    #   receivable USD 600, booked 7100 - 2860 = 4240.00 -> 4320.00 (+80.00).
    # J1 in EUR at 7.7777777: 33.33 -> 259.23 (twice), 66.66 -> 518.47; residue +0.01 to 7100;
    #   payable EUR 66.66 at 7.80 = 519.95 -> 1.48 more (a loss).
    # S2: Dr 1100 226 / Cr 4000 200 / Cr 2100 26.
    # Year end: December's P&L (-7000 + 300 - 100 = -6800) now stands on 3200.
    # 7100 YTD = 0.01 + 1.48 - 20.00 - 80.00 = -98.51.
    assert tb(con, settings, "2026-01", "P") == money(
        {"1000": "52880.00", "1100": "4546.00", "2000": "-819.95", "2100": "-26.00",
         "3000": "-50000.00", "3200": "-6800.00", "4000": "-200.00", "6000": "518.46",
         "7100": "-98.51"}
    )  # fmt: skip
    # January's movement: the roll is no movement; 1100 = -2860 + 80 + 226.
    assert tb(con, settings, "2026-01", "P", basis="period") == money(
        {"1000": "2880.00", "1100": "-2554.00", "2000": "-519.95", "2100": "-26.00",
         "4000": "-200.00", "6000": "518.46", "7100": "-98.51"}
    )  # fmt: skip
    # U's opening keeps its translated share capital (historical), not its cash (closing).
    assert con.execute(
        "SELECT account, amount_group FROM journal WHERE entity = 'U' ORDER BY account"
    ).fetchall() == [("1000", None), ("3000", Decimal("-7000.00"))]


def test_the_posting_checks_pass_on_both_periods(closed) -> None:  # type: ignore[no-untyped-def]
    settings, con = closed
    for period in ("2025-12", "2026-01"):
        results = [check(CheckContext(settings, con, period)) for check in CHECKS]
        assert [(r.check, r.status) for r in results] == [
            ("rows_accounted", "pass"), ("entries_balanced", "pass"), ("subledger_gl", "pass")
        ], results  # fmt: skip

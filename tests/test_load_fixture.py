"""A small group's workspace as files, for the load tests (no tests here).

P (CNY, the group parent) owns 80% of U (USD). Group currency CNY.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from closekit import db
from closekit.workspace import Settings, load_settings
from tests.inline import write_workspace

MASTER: dict[str, str] = {
    "master/entities.csv": """
        entity,name,currency,parent,ownership_pct,method
        P,Parent Co,CNY,,,
        U,US Sub,usd,P,80,full
    """,
    "master/accounts.csv": """
        account,name,type,parent,rate,ic_plug,role,revalue
        1,Assets,asset,,,,,
        1000,Cash,asset,1,,,,yes
        1100,Receivables,asset,1,,,,yes
        1150,IC receivables,asset,1,,1190,,yes
        1190,IC difference,asset,1,,,ic_difference,
        1200,Inventory,asset,1,,,,
        1300,Input VAT,asset,1,,,,
        1500,Investments,asset,1,historical,,investment,
        1700,Goodwill,asset,1,,,,
        2000,Payables,liability,,,,,yes
        2100,Output VAT,liability,,,,,
        3000,Share capital,equity,,,,share_capital,
        3200,Retained earnings,equity,,,,,
        3300,CTA,equity,,,,,
        3900,NCI equity,equity,,,,,
        4000,Revenue,revenue,,,,,
        4050,IC revenue,revenue,,,5000,,
        5000,Cost of sales,expense,,,,,
        6000,Operating expenses,expense,,,,,
        6950,Allocations,expense,,,,,
        7100,FX gain/loss,expense,,,,,
        8900,NCI profit,expense,,,,,
    """,
    "master/business_units.csv": """
        business_unit,name,parent
        ALL,All,
        PCS,PCs,ALL
    """,
    "master/profit_centers.csv": """
        profit_center,name,business_unit
        PC1,Laptops,PCS
    """,
    "master/cost_centers.csv": """
        cost_center,name,entity,department,profit_center
        CCP,Finance P,P,Finance,
        CCU,Sales U,U,Sales,PC1
    """,
    "master/fx_rates.csv": """
        period,currency,closing,average
        2026-01,USD,7.20,7.10
        2026-01,EUR,7.80,7.75
        2026-02,USD,7.30,7.25
    """,
    "master/posting_rules.csv": """
        module,kind,intercompany,side,account,amount
        sales,goods,no,debit,1100,gross
        sales,goods,no,credit,4000,net
        sales,goods,no,credit,2100,tax
        sales,goods,yes,debit,1150,gross
        sales,goods,yes,credit,4050,net
        sales,goods,yes,credit,2100,tax
        purchasing,stock,any,debit,1200,net
        purchasing,stock,any,debit,1300,tax
        purchasing,stock,any,credit,2000,gross
        inventory,sale_issue,any,debit,5000,value
        inventory,sale_issue,any,credit,1200,value
        expenses,travel,any,debit,6000,net
        expenses,travel,any,debit,1300,tax
        expenses,travel,any,credit,2000,gross
    """,
}

SALES = """
    doc_id,line,date,entity,currency,kind,customer,partner,profit_center,product,quantity,net_amount,tax_amount
    S1,1,2026-01-05,P,CNY,goods,C1,,PC1,X1,2,1000.00,130.00
    S2,1,2026-01-06,U,USD,goods,C2,,PC1,X1,1,100.00,
    S3,1,2026-01-07,P,CNY,goods,,U,PC1,X1,1,500.00,65.00
"""

EXPENSES = """
    doc_id,line,date,entity,currency,kind,payee,partner,profit_center,cost_center,description,net_amount,tax_amount
    E1,1,2026-01-10,P,CNY,travel,Air,,,CCP,trip,200.00,12.00
    E2,1,2026-01-11,U,EUR,travel,Hotel,,,CCU,hotel,100.00,0
"""

JOURNALS = """
    doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,debit,credit,description
    J1,1,2026-01-31,P,CNY,6000,,,CCP,50.00,,accrual
    J1,2,2026-01-31,P,CNY,2000,,,,,50.00,accrual
"""

OPENING = """
    doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,amount,amount_group
    O1,1,2026-01-01,U,USD,1000,,,,1000.00,
    O1,2,2026-01-01,U,USD,3000,,,,-1000.00,-7000.00
"""


def workspace(
    tmp_path: Path,
    files: dict[str, str] | None = None,
    master: Mapping[str, str | None] | None = None,
) -> Settings:
    """The small group, plus ``files`` (workspace-relative path -> text);
    ``master`` replaces master files (None removes one)."""
    chosen = {**MASTER, **(master or {})}
    body: dict[str, str] = {k: v for k, v in chosen.items() if v is not None}
    body.update(files or {})
    if not any(k.startswith("ledgers/") for k in body):
        body["ledgers/2026-01/.keep"] = ""
    return load_settings(write_workspace(tmp_path, body))


def period_files(period: str = "2026-01") -> dict[str, str]:
    return {
        f"ledgers/{period}/sales.csv": SALES,
        f"ledgers/{period}/expenses.csv": EXPENSES,
        f"ledgers/{period}/journals.csv": JOURNALS,
        f"ledgers/{period}/opening.csv": OPENING,
    }


def connect(settings: Settings) -> duckdb.DuckDBPyConnection:
    return db.connect(settings)

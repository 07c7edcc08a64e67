"""Document-level intercompany reconciliation (SPEC section 20), end to end.

P (CNY, the group) and its subsidiary S (USD) invoice each other services in
USD in January 2026. Rates: USD closing 7.20, average 7.10.

    doc    P (sales: Dr 1200 IC receivable gross, Cr 4200 IC revenue net)
           S (expenses: Dr 6200 IC expense net, Cr 2200 IC payable gross)
    INV-1  P USD 1,000 on 01-05; S USD 1,000 on 01-07  -> matched
           (S numbers it AP-0107 and gives ic_ref INV-1)
    INV-2  P USD   500 on 01-12; S USD   550 on 01-14  -> amount differs (USD -50 / +50)
    INV-3  P USD   200 on 01-28; S nothing             -> one side only (S missing)
    STL-1  journals: S pays INV-1, both sides, USD 1,000 on 01-31

Balances (1990 IC difference, plug of 1200/2200; 6990 IC P&L difference,
plug of 4200/6200):

    P 1200: USD 1,700 - 1,000 = 700, revalued at 7.20 = 5,040.00 (CNY = group)
    S 2200: USD -1,550 + 1,000 = -550 x 7.20 = -3,960.00
    1990 remainder: 5,040.00 - 3,960.00 = 1,080.00
    P 4200: -1,700 x 7.10 = -12,070.00; S 6200: 1,550 x 7.10 = 11,005.00
    6990 remainder: -12,070.00 + 11,005.00 = -1,065.00

Documents, measured as consolidation measures their balances: P's USD
receivable at the closing cross rate 7.20 (revaluation), S's USD payable at
its closing rate 7.20, P&L at the average rate 7.10:

    1990  INV-1  7,200.00 - 7,200.00 =      0.00   matched
          INV-2  3,600.00 - 3,960.00 =   -360.00   amount differs, USD -50.00
          INV-3  1,440.00 -     0    =  1,440.00   one side only
          journals P -7,200.00, S +7,200.00           (settlement)
          total                          1,080.00 = the remainder
    6990  INV-1 -7,100.00 + 7,100.00 =      0.00
          INV-2 -3,550.00 + 3,905.00 =    355.00   USD +50.00
          INV-3 -1,420.00            =  -1,420.00
          total                         -1,065.00 = the remainder

P's revaluation (+170 on USD 1,700 at 7.20 - 7.10, then -100 back on the
USD 1,000 settled) is what remeasuring each piece at 7.20 already shows, so
no revaluation or rounding line remains.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit import db
from closekit.cli import main
from closekit.consolidation import consolidate_period, intercompany_pairs
from closekit.consolidation.reconciliation import intercompany_reconciliation
from closekit.consolidation.reconciliation_records import ICReconciliation
from closekit.errors import UnknownCode
from closekit.load import load_period
from closekit.manage import manage_period
from closekit.post import post_period
from closekit.workspace import Settings, load_settings
from tests.inline import write_workspace

D = Decimal

MASTER = {
    "master/entities.csv": """
        entity,name,currency,parent,ownership_pct,method
        P,Parent Co,CNY,,,
        S,US Sub,USD,P,100,full
    """,
    "master/accounts.csv": """
        account,name,type,parent,rate,ic_plug,role,revalue
        1000,Cash,asset,,,,,yes
        1200,IC receivables,asset,,,1990,,yes
        1300,Input VAT,asset,,,,,
        1990,IC difference,asset,,,,ic_difference,
        1700,Goodwill,asset,,,,,
        2100,Output VAT,liability,,,,,
        2200,IC payables,liability,,,1990,,yes
        3000,Share capital,equity,,,,share_capital,
        3200,Retained earnings,equity,,,,,
        3300,CTA,equity,,,,,
        3900,NCI equity,equity,,,,,
        4200,IC service revenue,revenue,,,6990,,
        6200,IC service expense,expense,,,6990,,
        6950,Allocations,expense,,,,,
        6990,IC P&L difference,expense,,,,ic_difference,
        7100,FX gain/loss,expense,,,,,
        8900,NCI profit,expense,,,,,
    """,
    "master/business_units.csv": """
        business_unit,name,parent
        ALL,All,
    """,
    "master/profit_centers.csv": """
        profit_center,name,business_unit
        PC1,Services,ALL
    """,
    "master/cost_centers.csv": """
        cost_center,name,entity,department,profit_center
        CCS,Finance S,S,Finance,PC1
    """,
    "master/fx_rates.csv": """
        period,currency,closing,average
        2026-01,USD,7.20,7.10
    """,
    "master/posting_rules.csv": """
        module,kind,intercompany,side,account,amount
        sales,service,yes,debit,1200,gross
        sales,service,yes,credit,4200,net
        sales,service,yes,credit,2100,tax
        expenses,mgmt_fee,yes,debit,6200,net
        expenses,mgmt_fee,yes,debit,1300,tax
        expenses,mgmt_fee,yes,credit,2200,gross
    """,
}

LEDGERS = {
    "ledgers/2026-01/sales.csv": """
        doc_id,line,date,entity,currency,kind,customer,partner,profit_center,net_amount,tax_amount
        INV-1,1,2026-01-05,P,USD,service,US Sub,S,PC1,1000.00,
        INV-2,1,2026-01-12,P,USD,service,US Sub,S,PC1,500.00,
        INV-3,1,2026-01-28,P,USD,service,US Sub,S,PC1,200.00,
    """,
    "ledgers/2026-01/expenses.csv": """
        doc_id,line,date,entity,currency,kind,payee,partner,cost_center,net_amount,tax_amount,ic_ref
        AP-0107,1,2026-01-07,S,USD,mgmt_fee,Parent Co,P,CCS,1000.00,,INV-1
        INV-2,1,2026-01-14,S,USD,mgmt_fee,Parent Co,P,CCS,550.00,,
    """,
    "ledgers/2026-01/journals.csv": """
        doc_id,line,date,entity,currency,account,partner,debit,credit,description
        STL-1,1,2026-01-31,P,USD,1000,,1000.00,,INV-1 received
        STL-1,2,2026-01-31,P,USD,1200,S,,1000.00,INV-1 received
        STL-1,1,2026-01-31,S,USD,2200,P,1000.00,,INV-1 paid
        STL-1,2,2026-01-31,S,USD,1000,,,1000.00,INV-1 paid
    """,
}


def closed(root: Path, ledgers: dict[str, str] = LEDGERS) -> Settings:
    """Loaded, posted, consolidated and managed (ready for the reports)."""
    settings = load_settings(write_workspace(root, {**MASTER, **ledgers}))
    con = db.connect(settings)
    try:
        report = load_period(settings, con, "2026-01")
        assert report.clean, report.error_lines()
        post_period(settings, con, "2026-01")
        consolidate_period(settings, con, "2026-01")
        manage_period(settings, con, "2026-01")
    finally:
        con.close()
    return settings


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return closed(tmp_path_factory.mktemp("ic"))


def reconcile(settings: Settings, **kwargs: object) -> list[ICReconciliation]:
    con = db.connect(settings, read_only=True)
    try:
        return intercompany_reconciliation(con, settings, "2026-01", **kwargs)  # type: ignore[arg-type]
    finally:
        con.close()


def test_documents_explain_the_remainder_on_each_matching_account(workspace: Settings) -> None:
    [pair] = reconcile(workspace)
    assert (pair.entity, pair.partner, pair.node) == ("P", "S", "P")
    assert [(p.plug_account, p.entity_side, p.partner_side, p.difference) for p in pair.plugs] == [
        ("1990", D("5040.00"), D("-3960.00"), D("1080.00")),
        ("6990", D("-12070.00"), D("11005.00"), D("-1065.00")),
    ]
    rows = [
        (x.plug_account, x.source, x.ic_ref, x.status, x.missing_side, x.difference_doc,
         x.entity_amount, x.partner_amount, x.difference)
        for x in pair.lines
    ]  # fmt: skip
    assert rows == [
        ("1990", "document", "INV-2", "amount_differs", "", D("-50.00"),
         D("3600.00"), D("-3960.00"), D("-360.00")),
        ("1990", "document", "INV-3", "one_side_only", "S", None,
         D("1440.00"), D("0"), D("1440.00")),
        ("1990", "document", "INV-1", "matched", "", D("0.00"),
         D("7200.00"), D("-7200.00"), D("0.00")),
        ("1990", "journals", "", "not_document_based", "", None,
         D("-7200.00"), D("0"), D("-7200.00")),
        ("1990", "journals", "", "not_document_based", "", None,
         D("0"), D("7200.00"), D("7200.00")),
        ("6990", "document", "INV-2", "amount_differs", "", D("50.00"),
         D("-3550.00"), D("3905.00"), D("355.00")),
        ("6990", "document", "INV-3", "one_side_only", "S", None,
         D("-1420.00"), D("0"), D("-1420.00")),
        ("6990", "document", "INV-1", "matched", "", D("0.00"),
         D("-7100.00"), D("7100.00"), D("0.00")),
    ]  # fmt: skip
    for plug in pair.plugs:
        assert sum(x.difference for x in pair.lines_of(plug.plug_account)) == plug.difference


def test_totals_are_the_balance_level_pairs(workspace: Settings) -> None:
    [pair] = reconcile(workspace)
    con = db.connect(workspace, read_only=True)
    try:
        balance_level = intercompany_pairs(con, workspace, "2026-01", "P")
    finally:
        con.close()
    assert [(p.plug_account, p.entity_side, p.partner_side, p.difference) for p in pair.plugs] == [
        (p.plug_account, p.entity_side, p.partner_side, p.difference) for p in balance_level
    ]


def test_document_dates_ages_and_currencies(workspace: Settings) -> None:
    [pair] = reconcile(workspace)
    by_ref = {x.ic_ref: x for x in pair.lines_of("1990") if x.source == "document"}
    # the earliest booking of either side, aged at 2026-01-31
    assert [(r, by_ref[r].date, by_ref[r].age_days) for r in ("INV-1", "INV-2", "INV-3")] == [
        ("INV-1", date(2026, 1, 5), 26),
        ("INV-2", date(2026, 1, 12), 19),
        ("INV-3", date(2026, 1, 28), 3),
    ]
    # S's own number for INV-1, and INV-2 matched by S's doc_id (no ic_ref)
    assert (by_ref["INV-1"].entity_doc_ids, by_ref["INV-1"].partner_doc_ids) == ("INV-1", "AP-0107")
    inv2 = by_ref["INV-2"]
    assert (inv2.entity_currency, inv2.entity_amount_doc) == ("USD", D("500.00"))
    assert (inv2.partner_currency, inv2.partner_amount_doc) == ("USD", D("-550.00"))
    assert (inv2.entity_doc_ids, inv2.partner_doc_ids) == ("INV-2", "INV-2")


def test_all_plugs_and_one_pair(workspace: Settings) -> None:
    assert [p.plug_account for p in reconcile(workspace, all_plugs=True)[0].plugs] == [
        "1990",
        "6990",
    ]
    assert reconcile(workspace, pair="S/P") == reconcile(workspace)
    with pytest.raises(UnknownCode, match="unknown entity 'X'"):
        reconcile(workspace, pair="P/X")
    with pytest.raises(UnknownCode, match="expected ENTITY/PARTNER"):
        reconcile(workspace, pair="P")


def test_a_revaluation_left_over_and_rounding_are_lines_of_their_own(tmp_path: Path) -> None:
    """INV-5 and INV-6: each side books two invoices of USD 0.07.

    P (CNY) books each at 7.10: 0.497 -> 0.50, 1.00 on its receivable key;
    revaluation takes the key to USD 0.14 x 7.20 = 1.008 -> 1.01 (+0.01).
    Each invoice remeasured alone is 0.07 x 7.20 = 0.504 -> 0.50: the 0.01
    revaluation posted on the key stays as P's revaluation line.
    S (USD) translates its payable key at 7.20: -0.14 x 7.20 = -1.01; each
    invoice alone -0.50: the -0.01 is S's rounding line. The 1990 remainder
    is 1.01 - 1.01 = 0.00 = 0.00 + 0.00 + 0.01 - 0.01.
    On 6990 P's revenue is -1.00 (CNY books); S's expense key 0.14 x 7.10 =
    0.994 -> 0.99, each invoice 0.50: S's rounding line -0.01, the
    remainder -0.01."""
    ledgers = {
        "ledgers/2026-01/sales.csv": """
            doc_id,line,date,entity,currency,kind,customer,partner,profit_center,net_amount,tax_amount
            INV-5,1,2026-01-05,P,USD,service,US Sub,S,PC1,0.07,
            INV-6,1,2026-01-06,P,USD,service,US Sub,S,PC1,0.07,
        """,
        "ledgers/2026-01/expenses.csv": """
            doc_id,line,date,entity,currency,kind,payee,partner,cost_center,net_amount,tax_amount
            INV-5,1,2026-01-07,S,USD,mgmt_fee,Parent Co,P,CCS,0.07,
            INV-6,1,2026-01-07,S,USD,mgmt_fee,Parent Co,P,CCS,0.07,
        """,
    }
    [pair] = reconcile(closed(tmp_path, ledgers))
    assert [(x.source, x.ic_ref, x.status, x.difference) for x in pair.lines_of("1990")] == [
        ("document", "INV-5", "matched", D("0.00")),
        ("document", "INV-6", "matched", D("0.00")),
        ("revaluation", "", "not_document_based", D("0.01")),
        ("rounding", "", "not_document_based", D("-0.01")),
    ]
    assert [(x.source, x.entity_amount, x.partner_amount) for x in pair.lines_of("1990")][2:] == [
        ("revaluation", D("0.01"), D("0")),
        ("rounding", D("0"), D("-0.01")),
    ]
    assert [(x.source, x.status, x.difference) for x in pair.lines_of("6990")] == [
        ("document", "matched", D("0.00")),
        ("document", "matched", D("0.00")),
        ("rounding", "not_document_based", D("-0.01")),
    ]
    assert [p.difference for p in pair.plugs] == [D("0.00"), D("-0.01")]


def run(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-w", str(settings.root), "ic", "2026-01", *args])
    return result.exit_code, result.output


def test_cli_json_lists_pairs_with_their_documents(workspace: Settings) -> None:
    code, out = run(workspace, "--format", "json")
    assert code == 0
    [pair] = json.loads(out)
    assert (pair["entity"], pair["partner"]) == ("P", "S")
    assert pair["plugs"][0] == {
        "plug_account": "1990",
        "checked": True,
        "entity_side": "5040.00",
        "partner_side": "-3960.00",
        "difference": "1080.00",
        "within_tolerance": False,
    }
    first = pair["documents"][0]
    assert first == {
        "plug_account": "1990",
        "source": "document",
        "ic_ref": "INV-2",
        "status": "amount_differs",
        "missing_side": "",
        "date": "2026-01-12",
        "age_days": 19,
        "entity_doc_ids": "INV-2",
        "partner_doc_ids": "INV-2",
        "entity_currency": "USD",
        "entity_amount_doc": "500.00",
        "partner_currency": "USD",
        "partner_amount_doc": "-550.00",
        "difference_doc": "-50.00",
        "entity_amount": "3600.00",
        "partner_amount": "-3960.00",
        "difference": "-360.00",
    }
    assert sum(D(x["difference"]) for x in pair["documents"] if x["plug_account"] == "1990") == D(
        "1080.00"
    )


def test_cli_csv_and_table(workspace: Settings) -> None:
    code, out = run(workspace, "--format", "csv", "--pair", "S/P")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("entity,partner,plug_account,source,ic_ref,status,missing_side,")
    assert lines[2] == (
        "P,S,1990,document,INV-3,one_side_only,S,2026-01-28,3,INV-3,,USD,200.00,,,,"
        "1440.00,0,1440.00"
    )
    code, out = run(workspace)
    assert code == 0
    assert out.splitlines()[0] == (
        "P / S at P, 2026-01: 2 matched, 2 amount differs, 2 one side only (CNY)"
    )
    assert "  plug 1990 (matching account): P 5040.00, S -3960.00, difference 1080.00" in out


def test_cli_refuses_an_unknown_pair_with_exit_2(workspace: Settings) -> None:
    result = CliRunner().invoke(
        main, ["-w", str(workspace.root), "ic", "2026-01", "--pair", "P/NOPE"]
    )
    assert result.exit_code == 2
    assert result.output == "Error: unknown entity 'NOPE'; see master/entities.csv\n"


def test_before_consolidation_the_query_refuses(tmp_path: Path) -> None:
    settings = load_settings(write_workspace(tmp_path, {**MASTER, **LEDGERS}))
    con = db.connect(settings)
    try:
        load_period(settings, con, "2026-01")
        post_period(settings, con, "2026-01")
        with pytest.raises(Exception, match="not consolidated yet"):
            intercompany_reconciliation(con, settings, "2026-01")
    finally:
        con.close()


def test_the_site_has_a_page_per_pair_and_the_group_workbook_a_sheet(
    workspace: Settings, tmp_path: Path
) -> None:
    """The pair P/S's page lists INV-1..3 and the settlement on 1990 and ends
    at the remainder 1,080.00; the group workbook's IC documents sheet has
    the same lines and total, its Difference column a SUM formula."""
    import openpyxl

    from closekit.report.excel import write_workbooks
    from closekit.report.html import write_site

    con = db.connect(workspace, read_only=True)
    try:
        write_site(workspace, con, "2026-01", tmp_path, draft=False)
        paths = write_workbooks(workspace, con, "2026-01", tmp_path, draft=False)
    finally:
        con.close()
    page = (tmp_path / "html" / "ic" / "P" / "S.html").read_text(encoding="utf-8")
    for text in ("INV-1", "INV-2", "INV-3", "one_side_only", "amount_differs", "1,080.00"):
        assert text in page, text
    assert 'href="ic/P/S.html"' in (tmp_path / "html" / "intercompany.html").read_text()
    group = next(p for p in paths if p.name == "group.xlsx")
    sheet = openpyxl.load_workbook(group, data_only=True)["IC documents"]
    rows = list(sheet.iter_rows(values_only=True))
    refs = [(r[2], r[3], r[4]) for r in rows if r[0] == "P" and r[2] == "1990"]
    assert refs == [  # what needs work first
        ("1990", "INV-2", "amount_differs"),
        ("1990", "INV-3", "one_side_only (missing at S)"),
        ("1990", "INV-1", "matched"),
        ("1990", "journals", "not_document_based"),
        ("1990", "journals", "not_document_based"),
    ]
    total = next(r for r in rows if str(r[0]).startswith("Total P/S 1990"))
    assert D(str(total[15])).quantize(D("0.01")) == D("1080.00")

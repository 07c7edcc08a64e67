"""Top-side (node) journals (SPEC 18.2), end to end: files, load, consolidation.

The group G (CNY) holds A and B 100%; A holds A1, B holds B1 (100%), so
G, A and B are consolidation nodes, A1 and B1 leaves. Fiscal year = calendar.

    2026-12  A1 sells for cash 5,000 (Dr 1000 / Cr 4000, PC1)
             B1 sells for cash 2,000
             top-side IMP-1 at node A: Dr 6800 impairment 1,200 (PC1),
                                       Cr 1600 inventory 1,200
             reason "audit: A1 stock written down to net realisable value"
    2027-01  A1 sells for cash 300

Hand-derived node trial balances (year to date, group currency):

    2026-12  A: 1000 5,000  4000 -5,000  6800 1,200  1600 -1,200   (sum 0)
             G: 1000 7,000  4000 -7,000  6800 1,200  1600 -1,200   (sum 0)
             B: 1000 2,000  4000 -2,000  -- no top-side: a sibling node
    2027-01  (the fiscal year rolled: 2026's P&L stands on retained earnings)
             A: 1000 5,300  4000 -300  1600 -1,200
                3200 -5,000 (A1's 2026 result) + 1,200 (IMP-1 rolled) = -3,800
             G: 1000 7,300  4000 -300  1600 -1,200
                3200 -7,000 + 1,200 = -5,800
             B: 1000 2,000  3200 -2,000
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit import db
from closekit.checks.base import CheckContext
from closekit.checks.management import vertical_horizontal
from closekit.cli import main
from closekit.consolidation import consolidate_period, node_drill, node_trial_balance
from closekit.errors import format_problem
from closekit.load import load_period
from closekit.manage import manage_period
from closekit.post import post_period
from closekit.vertical import Figures, bu_pnl
from closekit.workspace import Settings, load_settings
from tests.inline import write_workspace

D = Decimal

MASTER = {
    "master/entities.csv": """
        entity,name,currency,parent,ownership_pct,method
        G,Group,CNY,,,
        A,Holding A,CNY,G,100,full
        A1,Factory A1,CNY,A,100,full
        B,Holding B,CNY,G,100,full
        B1,Factory B1,CNY,B,100,full
    """,
    "master/accounts.csv": """
        account,name,type,parent,rate,ic_plug,role,revalue
        1000,Cash,asset,,,,,
        1600,Inventory,asset,,,,,
        1700,Goodwill,asset,,,,,
        3200,Retained earnings,equity,,,,,
        3300,CTA,equity,,,,,
        3900,NCI equity,equity,,,,,
        4000,Revenue,revenue,,,,,
        6800,Impairment,expense,,,,,
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
        PC1,Factories,ALL
    """,
    "master/cost_centers.csv": """
        cost_center,name,entity,department,profit_center
        CCA1,Plant A1,A1,Production,PC1
        CCB1,Plant B1,B1,Production,PC1
    """,
    "master/fx_rates.csv": """
        period,currency,closing,average
    """,
    "master/posting_rules.csv": """
        module,kind,intercompany,side,account,amount
    """,
}

JOURNALS_HEADER = "doc_id,line,date,entity,currency,account,partner,profit_center,debit,credit"
TOPSIDE_HEADER = "doc_id,line,node,account,partner,profit_center,cost_center,debit,credit,reason"
REASON = "audit: A1 stock written down to net realisable value"

LEDGERS = {
    "ledgers/2026-12/journals.csv": f"""
        {JOURNALS_HEADER}
        S1,1,2026-12-10,A1,CNY,1000,,,5000.00,
        S1,2,2026-12-10,A1,CNY,4000,,PC1,,5000.00
        S2,1,2026-12-11,B1,CNY,1000,,,2000.00,
        S2,2,2026-12-11,B1,CNY,4000,,PC1,,2000.00
    """,
    "ledgers/2026-12/topside.csv": f"""
        {TOPSIDE_HEADER}
        IMP-1,1,A,6800,,PC1,,1200.00,,{REASON}
        IMP-1,2,A,1600,,,,,1200.00,{REASON}
    """,
    "ledgers/2027-01/journals.csv": f"""
        {JOURNALS_HEADER}
        S3,1,2027-01-05,A1,CNY,1000,,,300.00,
        S3,2,2027-01-05,A1,CNY,4000,,PC1,,300.00
    """,
}


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The group loaded, posted and consolidated for both periods (read only
    by the tests that take it)."""
    root = tmp_path_factory.mktemp("topside")
    settings = load_settings(write_workspace(root, {**MASTER, **LEDGERS}))
    con = db.connect(settings)
    try:
        for period in ("2026-12", "2027-01"):
            load_period(settings, con, period)
            post_period(settings, con, period)
            consolidate_period(settings, con, period)
            manage_period(settings, con, period)
    finally:
        con.close()
    return settings


def _tb(settings: Settings, period: str, node: str) -> dict[str, Decimal]:
    con = db.connect(settings, read_only=True)
    try:
        return {
            line.account: line.amount
            for line in node_trial_balance(con, settings, period, node, "ytd")
            if line.amount
        }
    finally:
        con.close()


def test_a_topside_impairment_counts_at_its_node_and_above_not_at_a_sibling(
    closed: Settings,
) -> None:
    settings = closed
    assert _tb(settings, "2026-12", "A") == {
        "1000": D("5000.00"),
        "1600": D("-1200.00"),
        "4000": D("-5000.00"),
        "6800": D("1200.00"),
    }
    assert _tb(settings, "2026-12", "G") == {
        "1000": D("7000.00"),
        "1600": D("-1200.00"),
        "4000": D("-7000.00"),
        "6800": D("1200.00"),
    }
    assert _tb(settings, "2026-12", "B") == {"1000": D("2000.00"), "4000": D("-2000.00")}


def test_after_the_fiscal_year_end_the_topside_pl_stands_on_retained_earnings(
    closed: Settings,
) -> None:
    settings = closed
    assert _tb(settings, "2027-01", "A") == {
        "1000": D("5300.00"),
        "1600": D("-1200.00"),
        "3200": D("-3800.00"),  # -5,000 + 1,200
        "4000": D("-300.00"),
    }
    assert _tb(settings, "2027-01", "G") == {
        "1000": D("7300.00"),
        "1600": D("-1200.00"),
        "3200": D("-5800.00"),  # -7,000 + 1,200
        "4000": D("-300.00"),
    }
    assert _tb(settings, "2027-01", "B") == {"1000": D("2000.00"), "3200": D("-2000.00")}


def test_drill_at_the_group_names_the_document_its_source_row_and_reason(closed: Settings) -> None:
    settings = closed
    con = db.connect(settings, read_only=True)
    try:
        rows = node_drill(con, settings, "2026-12", "G", "6800")
    finally:
        con.close()
    assert [(r.source, r.entity, r.profit_center, r.amount, r.detail) for r in rows] == [
        (
            "topside",
            "A",
            "PC1",
            D("1200.00"),
            f"top-side IMP-1 line 1 (ledgers/2026-12/topside.csv:2, 2026-12): {REASON}",
        )
    ]
    result = CliRunner().invoke(
        main,
        ["-w", str(settings.root), "drill", "2027-01", "--account", "3200", "--node", "A",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {"source": "topside", "amount": "1200.00"}.items() <= {
        k: v for r in json.loads(result.output) if r["source"] == "topside" for k, v in r.items()
    }.items()


def test_the_worksheet_has_a_topside_column(closed: Settings) -> None:
    """The group worksheet line of 6800: members 0, top-side 1,200."""
    from closekit.report.chart import account_tree
    from closekit.report.worksheet import consolidation_worksheet

    settings = closed
    con = db.connect(settings, read_only=True)
    try:
        entries = con.execute(
            "SELECT step, account, amount_group FROM consolidation_entry "
            "WHERE period = '2026-12' AND node = 'G'"
        ).fetchall()
        tree = account_tree(con)
    finally:
        con.close()
    lines = {w.account: w for w in consolidation_worksheet(tree, "en", ["G"], [], entries)}
    assert (lines["6800"].eliminations, lines["6800"].topside, lines["6800"].consolidated) == (
        D("0"),
        D("1200.00"),
        D("1200.00"),
    )


def _load_report(root: Path, topside: str) -> tuple[list[tuple[object, ...]], object]:
    settings = load_settings(
        write_workspace(root, {**MASTER, **LEDGERS, "ledgers/2026-12/topside.csv": topside})
    )
    con = db.connect(settings)
    try:
        report = load_period(settings, con, "2026-12")
        kept = con.execute(
            "SELECT doc_id, line, node, account, amount, reason FROM topside_row ORDER BY row_no"
        ).fetchall()
    finally:
        con.close()
    (file,) = [f for f in report.files if f.module == "topside"]
    return kept, file


def test_bad_topside_rows_are_rejected_with_file_row_and_column_and_nothing_lost(
    tmp_path: Path,
) -> None:
    """Row 2-3: fine (kept). Row 4-5: unknown node. Row 6-7: a leaf entity.
    Row 8-9: unbalanced (1,000 vs 900). Row 10-11: no reason on row 11, so
    row 10 is rejected with its document."""
    topside = f"""
        {TOPSIDE_HEADER}
        OK-1,1,G,6800,,PC1,,100.00,,reclass
        OK-1,2,G,1600,,,,,100.00,reclass
        BAD-1,1,ZZ,6800,,PC1,,50.00,,x
        BAD-1,2,ZZ,1600,,,,,50.00,x
        BAD-2,1,A1,6800,,PC1,,50.00,,x
        BAD-2,2,A1,1600,,,,,50.00,x
        BAD-3,1,G,6800,,PC1,,1000.00,,x
        BAD-3,2,G,1600,,,,,900.00,x
        BAD-4,1,G,6800,,PC1,,10.00,,x
        BAD-4,2,G,1600,,,,,10.00,
    """
    kept, file = _load_report(tmp_path, topside)
    assert kept == [
        ("OK-1", "1", "G", "6800", D("100.00"), "reclass"),
        ("OK-1", "2", "G", "1600", D("-100.00"), "reclass"),
    ]
    assert (file.read, file.accepted, file.rejected) == (10, 2, 8)
    messages = [format_problem(p) for p in file.errors]
    path = "ledgers/2026-12/topside.csv"
    assert f'{path}:4 node: unknown node "ZZ"' in messages
    assert (
        f'{path}:6 node: entity "A1" is not a consolidation node in 2026-12: it has no '
        "subsidiary consolidated line by line (a top-side journal is booked at a node)"
    ) in messages
    assert (
        f'{path}:8 debit: top-side document "BAD-3" does not balance: debit - credit = 100.00'
    ) in messages
    assert f"{path}:11 reason: is required: a top-side journal says why it was booked" in messages
    assert f'{path}:10 doc_id: document "BAD-4" is rejected with {path}:11' in messages


def test_a_topside_pl_line_needs_a_profit_center_and_a_partner_a_member(tmp_path: Path) -> None:
    topside = f"""
        {TOPSIDE_HEADER}
        X-1,1,A,6800,,,,10.00,,x
        X-1,2,A,1600,B1,,,,10.00,x
    """
    kept, file = _load_report(tmp_path, topside)
    assert kept == []
    messages = [format_problem(p) for p in file.errors]
    path = "ledgers/2026-12/topside.csv"
    assert (
        f"{path}:2 profit_center: posting to expense account 6800 needs a profit center "
        "or a cost center"
    ) in messages
    assert f'{path}:3 partner: partner "B1" is not a member of node A in 2026-12' in messages


def test_the_vertical_view_shows_the_impairment_as_an_adjustment_and_still_ties(
    closed: Settings,
) -> None:
    """2026-12 group P&L before NCI: revenue 7,000 (PC1), impairment 1,200 on
    the top-side line: PC1 shows 7,000 of revenue, Consolidation adjustments
    1,200 of cost, the total a profit of 5,800 = the consolidated P&L."""
    con = db.connect(closed, read_only=True)
    try:
        lines = {line.kind: line for line in bu_pnl(con, closed, "2026-12")}
        check = vertical_horizontal(CheckContext(closed, con, "2026-12"))
    finally:
        con.close()
    assert lines["adjustments"].ytd == Figures.of(D("0"), D("1200.00"), D("0"))
    assert lines["eliminations"].ytd == Figures.of(D("0"), D("0"), D("0"))
    assert lines["total"].ytd.result == D("5800.00")
    assert check.status == "pass", check.detail


def test_a_changed_topside_file_alone_is_loaded_again(tmp_path: Path) -> None:
    """Only the top-side file changes between two loads (an incremental
    load): its new row replaces the old, the journals stay as they were."""
    settings = load_settings(write_workspace(tmp_path, {**MASTER, **LEDGERS}))
    topside = tmp_path / "ledgers/2026-12/topside.csv"
    con = db.connect(settings)
    try:
        load_period(settings, con, "2026-12")
        topside.write_text(
            f"{TOPSIDE_HEADER}\n"
            "IMP-1,1,A,6800,,PC1,,900.00,,revised\n"
            "IMP-1,2,A,1600,,,,,900.00,revised\n",
            encoding="utf-8",
        )
        report = load_period(settings, con, "2026-12")
        kept = con.execute("SELECT amount, reason FROM topside_row ORDER BY row_no").fetchall()
        (journal_rows,) = con.execute(
            "SELECT count(*) FROM source_row WHERE period = '2026-12'"
        ).fetchone() or (0,)
    finally:
        con.close()
    assert report.changed
    assert kept == [(D("900.00"), "revised"), (D("-900.00"), "revised")]
    assert journal_rows == 4

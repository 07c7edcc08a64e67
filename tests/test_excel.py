"""The Excel workbooks (SPEC section 10), opened with openpyxl.

A two-entity group written into the tables and consolidated by the real
consolidation and management steps; every figure is worked by hand below and
compared to the cent with what the ledger functions say.

P (CNY, top) owns 80% of S (USD). Rates USD: Jan closing 7.00 / average 7.00,
Feb closing 7.20 / average 7.10.

    Jan  P: investment in S 560 / share capital 560; cash 1,000 / revenue 1,000
         S: cash 100 / share capital 100 (USD); cash 50 / revenue 50
    Feb  P: cash 300 / revenue 300; IC receivable from S 70 / IC service revenue 70
         S: expense 20 / cash 20; IC service expense 10 / IC payable to P 10 (USD)

S translated at Feb: cash 130 x 7.20 = 936.00; IC payable -10 x 7.20 = -72.00;
share capital -100 x 7.00 = -700.00; revenue -50 x 7.00 = -350.00; expense
20 x 7.10 = 142.00; IC expense 10 x 7.10 = 71.00; CTA = -(936 - 72 - 700 - 350
+ 142 + 71) = -27.00.
Group at Feb (P + S + eliminations + NCI):
    1000 cash 1,300 + 936 = 2,236.00; 1990 IC difference 70 - 72 = -2.00
    3000 share capital -560 - 700 + 700 = -560.00
    3300 CTA -27.00 + 20% x 27.00 = -21.60
    3900 NCI -(20% x 700) - 20% x (350 - 142 - 71) - 20% x 27 = -140 - 27.40 - 5.40 = -172.80
    4000 revenue -1,300 - 350 = -1,650.00; 6000 expense 142.00; 6990 IC P&L difference
    -70 + 71 = 1.00; 8900 NCI share of profit 27.40
Presented: total assets 2,236 - 2 = 2,234.00; profit YTD 1,650 - 142 - 1 = 1,507.00,
NCI 27.40, owners 1,479.60; January profit 1,350.00 (NCI 70.00), so February's
month 157.00 (NCI 27.40 - 70.00 = -42.60, owners 199.60).
"""

from __future__ import annotations

import os
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_consolidate_helpers import Group, d

from closekit.consolidation import key_figures, node_trial_balance
from closekit.ledger import trial_balance
from closekit.manage import manage_period
from closekit.report.excel import write_workbooks
from closekit.report.excel_format import MONEY, display_width
from closekit.statements.cash_flow import SECTION_LABELS
from closekit.statements.equity import HEADINGS
from closekit.statements.equity import ROWS as EQUITY_ROWS
from closekit.statements.income import LABELS as income_labels

PERIOD = "2026-02"
INJECTIONS = {
    "6000": '=HYPERLINK("http://evil.example","click")',
    "4000": "+1 revenue",
    "1000": "-cash",
    "3000": "@SUM(A1)",
}
GROUP_SHEETS = [
    "Summary", "Balance Sheet", "Income Statement", "Comprehensive Income", "Changes in Equity",
    "Cash Flows", "Roll-forwards", "Flows", "Worksheet", "Consolidation Entries", "Intercompany",
    "IC documents",
    "FX Translation", "Checks",
]  # fmt: skip


def _group(root: Path, language: str = "en") -> Group:
    g = Group(root)
    if language == "zh":
        toml = (root / "closekit.toml").read_text() + '\n[output]\nlanguage = "zh"\n'
        (root / "closekit.toml").write_text(toml)
        from closekit.workspace import load_settings

        g.settings = load_settings(root)
    con = g.con
    # A statement tree over the helper's flat chart.
    con.execute(
        "INSERT INTO account (account, name, name_zh, type, rate, is_summary) VALUES "
        "('10', 'Assets', '资产', 'asset', 'closing', true), "
        "('30', 'Equity', '所有者权益', 'equity', 'historical', true)"
    )
    con.execute(
        "UPDATE account SET parent = '10' WHERE account IN ('1000', '1200', '1500', '1700')"
    )
    con.execute(
        "UPDATE account SET parent = '30' WHERE account IN ('3000', '3200', '3300', '3900')"
    )
    con.execute("UPDATE account SET sort_key = CAST(account AS INTEGER)")
    con.execute("UPDATE account SET name_zh = '现金' WHERE account = '1000'")
    for account, name in INJECTIONS.items():
        con.execute("UPDATE account SET name = ? WHERE account = ?", [name, account])
    g.entity("P").entity("S", currency="USD", parent="P", pct="80")
    con.execute("UPDATE entity SET name = '=1+1', name_zh = '子公司' WHERE entity = 'S'")
    con.execute("INSERT INTO business_unit VALUES ('BU1', 'Devices', '', '')")
    con.execute("INSERT INTO profit_center VALUES ('PC1', 'Laptops', '', 'BU1')")
    g.rate("2026-01", "CNY", "1", "1").rate("2026-01", "USD", "7.00", "7.00")
    g.rate("2026-02", "CNY", "1", "1").rate("2026-02", "USD", "7.20", "7.10")
    jan, feb = "2026-01", "2026-02"
    g.line(jan, "P", "1500", "560", partner="S").line(jan, "P", "3000", "-560")
    g.line(jan, "P", "1000", "1000").line(jan, "P", "4000", "-1000", profit_center="PC1")
    g.line(jan, "S", "1000", "100").line(jan, "S", "3000", "-100")
    g.line(jan, "S", "1000", "50").line(jan, "S", "4000", "-50", profit_center="PC1")
    g.line(feb, "P", "1000", "300").line(feb, "P", "4000", "-300", profit_center="PC1")
    g.line(feb, "P", "1200", "70", partner="S")
    g.line(feb, "P", "4200", "-70", partner="S", profit_center="PC1")
    g.line(feb, "S", "6000", "20", profit_center="PC1").line(feb, "S", "1000", "-20")
    g.line(feb, "S", "6200", "10", partner="P", profit_center="PC1")
    g.line(feb, "S", "2200", "-10", partner="P")
    g.post(jan, feb)
    for period in (jan, feb):
        g.consolidate(period)
        manage_period(g.settings, con, period)
    con.execute(
        "INSERT INTO check_result VALUES (?, 0, 'ic_matched', 'pass', '2 pair(s) in tolerance'),"
        " (?, 1, 'vertical_horizontal', 'fail', '=cmd|/c calc')",
        [PERIOD, PERIOD],
    )
    return g


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Group, Path, list[Path]]:
    root = tmp_path_factory.mktemp("excel")
    g = _group(root / "ws")
    out = root / "out"
    return g, out, write_workbooks(g.settings, g.con, PERIOD, out, draft=False)


def _rows(ws: Any) -> dict[str, list[Any]]:
    """Rows keyed by column A (the account code), for rows that have one."""
    return {row[0]: list(row) for row in ws.iter_rows(values_only=True) if row[0]}


def _label_rows(ws: Any) -> dict[str, list[Any]]:
    """Rows keyed by column B (the label)."""
    return {row[1]: list(row) for row in ws.iter_rows(values_only=True) if row[1]}


def money(value: Any) -> Decimal:
    """A cell's number as cents: Excel stores doubles, which hold every
    amount of 15 significant digits exactly enough to round back."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def test_the_files_every_close_writes(written: tuple[Group, Path, list[Path]]) -> None:
    _g, out, paths = written
    names = sorted(p.relative_to(out).as_posix() for p in paths)
    # P is the only node (S has no subsidiaries): no intermediate node workbook.
    assert names == ["business_units.xlsx", "entities/P.xlsx", "entities/S.xlsx", "group.xlsx"]
    assert openpyxl.load_workbook(out / "group.xlsx").sheetnames == GROUP_SHEETS
    assert openpyxl.load_workbook(out / "entities/S.xlsx").sheetnames == [
        "Balance Sheet", "Income Statement", "Trial Balance",
    ]  # fmt: skip
    assert openpyxl.load_workbook(out / "business_units.xlsx").sheetnames == [
        "Business Units", "Cost Centers", "Allocations",
    ]  # fmt: skip


def test_group_statements_are_the_hand_worked_figures(
    written: tuple[Group, Path, list[Path]],
) -> None:
    g, out, _paths = written
    book = openpyxl.load_workbook(out / "group.xlsx")
    bs = _label_rows(book["Balance Sheet"])
    # January: P cash 1,000 + S cash 150 x 7.00 = 2,050.00 (investment eliminated)
    assert [money(v) for v in bs["Total assets"][2:4]] == [d("2234.00"), d("2050.00")]
    assert money(bs["Total liabilities and equity"][2]) == d("2234.00")
    owners = "Profit for the year to date attributable to owners of the parent"
    assert money(bs[owners][2]) == d("1479.60")  # NCI's 27.40 is in line 3900
    codes = _rows(book["Balance Sheet"])
    assert money(codes["3900"][2]) == d("172.80")  # NCI presented positive
    assert money(codes["3300"][2]) == d("21.60")
    assert money(codes["10"][2]) == d("2236.00")  # summary: cash only (1200, 1500 eliminated)
    pnl = _label_rows(book["Income Statement"])
    # Month, YTD, prior month.
    assert [money(v) for v in pnl["Profit for the period"][2:5]] == [
        d("157.00"), d("1507.00"), d("1350.00"),
    ]  # fmt: skip
    assert [money(v) for v in pnl["Attributable to owners of the parent"][2:5]] == [
        d("199.60"), d("1479.60"), d("1280.00"),
    ]  # fmt: skip
    assert [money(v) for v in pnl["Attributable to non-controlling interests"][2:5]] == [
        d("-42.60"), d("27.40"), d("70.00"),
    ]  # fmt: skip
    figures = key_figures(g.con, g.settings, PERIOD, "P")
    assert (figures.total_assets, figures.profit, figures.owners, figures.nci) == (
        d("2234.00"), d("1507.00"), d("1479.60"), d("27.40"),
    )  # fmt: skip


def test_worksheet_formulas_and_cached_values_tie_to_the_node_tb(
    written: tuple[Group, Path, list[Path]],
) -> None:
    g, out, _paths = written
    formulas = _rows(openpyxl.load_workbook(out / "group.xlsx")["Worksheet"])
    values = _rows(openpyxl.load_workbook(out / "group.xlsx", data_only=True)["Worksheet"])
    header = next(r for r in values.values() if r[0] == "Account")
    assert header[2:] == [
        "P", "S", "Members total", "Eliminations", "Top-side", "NCI", "Consolidated",
    ]  # fmt: skip
    # Row 7 holds account 1000 (title, subtitle, blank, two header rows, 10, then 1000).
    assert formulas["1000"][4] == "=SUM(C7:D7)"
    assert formulas["1000"][8] == "=E7+F7+G7+H7"
    assert formulas["10"][8].startswith("=SUBTOTAL(9,I7:")
    tb = {x.account: x.amount for x in node_trial_balance(g.con, g.settings, PERIOD, "P", "ytd")}
    consolidated = {k: money(v[8]) for k, v in values.items() if k in tb or k.isdigit()}
    for account, amount in tb.items():
        assert consolidated[account] == amount, account
    # S's cash translated 936.00, eliminations and NCI as worked above; no
    # top-side journals.
    assert [money(v) for v in values["1000"][2:9]] == [
        d("1300.00"), d("936.00"), d("2236.00"), d("0.00"), d("0.00"), d("0.00"), d("2236.00"),
    ]  # fmt: skip
    assert [money(v) for v in values["3900"][2:9]] == [
        d("0.00"), d("0.00"), d("0.00"), d("-140.00"), d("0.00"), d("-32.80"), d("-172.80"),
    ]  # fmt: skip
    sheet = openpyxl.load_workbook(out / "group.xlsx", data_only=True)["Worksheet"]
    total = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Total")
    assert all(money(v) == 0 for v in total[2:9])  # every column's entries balance


def test_the_ic_documents_sheet_adds_up_to_each_pairs_remainder(
    written: tuple[Group, Path, list[Path]],
) -> None:
    """P/S on 1990 (journal lines, so no document): P's side 70.00 and S's
    -72.00, one line each, their SUM the remainder -2.00 of the
    Intercompany sheet; on 6990: -70.00 + 71.00 = 1.00."""
    _g, out, _paths = written
    formulas = openpyxl.load_workbook(out / "group.xlsx")["IC documents"]
    values = openpyxl.load_workbook(out / "group.xlsx", data_only=True)["IC documents"]
    totals = {
        str(r[0]): (money(r[13]), money(r[14]), money(r[15]))
        for r in values.iter_rows(values_only=True)
        if str(r[0]).startswith("Total")
    }
    assert totals == {
        "Total P/S 1990 Account 1990": (d("70.00"), d("-72.00"), d("-2.00")),
        "Total P/S 6990 Account 6990": (d("-70.00"), d("71.00"), d("1.00")),
    }
    lines = [(r[2], r[3], money(r[15])) for r in values.iter_rows(values_only=True) if r[0] == "P"]
    assert lines == [
        ("1990", "journals", d("70.00")),
        ("1990", "journals", d("-72.00")),
        ("6990", "journals", d("-70.00")),
        ("6990", "journals", d("71.00")),
    ]
    assert formulas["P7"].value == "=SUM(P5:P6)"


def test_intercompany_and_fx_translation_sheets(written: tuple[Group, Path, list[Path]]) -> None:
    _g, out, _paths = written
    book = openpyxl.load_workbook(out / "group.xlsx", data_only=True)
    pairs = [r for r in book["Intercompany"].iter_rows(values_only=True) if r[0] == "P"]
    # P's receivable 70.00 against S's payable -72.00 on 1990; P&L 6990: -70 + 71.
    assert [(r[2], money(r[4]), money(r[5]), money(r[6])) for r in pairs] == [
        ("1990", d("70.00"), d("-72.00"), d("-2.00")),
        ("6990", d("-70.00"), d("71.00"), d("1.00")),
    ]
    fx = [r for r in book["FX Translation"].iter_rows(values_only=True) if r[0] == "S" and r[1]]
    by_account = {r[1]: (r[4], money(r[7]), money(r[8])) for r in fx}
    assert by_account["1000"] == ("closing", d("130.00"), d("936.00"))
    assert by_account["3300"] == ("cta", d("0.00"), d("-27.00"))
    entity_row = next(r for r in book["FX Translation"].iter_rows(values_only=True)
                      if r[0] == "S" and not r[1])  # fmt: skip
    assert money(entity_row[8]) == 0  # the CTA closes S's translated TB


def test_entity_workbook_equals_the_functional_trial_balance(
    written: tuple[Group, Path, list[Path]],
) -> None:
    g, out, _paths = written
    book = openpyxl.load_workbook(out / "entities/S.xlsx", data_only=True)
    rows = _rows(book["Trial Balance"])
    for line in trial_balance(g.con, g.settings, PERIOD, "S", "ytd"):
        debit, credit = rows[line.account][3:5]
        assert (money(debit) if debit is not None else -money(credit)) == line.amount
    total = next(r for r in book["Trial Balance"].iter_rows(values_only=True) if r[1] == "Total")
    # Debits: cash 130 + expense 20 + IC expense 10; credits: capital 100 + revenue 50 + IC 10.
    assert money(total[3]) == money(total[4]) == d("160.00")
    pnl = _label_rows(book["Income Statement"])
    # S in USD: month expense 30, YTD profit 50 - 30 = 20, January 50.
    assert [money(v) for v in pnl["Profit for the period"][2:5]] == [
        d("-30.00"), d("20.00"), d("50.00"),
    ]  # fmt: skip
    assert "Attributable to owners of the parent" not in pnl


def test_business_units_total_ties_to_consolidated_profit(
    written: tuple[Group, Path, list[Path]],
) -> None:
    _g, out, _paths = written
    ws = openpyxl.load_workbook(out / "business_units.xlsx", data_only=True)["Business Units"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Group total")
    # YTD result (column J) = consolidated profit before NCI; month (F) 157.00.
    assert (money(total[5]), money(total[9])) == (d("157.00"), d("1507.00"))


def test_money_format_frozen_panes_and_print_titles(
    written: tuple[Group, Path, list[Path]],
) -> None:
    _g, out, _paths = written
    book = openpyxl.load_workbook(out / "group.xlsx")
    bs = book["Balance Sheet"]
    assert bs.freeze_panes == "C6"  # below the two heading rows, right of code and name
    assert bs.print_title_rows == "$4:$5"
    assert bs.page_setup.orientation == "portrait"  # four columns fit a portrait page
    amounts = [c for row in bs.iter_rows(min_row=6) for c in row[2:] if c.value is not None]
    assert amounts and all(c.number_format == MONEY for c in amounts)
    assert bs["B7"].alignment.indent == 1  # 1000 under summary 10
    assert bs["A6"].font.b  # summary account in bold
    assert bs.row_dimensions[7].outline_level == 1
    assert book["Worksheet"].freeze_panes == "C6"


def test_text_from_input_is_never_a_formula(written: tuple[Group, Path, list[Path]]) -> None:
    _g, _out, paths = written
    texts = {*INJECTIONS.values(), "=1+1", "=cmd|/c calc"}
    found: set[str] = set()
    for path in paths:
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value in texts:
                        assert c.data_type == "s", (path.name, ws.title, c.coordinate)
                        assert c.quotePrefix
                        found.add(str(c.value))
        with zipfile.ZipFile(path) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
            xml = "".join(z.read(n).decode() for n in sheets)
        assert "HYPERLINK" not in xml and "cmd|" not in xml  # no <f> holds them
    assert found == texts


def test_same_inputs_give_identical_bytes(
    written: tuple[Group, Path, list[Path]], tmp_path: Path
) -> None:
    g, out, paths = written
    again = write_workbooks(g.settings, g.con, PERIOD, tmp_path, draft=False)
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(out) for p in paths]
    for first, second in zip(paths, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_draft_on_the_first_line_of_every_sheet(
    written: tuple[Group, Path, list[Path]], tmp_path: Path
) -> None:
    g, _out, _paths = written
    for path in write_workbooks(g.settings, g.con, PERIOD, tmp_path, draft=True):
        for ws in openpyxl.load_workbook(path).worksheets:
            assert str(ws["A1"].value).startswith("DRAFT"), (path.name, ws.title)
    clean = openpyxl.load_workbook(_paths[0])
    assert not any(str(ws["A1"].value).startswith("DRAFT") for ws in clean.worksheets)


def test_chinese_labels(tmp_path: Path) -> None:
    g = _group(tmp_path / "ws", language="zh")
    paths = write_workbooks(g.settings, g.con, PERIOD, tmp_path / "out", draft=False)
    book = openpyxl.load_workbook(paths[0])
    assert book.sheetnames == [
        "摘要",
        "资产负债表",
        "利润表",
        "综合收益表",
        "所有者权益变动表",
        "现金流量表",
        "变动表",
        "变动明细",
        "合并工作底稿",
        "合并分录",
        "内部往来",
        "内部往来单据核对",
        "外币折算",
        "检查",
    ]
    labels = _label_rows(book["资产负债表"])
    assert "现金" in labels and "资产总计" in labels
    assert "归属于母公司所有者的净利润" in _label_rows(book["利润表"])
    summary = [r[1] for r in book["摘要"].iter_rows(values_only=True) if r[0] == "S"]
    assert summary == ["子公司"]
    # the complete statements' rows and columns: Chinese, no English label left
    english = {
        *income_labels.values(),
        *SECTION_LABELS.values(),
        *HEADINGS,
        *(label for _, label, _ in EQUITY_ROWS),
        "Net cash from operating activities",
        "Cash and cash equivalents at the end",
        "Non-controlling interests per subsidiary",
    }
    texts = {
        name: {str(v) for row in book[name].iter_rows(values_only=True) for v in row if v}
        for name in ("综合收益表", "所有者权益变动表", "现金流量表", "变动表", "变动明细")
    }
    assert not english & set().union(*texts.values())
    assert {"净利润", "外币财务报表折算差额", "综合收益总额"} <= texts["综合收益表"]
    assert {"实收资本", "外币报表折算差额", "所有者权益合计", "综合收益总额"} <= texts[
        "所有者权益变动表"
    ]
    assert {"经营活动产生的现金流量", "期末现金及现金等价物余额"} <= texts["现金流量表"]
    assert {"期初余额", "期末余额", "少数股东"} <= texts["变动表"]
    assert "少数股东权益（按子公司） — 2026年1–2月" in texts["变动表"]
    assert {"公司", "科目", "变动类型", "折算差额"} <= texts["变动明细"]


# ---- golden snapshots ----------------------------------------------------------
# tests/golden/excel/*.txt hold a readable dump of every workbook above (cell
# values and formulas, bold, indents, number formats, frozen panes, outline
# levels). After an intended layout change, refresh them with
#     CLOSEKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_excel.py
# and review the diff like code.

GOLDEN = Path(__file__).parent / "golden" / "excel"


def dump(path: Path) -> str:
    lines: list[str] = []
    for ws in openpyxl.load_workbook(path).worksheets:
        lines.append(
            f"## {ws.title} | freeze {ws.freeze_panes} | print titles {ws.print_title_rows}"
            f" | {ws.page_setup.orientation}"
        )
        for row in ws.iter_rows():
            level = ws.row_dimensions[row[0].row].outline_level
            for c in row:
                if c.value is None or c.value == "":
                    continue
                style = [f"level={level}"] if level else []
                if c.font.b:
                    style.append("bold")
                if c.alignment.indent:
                    style.append(f"indent={int(c.alignment.indent)}")
                if c.number_format != "General":
                    style.append(c.number_format)
                lines.append(f"{c.coordinate} {c.value!r} {' '.join(style)}".rstrip())
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "name", ["group.xlsx", "entities/P.xlsx", "entities/S.xlsx", "business_units.xlsx"]
)
def test_golden_workbooks(written: tuple[Group, Path, list[Path]], name: str) -> None:
    _g, out, _paths = written
    golden = GOLDEN / (name.replace("/", "_").removesuffix(".xlsx") + ".txt")
    text = dump(out / name)
    if os.environ.get("CLOSEKIT_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_column_widths() -> None:
    assert display_width("现金 cash") == 9  # wide characters take two columns

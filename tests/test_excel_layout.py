"""What a controller reads and prints from the workbooks (issue 15), opened
with openpyxl: columns that name the months they cover, equity that holds the
year's result and adds up, a print setup readable on A4, DRAFT on every page.

The group of test_excel.py at 2026-02 (P owns 80% of S; figures derived
there). Here:

    Group equity, Feb:  share capital 560.00 + profit YTD attributable to owners
                        1,479.60 + CTA 21.60 = owners' equity 2,061.20;
                        + NCI 172.80 = total equity 2,234.00 = total assets.
                  Jan:  560.00 + 1,280.00 + 0.00 = 1,840.00; + NCI 210.00 = 2,050.00.
    P's own equity, Feb: share capital 560.00 + profit YTD (1,000 + 300 + 70)
                        1,370.00 = 1,930.00 = cash 1,300 + IC 70 + investment 560.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_consolidate_helpers import Group
from test_excel import PERIOD, _group, money

from closekit.report.excel import write_workbooks
from closekit.report.excel_print import (
    MIN_SCALE,
    PrintLayout,
    column_pixels,
    fits_one_page,
    page_points_tall,
    printable_pixels,
)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Group, list[Path], list[Path]]:
    """The clean workbooks and the DRAFT ones of the same close."""
    root = tmp_path_factory.mktemp("layout")
    g = _group(root / "ws")
    clean = write_workbooks(g.settings, g.con, PERIOD, root / "clean", draft=False)
    draft = write_workbooks(g.settings, g.con, PERIOD, root / "draft", draft=True)
    return g, clean, draft


def _by_label(ws: Any) -> dict[str, list[Any]]:
    return {str(r[1]): list(r) for r in ws.iter_rows(values_only=True) if r[1]}


def test_columns_name_the_months_they_cover(books: tuple[Group, list[Path], list[Path]]) -> None:
    _g, clean, _draft = books
    out = clean[0].parent
    group = openpyxl.load_workbook(out / "group.xlsx")
    income = list(group["Income Statement"].iter_rows(min_row=4, max_row=5, values_only=True))
    assert income[0][2:5] == ("Month", "Year to date", "Prior month")
    assert income[1][2:5] == ("Feb 2026", "Jan–Feb 2026", "Jan 2026")
    balance = list(group["Balance Sheet"].iter_rows(min_row=4, max_row=5, values_only=True))
    assert balance[0][2:4] == ("Period end", "Prior month end")
    assert balance[1][2:4] == ("28 Feb 2026", "31 Jan 2026")
    units = list(
        openpyxl.load_workbook(out / "business_units.xlsx")["Business Units"].iter_rows(
            min_row=4, max_row=5, values_only=True
        )
    )
    assert (units[0][2], units[0][6], units[0][10]) == ("Month", "Year to date", "Prior month")
    assert (units[1][2], units[1][6], units[1][10]) == ("Feb 2026", "Jan–Feb 2026", "Jan 2026")


def test_equity_holds_the_years_result_and_adds_up(
    books: tuple[Group, list[Path], list[Path]],
) -> None:
    _g, clean, _draft = books
    out = clean[0].parent
    rows = _by_label(openpyxl.load_workbook(out / "group.xlsx")["Balance Sheet"])
    owners = rows["Equity attributable to owners of the parent"]
    result = rows["Profit for the year to date attributable to owners of the parent"]
    nci = next(r for r in rows.values() if r[0] == "3900")
    total = rows["Total equity"]
    assert [money(v) for v in result[2:4]] == [Decimal("1479.60"), Decimal("1280.00")]
    assert [money(v) for v in owners[2:4]] == [Decimal("2061.20"), Decimal("1840.00")]
    assert [money(v) for v in nci[2:4]] == [Decimal("172.80"), Decimal("210.00")]
    for col in (2, 3):  # owners' equity + NCI = total equity = total assets
        assert money(owners[col]) + money(nci[col]) == money(total[col])
        assert money(total[col]) == money(rows["Total assets"][col])
    # The owners' subtotal adds the lines above it within equity.
    names = list(rows)
    inside = names[names.index("Equity") + 1 : names.index(owners_label := owners[1])]
    assert owners_label == "Equity attributable to owners of the parent"
    assert sum(money(rows[n][2]) for n in inside) == Decimal("2061.20")
    entity = _by_label(openpyxl.load_workbook(out / "entities" / "P.xlsx")["Balance Sheet"])
    assert money(entity["Profit for the year to date"][2]) == Decimal("1370.00")
    assert money(entity["Total equity"][2]) == Decimal("1930.00")
    assert money(entity["Total assets"][2]) == Decimal("1930.00")


def _fitted_scale(ws: Any) -> float:
    """The scale fitting one page wide gives: the printable width of the
    sheet's orientation over the width of its columns (as Excel draws them)."""
    pixels = sum(
        column_pixels(d.width) * (d.max - d.min + 1)
        for d in ws.column_dimensions.values()
        if d.width and d.min and d.max
    )
    landscape = ws.page_setup.orientation == "landscape"
    return min(100.0, printable_pixels(landscape) * 100 / pixels)


def test_every_sheet_prints_readable_on_a4(books: tuple[Group, list[Path], list[Path]]) -> None:
    """Fitted one page wide at 70% or more, or printed at a fixed scale of
    70% or more in blocks of columns with the row titles repeated."""
    _g, clean, _draft = books
    checked = 0
    for path in clean:
        for ws in openpyxl.load_workbook(path).worksheets:
            where = (path.name, ws.title)
            assert ws.page_setup.paperSize == 9, where  # A4
            if ws.sheet_properties.pageSetUpPr.fitToPage:
                # fitToWidth and fitToHeight left out mean 1 (ECMA-376 default); height
                # 0: as many as needed, 1: a short Summary on one page (at 70% or more)
                height = ws.page_setup.fitToHeight
                fit = (ws.page_setup.fitToWidth or 1, 1 if height is None else height)
                assert fit == ((1, 1) if ws.title == "Summary" else (1, 0)), where
                assert _fitted_scale(ws) >= MIN_SCALE, where
            else:
                assert ws.page_setup.scale >= MIN_SCALE, where
                assert ws.print_title_cols, where  # the labels on every page
            # Checks and Roll-forwards are lists of small tables, each with
            # its own heading, not one table running over pages.
            assert ws.print_title_rows or ws.title in ("Checks", "Roll-forwards"), where
            checked += 1
    assert checked >= 14  # group (8 sheets), two entities (3 each), business units (3)


def test_draft_is_in_the_page_header_and_footer(
    books: tuple[Group, list[Path], list[Path]], tmp_path: Path
) -> None:
    _g, clean, draft = books
    for path in draft:
        for ws in openpyxl.load_workbook(path).worksheets:
            where = (path.name, ws.title)
            assert "DRAFT" in (ws.oddHeader.center.text or ""), where
            assert "DRAFT" in (ws.oddFooter.center.text or ""), where
            assert ws.oddFooter.right.text == "Page &P of &N", where
    for path in clean:
        for ws in openpyxl.load_workbook(path).worksheets:
            assert not ws.oddHeader.center.text, (path.name, ws.title)
            assert ws.oddFooter.left.text == "&A"  # the sheet's name
    g = _group(tmp_path / "ws", language="zh")
    for path in write_workbooks(g.settings, g.con, PERIOD, tmp_path / "out", draft=True)[:1]:
        ws = openpyxl.load_workbook(path).worksheets[1]
        assert (ws.oddHeader.center.text or "").startswith("草稿")
        assert ws.oddFooter.right.text == "第 &P 页，共 &N 页"


def test_workbook_created_at_the_period_end(books: tuple[Group, list[Path], list[Path]]) -> None:
    _g, clean, _draft = books
    for path in clean:
        created = openpyxl.load_workbook(path).properties.created
        assert created is not None and created.isoformat().startswith("2026-02-28"), path.name


def test_a_summary_fits_one_page_only_while_it_stays_readable() -> None:
    """Landscape A4 inside the margins is (8.27 - 2 x 0.75) x 72 = 487.44
    points tall: a sheet fitted one page wide at 85% goes on one page up to
    487.44 / 0.70 = 696.3 points of rows, beyond that it runs over pages
    at its width's scale."""
    layout = PrintLayout(landscape=True, fit_width=True, scale=85)
    assert page_points_tall(True) == pytest.approx(487.44)
    assert fits_one_page(layout, 696.0)
    assert not fits_one_page(layout, 697.0)
    assert not fits_one_page(PrintLayout(True, True, 69), 100.0)  # too wide already
    assert not fits_one_page(PrintLayout(True, False, 80), 100.0)  # printed in blocks

"""The complete statements' sheets with their comparatives as LibreOffice
prints them (issue 13: "Excel opened in LibreOffice shows the new sheets
readable at print scale").

``group.xlsx`` of tests/site_years.py's February 2026 (columns Feb 2026,
Jan-Feb 2026 and Jan-Feb 2025; the equity statement and roll-forwards of
both years) in English and, DRAFT, in Chinese, printed to PDF by
``soffice --headless``. poppler reads each page back: ``pdftotext -layout``
its text, ``pdftotext -bbox`` the size of its words. The scale a page was
printed at is read from its footer: "Page" set in the workbook's Arial 10
(LibreOffice's Liberation Sans, the same metrics) is 23.35 points wide at
100%: P 0.667 em, a, g and e 0.556 em each.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace

import openpyxl
import pytest
from test_demo_pack import _footer, _pages_by_sheet, _program

from closekit.report.excel import write_workbooks
from closekit.report.excel_print import MIN_SCALE
from tests.site_years import PERIOD, PRIOR, report, two_years

NEW_SHEETS = ("Comprehensive Income", "Changes in Equity", "Cash Flows", "Roll-forwards", "Flows")
PAGE_AT_100 = 10 * (0.667 + 3 * 0.556)  # "Page" in Arial 10, points


@dataclass(frozen=True)
class Printed:
    """Per PDF ("group", "group_zh"): each page's text and the scale (%) it
    was printed at (0 where its footer has no "Page": the Chinese pages);
    the English workbook's sheets."""

    pages: dict[str, list[str]]
    scales: dict[str, list[float]]
    sheets: list[str]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    soffice, pdftotext = _program("soffice"), _program("pdftotext")
    root = tmp_path_factory.mktemp("print")
    g = two_years(root / "ws")
    zh = replace(g.settings, language="zh")
    sources = [
        report(g, PRIOR, PERIOD) / "group.xlsx",
        write_workbooks(zh, g.con, PERIOD, root / "zh", draft=True)[0],
    ]
    (root / "books").mkdir()
    books = [root / "books" / "group.xlsx", root / "books" / "group_zh.xlsx"]
    for source, book in zip(sources, books, strict=True):
        book.write_bytes(source.read_bytes())
    target = root / "pdf"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(target), *map(str, books)],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    out = Printed({}, {}, openpyxl.load_workbook(books[0]).sheetnames)
    for pdf in sorted(target.glob("*.pdf")):
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split("\f")[:-1]
        boxes = subprocess.run(
            [pdftotext, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split("<page ")[1:]
        scales = []
        for page in boxes:
            words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>Page<', page)
            scales.append(
                (float(words[-1][1]) - float(words[-1][0])) * 100 / PAGE_AT_100 if words else 0.0
            )
        assert len(scales) == len(text)
        out.pages[pdf.stem], out.scales[pdf.stem] = text, scales
    assert set(out.pages) == {"group", "group_zh"}
    return out


def test_the_new_sheets_print_readable_with_their_comparatives(
    printed: Printed,
) -> None:
    """Each new sheet printed, one page wide (every column's heading on its
    pages), at 70% or more as measured on the page, no '###'."""
    pages, scales, sheets = printed.pages["group"], printed.scales["group"], printed.sheets
    counts = _pages_by_sheet(pages, sheets)
    assert list(counts) == sheets
    for sheet in NEW_SHEETS:
        own = [
            (p, s)
            for p, s in zip(pages, scales, strict=True)
            if _footer(p).strip().startswith(sheet)
        ]
        assert own, sheet
        for page, scale in own:
            assert scale >= MIN_SCALE, (sheet, round(scale, 1))
            assert "###" not in page, sheet
        assert counts[sheet] == 1, (sheet, counts)  # two years of a small group: one page
    by_sheet = {_footer(p).strip().split()[0]: p for p in pages}
    heading = next(line for line in by_sheet["Cash"].splitlines() if "Jan–Feb 2025" in line)
    assert re.search(r"Feb 2026\s+Jan–Feb 2026\s+Jan–Feb 2025", heading), heading
    assert re.search(r"Net cash from operating activities\s+80\.00\s+280\.00\s+100\.00",
                     by_sheet["Cash"])  # fmt: skip
    # Month, year to date, a year earlier, then the year's owners and NCI
    # (the headings wrap under their months).
    assert re.search(r"Profit for the period\s+20\.00\s+220\.00\s+160\.00\s+216\.00\s+4\.00",
                     by_sheet["Comprehensive"])  # fmt: skip
    equity = by_sheet["Changes"]
    assert equity.index("Jan–Feb 2026") < equity.index("Jan–Feb 2025")


def test_every_sheet_prints_at_the_scale_its_layout_was_worked_out_for(
    printed: Printed,
) -> None:
    """LibreOffice draws the columns as excel_print.py counts them (the
    workbook's font is Arial 10, whose metrics LibreOffice has): no sheet
    prints below 70%."""
    pages, scales = printed.pages["group"], printed.scales["group"]
    low = {
        (_footer(p).strip()[:24], round(s))
        for p, s in zip(pages, scales, strict=True)
        if s < MIN_SCALE
    }
    assert low == set()


def test_the_chinese_sheets_say_their_months(
    printed: Printed,
) -> None:
    pages = printed.pages["group_zh"]
    income = next(p for p in pages if _footer(p).strip().startswith("综合收益表"))
    heading = next(line for line in income.splitlines() if "2025年1–2月" in line)
    assert "2026年2月" in heading and "2026年1–2月" in heading, heading
    assert "净利润" in income
    equity = next(p for p in pages if _footer(p).strip().startswith("所有者权益变动表"))
    assert equity.index("2026年1–2月") < equity.index("2025年1–2月")
    assert not any("###" in p for p in pages)

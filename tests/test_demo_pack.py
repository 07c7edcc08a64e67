"""The demo group's November pack as a controller prints it and an auditor
browses it (issue 15).

LibreOffice (``soffice --headless --convert-to pdf``) prints the group
workbook in English and, marked DRAFT, in Chinese; poppler's ``pdftotext``
reads the PDFs back: page counts per sheet, no ``###`` (a figure too wide for
its column), DRAFT and the page number on every page. Headless Chromium drills
from the group's revenue to a source row and reads an account page of more
than 100 journal lines. Each part is skipped where its program is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from test_browser import Browser, browser  # noqa: F401  (the fixture)
from test_excel_demo import PERIOD, closed_demo

from closekit.report import write_reports
from closekit.report.excel import write_workbooks

STATEMENTS = ("Summary", "Balance Sheet", "Income Statement", "Checks")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the pack of the last demo period, a DRAFT copy of group.xlsx in Chinese)."""
    root = tmp_path_factory.mktemp("demo")
    settings, con = closed_demo(root)
    out = write_reports(settings, con, PERIOD).out_dir
    zh = replace(settings, language="zh")
    written = write_workbooks(zh, con, PERIOD, root / "zh", draft=True)
    con.close()
    zh_group = root / "print" / "group_zh.xlsx"
    zh_group.parent.mkdir()
    shutil.copy(written[0], zh_group)
    return out, zh_group


def _program(name: str) -> str:
    """The program, or skip (fail under CI=true: .ci/run installs it)."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {name} is missing (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return found


@pytest.fixture(scope="module")
def printed(
    demo: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """The text of every page of each PDF, by file stem."""
    soffice, pdftotext = _program("soffice"), _program("pdftotext")
    out, zh_group = demo
    target = tmp_path_factory.mktemp("pdf")
    profile = target / "profile"  # its own LibreOffice profile: no lock shared with others
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(target), str(out / "group.xlsx"), str(zh_group)],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    pages: dict[str, list[str]] = {}
    for pdf in sorted(target.glob("*.pdf")):
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        pages[pdf.stem] = text.split("\f")[:-1]  # a form feed ends every page
    assert set(pages) == {"group", "group_zh"}
    return pages


def _footer(page: str) -> str:
    return [line for line in page.splitlines() if line.strip()][-1]


def _pages_by_sheet(pages: list[str], sheets: list[str]) -> dict[str, int]:
    """Pages per sheet, read from each page's footer (the sheet's name, left)."""
    counts: dict[str, int] = {}
    for page in pages:
        footer = _footer(page).strip()
        name = next(s for s in sorted(sheets, key=len, reverse=True) if footer.startswith(s))
        counts[name] = counts.get(name, 0) + 1
    return counts


def test_group_pack_prints_readable(demo: tuple[Path, Path], printed: dict[str, list[str]]) -> None:
    out, _zh = demo
    pages = printed["group"]
    book = openpyxl.load_workbook(out / "group.xlsx")
    total = len(pages)
    # Every page numbered "Page i of N", N the PDF's page count.
    assert [re.search(r"Page (\d+) of (\d+)", _footer(p)).groups() for p in pages] == [  # type: ignore[union-attr]
        (str(i), str(total)) for i in range(1, total + 1)
    ]
    assert not any("###" in p for p in pages)
    counts = _pages_by_sheet(pages, book.sheetnames)
    assert list(counts) == book.sheetnames  # every sheet printed, in order
    for sheet in STATEMENTS:
        assert counts[sheet] == 1, (sheet, counts)
    # The wide sheets print in blocks of columns (the Worksheet's 8 members,
    # then members' total, eliminations, adjustments, NCI and consolidated),
    # each block as many pages long as the sheet: a whole number of blocks.
    blocks = (
        len(set(book["Worksheet"].col_breaks.brk)) + 1 if book["Worksheet"].col_breaks.brk else None
    )
    if blocks:
        assert counts["Worksheet"] % blocks == 0, (blocks, counts)
    assert counts["Worksheet"] <= 12, counts
    # Listings (every flow, every intercompany document) are as long as the
    # data; the rest of the pack stays short.
    assert total - counts.get("Flows", 0) - counts.get("IC documents", 0) < 40, counts
    # The balance sheet's page ends with its totals, the workbook's figures.
    balance = next(p for p in pages if _footer(p).strip().startswith("Balance Sheet"))
    rows = {r[1]: r for r in book["Balance Sheet"].iter_rows(values_only=True) if r[1]}
    for label in ("Total assets", "Total equity", "Total liabilities and equity"):
        figure = f"{rows[label][2]:,.2f}"
        assert re.search(rf"{label}\s+{re.escape(figure)}", balance), label
    last = [line for line in balance.splitlines() if line.strip()][-2]
    assert "Total liabilities and equity" in last
    # Entity names sit under their codes in the Worksheet's heading, not on them.
    worksheet = next(p for p in pages if _footer(p).strip().startswith("Worksheet"))
    codes = next(line for line in worksheet.splitlines() if "CN00" in line and "CN01" in line)
    assert "Lotus" not in codes


def test_chinese_draft_pack_marks_every_page(printed: dict[str, list[str]]) -> None:
    pages = printed["group_zh"]
    total = len(pages)
    for i, page in enumerate(pages, 1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert lines[0].strip().startswith("草稿"), i  # the page header
        assert "草稿" in lines[-1] and f"第 {i} 页，共 {total} 页" in lines[-1], i  # the footer
    assert not any("###" in p for p in pages)
    balance = [p for p in pages if _footer(p).strip().startswith("资产负债表")]
    assert len(balance) == 1  # its last totals are not left on a page of their own
    assert "负债和所有者权益总计" in [ln for ln in balance[0].splitlines() if ln.strip()][-2]


@pytest.mark.browser
def test_drill_from_group_revenue_to_a_source_row(
    browser: Browser,  # noqa: F811
    demo: tuple[Path, Path],
) -> None:
    out, _zh = demo
    page = browser.page
    page.goto((out / "html" / "index.html").as_uri())
    page.click("a[href='nodes/CN00.html']")
    page.click("a[href='CN00/4100.html']")
    page.click("a[href='../../entities/CN01/4100.html']")
    # More than 100 lines: the first 100 are shown, the total of all of them
    # is the balance, and the page says so.
    capped = page.locator("#capped").inner_text()
    shown, count = (int(n.replace(",", "")) for n in re.findall(r"[\d,]+", capped)[:2])
    assert shown == 100 < count
    assert page.locator("#lines-total").inner_text() == page.locator("#balance").inner_text()
    assert page.locator("tr[id^='src-']").count() == 100
    crumbs = page.locator("nav.crumbs").inner_text()
    assert "CN00" in crumbs and "4100" in crumbs
    page.locator("a[href='#src-1']").first.click()
    row = page.locator("#src-1").inner_text()
    assert re.search(r"date\s+2026-\d\d-\d\d", row), row
    assert re.search(r"(amount|net_amount)\s+\(?[\d,]+\.\d\d", row), row
    page.click("nav.crumbs a[href='../../nodes/CN00/4100.html']")
    assert page.url.endswith("nodes/CN00/4100.html")
    assert browser.errors == []
    assert browser.external == []

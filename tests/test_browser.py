"""The audit site in headless Chromium: drill-down, every link, no errors.

Drives Debian's /usr/bin/chromium through Playwright (no browser download).
Skipped where Chromium is missing, except under CI=true, where a missing
browser is a failure: CI must prove the site works in a real browser.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import pytest

from closekit.report import write_reports
from tests import site_years
from tests.report_tables import PERIOD, build

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium, or skip (fail under CI=true)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and DEBIAN_CHROMIUM.is_file():
        found = str(DEBIAN_CHROMIUM)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        found = None
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium or playwright is missing (apt-get install chromium)")
        pytest.skip("no Chromium installed")
    return found


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings, con = build(tmp_path_factory.mktemp("browser") / "ws", failed=True)
    summary = write_reports(settings, con, PERIOD)
    con.close()
    return summary.out_dir


class Browser:
    """One page of a fresh headless Chromium profile, recording every console
    error and refusing every request that is not a local file."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.external: list[str] = []


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"),  # fresh per test
            executable_path=executable,
            headless=True,  # Playwright passes --headless
            args=CHROMIUM_ARGS,
            offline=True,
        )
        page = context.new_page()
        session = Browser(page)
        page.on("console", lambda m: session.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: session.errors.append(str(e)))

        def local_only(route: Route) -> None:
            url = route.request.url
            if url.startswith("file://"):
                route.continue_()
            else:
                session.external.append(url)
                route.abort()

        page.route("**/*", local_only)
        try:
            yield session
        finally:
            context.close()


def test_drill_down_from_the_index_to_a_source_row(
    browser: Browser, out_dir: Path, tmp_path: Path
) -> None:
    page = browser.page
    page.goto((out_dir / "html" / "index.html").as_uri())
    assert page.locator("#draft").inner_text().startswith("DRAFT")

    # Group statement -> revenue line -> P's revenue -> source row -> its file.
    page.click("a[href='nodes/P.html']")
    assert page.locator("h1").inner_text() == "Parent Co (P)"
    page.click("a[href='P/4000.html']")
    assert "(1,200.00)" in page.locator("table").first.inner_text()
    page.click("a[href='../../entities/P/4000.html']")
    page.click("text=ledgers/2026-01/sales.csv:3")
    assert page.url.endswith("#src-2")
    row = page.locator("#src-2")
    assert "support" in row.inner_text()
    # Input text is shown as text, never run: the row's <script> memo is visible.
    assert "<script>alert(" in row.inner_text()
    page.screenshot(path=str(tmp_path / "source-row.png"), full_page=True)
    row.locator("a").click()
    assert "SHA-256" in page.inner_text("body")
    assert (tmp_path / "source-row.png").stat().st_size > 10_000
    assert browser.errors == []
    assert browser.external == []


def test_a_cash_flow_figure_drills_to_the_journal_lines_behind_it(
    browser: Browser, out_dir: Path
) -> None:
    """Group -> its statements -> a cash-flow line -> the group's account
    page -> P's lines on it, down to the sales row. (The fixture's account
    1000 has no cash class, so it is operating: its increase of 1,000.00,
    P's sale, is cash not received, (1,000.00).)"""
    page = browser.page
    page.goto((out_dir / "html" / "nodes" / "P.html").as_uri())
    page.click("a[href='P-statements.html']")
    line = page.locator("#cf-1000")
    assert "(1,000.00)" in line.inner_text()
    line.locator("a").click()
    assert page.url.endswith("nodes/P/1000.html")
    page.click("a[href='../../entities/P/1000.html']")
    assert "ledgers/2026-01/sales.csv:2" in page.inner_text("body")
    assert browser.errors == []


@pytest.fixture(scope="module")
def two_year_packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """out/2026-02 of tests/site_years.py, reported after out/2025-02."""
    g = site_years.two_years(tmp_path_factory.mktemp("years") / "ws")
    out = site_years.report(g, site_years.PRIOR, site_years.PERIOD)
    g.con.close()
    return out


def test_comparative_figures_drill_to_the_prior_years_journal_lines(
    browser: Browser, two_year_packs: Path
) -> None:
    """2026-02's statements page -> the cash-flow line of trade receivables
    (1100), its Jan-Feb 2025 figure (60.00) -> 2025-02's group page of 1100
    -> P's journal line of February 2025, the sale on credit of 60.00. The
    same line this year -> its flows -> P's collection of February 2026.
    Then 2026-02's income statement -> revenue's Jan-Feb 2025 figure,
    160.00 -> P's lines of 2025: 100.00 in January, 60.00 in February."""
    page = browser.page
    page.goto((two_year_packs / "html" / "nodes" / "P-statements.html").as_uri())
    figures = page.locator("#cf-1100 td.num")
    assert [figures.nth(i).inner_text() for i in range(3)] == ["60.00", "60.00", "(60.00)"]
    figures.nth(2).locator("a").click()
    assert page.url.endswith("/2025-02/html/nodes/P/1100.html")
    page.click("a[href='../../entities/P/1100.html']")
    assert page.url.endswith("/2025-02/html/entities/P/1100.html")
    lines = page.locator("tr", has_text="2025-02-01").all_inner_texts()
    assert len(lines) == 1 and "60.00" in lines[0], lines
    assert "Journal lines making up the balance at 2025-02" in page.inner_text("body")

    # This year's figure: the group has no page of 1100 (collected in full,
    # no balance): the line leads to its flows, a flow to P's lines.
    page.goto((two_year_packs / "html" / "nodes" / "P-statements.html").as_uri())
    page.locator("#cf-1100 a").first.click()
    assert page.url.endswith("P-statements.html#fl-1100")
    page.locator("#fl-1100 a").click()
    assert page.url.endswith("/2026-02/html/entities/P/1100.html")
    collected = page.locator("tr", has_text="2026-02-01").all_inner_texts()
    assert len(collected) == 1 and "(60.00)" in collected[0], collected

    page.goto((two_year_packs / "html" / "nodes" / "P.html").as_uri())
    revenue = page.locator("table.statement tr", has_text="Account 4000").locator("td.num")
    assert revenue.last.inner_text() == "160.00"  # Jan–Feb 2025
    revenue.last.locator("a").click()
    assert page.url.endswith("/2025-02/html/nodes/P/4000.html")
    page.click("a[href='../../entities/P/4000.html']")
    dates = page.locator("tr", has_text="journals").all_inner_texts()
    assert sorted(d.split()[0] for d in dates) == ["2025-01-01", "2025-02-01"], dates
    assert browser.errors == []
    assert browser.external == []


def test_every_link_opens_and_no_page_logs_an_error(browser: Browser, out_dir: Path) -> None:
    page = browser.page
    start = (out_dir / "html" / "index.html").as_uri()
    seen: set[str] = set()
    queue = [start]
    broken: list[str] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        path = Path(unquote(urlparse(url).path))
        if not path.is_file():
            broken.append(url)
            continue
        if path.suffix != ".html":
            continue  # parquet, csv, json: present is enough
        page.goto(url)
        links = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.href.split('#')[0])"
        )
        queue.extend(link for link in links if link not in seen)
    assert broken == []
    pages = {u for u in seen if u.endswith(".html")}
    assert len(pages) == len(list((out_dir / "html").rglob("*.html")))  # all reachable
    assert browser.errors == []
    assert browser.external == []


def test_missing_chromium_skips_locally_and_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setattr(sys.modules[__name__], "DEBIAN_CHROMIUM", tmp_path / "none")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        chromium_path()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        chromium_path()

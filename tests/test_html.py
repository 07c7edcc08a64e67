"""The HTML audit site: figures, drill-down links, escaping, DRAFT, bounds.

Figures are those worked in tests/report_tables.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from closekit.report import html, html_site, line_pages
from closekit.report.names import slug
from tests.report_tables import PERIOD, SCRIPT_TEXT, build

LINK = re.compile(r'(?:href|src)="([^"]+)"')


def site(tmp_path: Path, **options: object) -> Path:
    settings, con = build(tmp_path / "ws", **options)  # type: ignore[arg-type]
    out = tmp_path / "out"
    html.write_site(settings, con, PERIOD, out, draft=bool(options.get("failed")))
    con.close()
    return out / "html"


@pytest.fixture(scope="module")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the passing close, built once for the tests that only read it."""
    return site(tmp_path_factory.mktemp("site"))


def page(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


def cells(text: str) -> list[str]:
    """The text of every table cell, tags stripped, in order."""
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", text, re.S)
    ]


def test_index_lists_checks_nodes_entities_and_inputs(default_site: Path) -> None:
    root = default_site
    index = page(root, "index.html")
    assert 'class="draft"' not in index
    assert "rows_accounted" in index and "ic_matched" in index
    assert 'href="nodes/P.html"' in index
    assert 'href="entities/S.html"' in index
    assert 'href="files/ledgers~2F2026-01~2Fsales.csv.html"' in index
    assert 'href="../rejects.csv"' in index  # a row was rejected
    # Key figures of the group, YTD: assets 1,000.00 cash + 1.20 IC difference;
    # profit 1,004.00, of which NCI (39.20), owners 1,043.20.
    figures = re.findall(r"<th><a[^>]*>([^<]+)</a></th><td class=\"num\">([^<]+)</td>", index)
    assert figures == [
        ("Total assets", "1,001.20"),
        ("Profit for the period", "1,004.00"),
        ("Attributable to owners of the parent", "1,043.20"),
        ("Attributable to non-controlling interests", "(39.20)"),
    ]
    # Only the current version of sales.csv is listed (read 2, not the old 1).
    assert index.count("ledgers/2026-01/sales.csv</a>") == 1


def test_index_says_final_with_warnings_and_lists_every_entity(tmp_path: Path) -> None:
    """A check that warns: the close is final (nothing failed) but the index
    says how many warnings, never "every check passed"."""
    settings, con = build(tmp_path / "ws")
    con.execute(
        "INSERT INTO check_result VALUES (?, 9, 'prior_period_locked', 'warn', "
        "'prior period 2025-12 is not locked; 105350919.09 moved')",
        [PERIOD],
    )
    html.write_site(settings, con, PERIOD, tmp_path / "out", draft=False)
    con.close()
    index = page(tmp_path / "out" / "html", "index.html")
    status = re.search(r'id="close-status">(.*?)</p>', index, re.S)
    assert status is not None
    assert "Final: no check failed, 1 warning(s)" in status.group(1)
    assert "every check passed" not in index
    assert "105,350,919.09 moved" in index  # a detail's amount as money
    # Every entity with its method and status; every input file with its period.
    rows = cells(index)
    assert rows[rows.index("Sub &lt;Inc&gt; &amp; Co") :][:6] == [
        "Sub &lt;Inc&gt; &amp; Co",
        "USD",
        "P",
        "80",
        "full",
        "Consolidated line by line",
    ]
    assert "2026-01" in rows[rows.index("ledgers/2026-01/sales.csv") - 1]


def test_management_pages_have_the_workbook_columns_and_subtotals(default_site: Path) -> None:
    """One cost line: S's expense 6000 on CC1 (Finance), 28.00 USD x 7.0 =
    196.00 in the month and the year to date (January is both); the BU
    page's result is revenue 1,200.00 - expense 196.00 = 1,004.00."""
    units = page(default_site, "business_units.html")
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", units)
    assert heads[2:11] == [
        *(f"Month Jan 2026: {m}" for m in ("Revenue", "Expense", "Allocations", "Result")),
        *(f"Year to date Jan 2026: {m}" for m in ("Revenue", "Expense", "Allocations", "Result")),
        "Prior month Dec 2025: Result",
    ]
    rows = cells(units)
    at = rows.index("Group total")
    assert rows[at + 2 : at + 10] == ["1,200.00", "196.00", "0.00", "1,004.00"] * 2
    costs = cells(page(default_site, "cost_centers.html"))
    # Department subtotal, cost-center subtotal, the account, the grand total:
    # (code, name, entity, month, year to date, prior month) each.
    at = costs.index("Finance")
    assert costs[at : at + 24] == [
        "Finance", "", "", "196.00", "196.00", "0.00",
        "CC1", "Finance US", "S", "196.00", "196.00", "0.00",
        "6000", "Expense", "S", "196.00", "196.00", "0.00",
        "Total", "", "", "196.00", "196.00", "0.00",
    ]  # fmt: skip


def test_draft_banner_on_every_page_when_a_check_failed(tmp_path: Path) -> None:
    root = site(tmp_path, failed=True)
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 20
    for p in pages:
        text = p.read_text(encoding="utf-8")
        # The first thing in the body, and in the window title.
        assert '<body>\n<div class="draft" id="draft">DRAFT' in text, p
        assert "<title>DRAFT · " in text, p


def test_group_statement_figures(default_site: Path) -> None:
    root = default_site
    group = cells(page(root, "nodes/P.html"))
    # Profit 1,200.00 revenue - 196.00 expense = 1,004.00, month = YTD at the
    # fiscal-year start; NCI share (20% of S's loss of 196.00) = (39.20);
    # owners 1,004.00 + 39.20 = 1,043.20.
    at = group.index("Profit for the period")
    assert group[at + 1 : at + 4] == ["1,004.00", "1,004.00", "0.00"]
    at = group.index("Attributable to non-controlling interests")
    assert group[at + 1 : at + 3] == ["(39.20)", "(39.20)"]
    at = group.index("Attributable to owners of the parent")
    assert group[at + 1] == "1,043.20"
    # The IC remainder 200.00 - 198.80 stays on 1900 and links down.
    at = group.index("IC difference")
    assert group[at + 1] == "1.20"
    assert 'href="P/1900.html"' in page(root, "nodes/P.html")


def test_node_account_splits_members_and_entries(default_site: Path) -> None:
    root = default_site
    text = page(root, "nodes/P/1900.html")
    row = cells(text)
    assert "Intercompany elimination" in row
    assert "200.00" in row and "(198.80)" in row
    assert row[-1] == "1.20"  # consolidated: 0.00 members + 1.20 entries
    # Revenue: both of P's keys, entity linked to its account page.
    revenue = page(root, "nodes/P/4000.html")
    assert 'href="../../entities/P/4000.html"' in revenue
    assert "(1,200.00)" in cells(revenue)


def test_nci_entries_show_their_share_and_base(default_site: Path) -> None:
    """S is held 80%: NCI takes 20% of S's translated result, expense 196.00
    (28.00 x 7.0), = 39.20, and 20% of its CTA 2.80 (the translation plug,
    debit) = 0.56. The NCI equity page lists both entries, each with the
    share and the base that give its amount again."""
    rows = re.findall(r"<tr><td>(.*?)</tr>", page(default_site, "nodes/P/3900.html"))
    shown = [re.sub(r"<[^>]+>", "|", r) for r in rows]
    results = next(r for r in shown if r.startswith("NCI in results"))
    reserves = next(r for r in shown if r.startswith("NCI in reserves"))
    assert "|20.00%|" in results and "|196.00|" in results and "39.20" in results
    assert "|20.00%|" in reserves and "|2.80|" in reserves and "0.56" in reserves
    # The same basis on the other side of each entry, and the entity
    # breadcrumb leads back to the node's account page.
    cta = page(default_site, "nodes/P/3300.html")
    assert re.search(r"20\.00%</td><td class=\"num\">2\.80</td><td class=\"num\">\(0\.56\)", cta)
    entity = page(default_site, "entities/S/6000.html")
    crumbs = re.search(r'<nav class="crumbs">(.*?)</nav>', entity, re.S)
    assert crumbs is not None
    assert 'href="../../nodes/P/6000.html"' in crumbs.group(1)


def test_entity_account_page_reaches_source_rows(default_site: Path) -> None:
    root = default_site
    text = page(root, "entities/P/4000.html")
    row = cells(text)
    # Balance keys: '' and S partner on PC1, total (1,200.00) functional.
    assert row.count("(1,200.00)") >= 2
    # Journal lines link to their source row on the page, which links to the file page.
    assert '<a href="#src-1">ledgers/2026-01/sales.csv:2</a>' in text
    assert '<tr id="src-2">' in text
    assert 'href="../../files/ledgers~2F2026-01~2Fsales.csv.html"' in text
    # Each source row as it was in the file: its amounts first, then its
    # other columns under their names, the extra columns as plain values.
    source = re.search(r'<tr id="src-2">(.*?)</tr>', text, re.S)
    assert source is not None
    shown = re.sub(r"<[^>]+>", "", source.group(1))
    assert "INV2/1" in shown
    assert shown.index("net_amount 200.00") < shown.index("date 2026-01-06")
    assert "partner S" in shown and "description support" in shown
    first = re.search(r'<tr id="src-1">(.*?)</tr>', text, re.S)
    assert first is not None and "customer Acme" in re.sub(r"<[^>]+>", "", first.group(1))
    assert "memo &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in shown  # not JSON-escaped
    # The total of all the lines is the balance.
    assert re.search(r'id="lines-total">\(1,200.00\)<', text)


def test_input_text_is_escaped(default_site: Path) -> None:
    root = default_site
    for p in root.rglob("*.html"):
        assert SCRIPT_TEXT not in p.read_text(encoding="utf-8"), p
        assert "<Inc>" not in p.read_text(encoding="utf-8"), p
    assert "Sub &lt;Inc&gt; &amp; Co" in page(root, "index.html")
    assert "&lt;script&gt;" in page(root, "entities/P/4000.html")


def test_every_link_points_at_a_file_and_nothing_is_external(tmp_path: Path) -> None:
    root = site(tmp_path)
    out = root.parent
    # The audit pack files the index links to are written after the site.
    for name in ("journal.parquet", "rejects.csv", "manifest.json"):
        (out / name).write_text("")
    for p in root.rglob("*.html"):
        for link in LINK.findall(p.read_text(encoding="utf-8")):
            assert "://" not in link and not link.startswith("//"), (p, link)
            target = link.split("#")[0]
            anchor = link.partition("#")[2]
            resolved = (p.parent / unquote(target)).resolve() if target else p
            assert resolved.is_file(), (p, link)
            if anchor:
                assert f'id="{anchor}"' in resolved.read_text(encoding="utf-8"), (p, link)


def test_journal_lines_are_capped_with_the_drill_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(line_pages, "LINE_CAP", 1)
    monkeypatch.setattr(line_pages.journal_lines, "__defaults__", (1,))
    root = site(tmp_path)
    text = page(root, "entities/P/4000.html")
    assert "Showing the first 1 of 2 lines" in text
    # The shown line's total, and that of both lines: the balance.
    assert re.search(r"The 1 lines shown \(of 2\)</td><td class=\"num\">\(1,000.00\)<", text)
    assert re.search(r'id="lines-total">\(1,200.00\)<', text)
    assert "closekit drill 2026-01 --account 4000 --entity P --format csv" in text
    assert text.count('<tr id="src-') == 1


def test_labels_follow_the_language(tmp_path: Path) -> None:
    root = site(tmp_path, language="zh")
    index = page(root, "index.html")
    assert '<html lang="zh">' in index
    assert "检查" in index
    assert "母公司" in index  # P's name_zh
    assert "利润表" in page(root, "nodes/P.html")
    statements = page(root, "nodes/P-statements.html")
    shown = ("综合收益总额", "实收资本", "经营活动产生的现金流量", "期末现金及现金等价物余额")
    for chinese in shown:
        assert chinese in statements
    for english in ("Total comprehensive income", "Share capital", "Net cash from"):
        assert english not in statements


def test_same_tables_give_identical_bytes(tmp_path: Path) -> None:
    first = site(tmp_path / "a")
    second = site(tmp_path / "b")
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()
    )
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("0"), "0.00"),
        (Decimal("1234.5"), "1,234.50"),
        (Decimal("-1234567.89"), "(1,234,567.89)"),
        (Decimal("-0.01"), "(0.01)"),
        (None, ""),
    ],
)
def test_money(value: Decimal | None, shown: str) -> None:
    assert html_site.money(value) == shown


@given(st.decimals(min_value=-(10**15), max_value=10**15, places=2))
def test_money_reads_back(value: Decimal) -> None:
    shown = html_site.money(value)
    negative = shown.startswith("(")
    back = Decimal(shown.strip("()").replace(",", ""))
    assert (-back if negative else back) == value


@hypothesis_settings(deadline=None)
@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_slug_is_a_safe_one_to_one_file_name(a: str, b: str) -> None:
    for code in (a, b):
        name = slug(code)
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert name.isascii()
    assert (slug(a) == slug(b)) == (a == b)

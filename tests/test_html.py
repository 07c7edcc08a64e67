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

from closekit.report import html, html_site, queries
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
    assert "Acme" in row and "support" in row


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
    monkeypatch.setattr(queries, "LINE_CAP", 1)
    monkeypatch.setattr(queries.journal_lines, "__defaults__", (1,))
    root = site(tmp_path)
    text = page(root, "entities/P/4000.html")
    assert "Showing the first 1 of 2 lines" in text
    assert "closekit drill 2026-01 --account 4000 --entity P --format csv" in text
    assert text.count('<tr id="src-') == 1


def test_labels_follow_the_language(tmp_path: Path) -> None:
    root = site(tmp_path, language="zh")
    index = page(root, "index.html")
    assert '<html lang="zh">' in index
    assert "检查" in index
    assert "母公司" in index  # P's name_zh
    assert "利润表" in page(root, "nodes/P.html")


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

"""The site's comparatives (SPEC 10, 19.2; issue 13 item 6): the complete
statements page shows the workbook's columns, each headed by the months it
covers, and every comparative figure links to the page behind it in the
pack of its period, once that pack is there. Figures derived in
tests/site_years.py's docstring."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest

from closekit.report import html, prior_packs, reuse
from closekit.report.prior_packs import PriorPacks, comparative_periods
from tests.site_years import PERIOD, PRIOR, report, two_years
from tests.test_consolidate_helpers import Group

UNLINKED = "The pack of {0} (out/{0}) was not there when this page was written"


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Group, dict[str, str], Path]:
    """(the group; its 2026-02 pages as reported before 2025-02 was, by
    path; out/2026-02 reported again after 2025-02 was)."""
    g = two_years(tmp_path_factory.mktemp("years") / "ws")
    alone = report(g, PERIOD) / "html"
    before = {p.relative_to(alone).as_posix(): p.read_text() for p in alone.rglob("*.html")}
    return g, before, report(g, PRIOR, PERIOD)


def page(out: Path, relative: str) -> str:
    return (out / "html" / relative).read_text()


def row(text: str, label: str) -> list[str]:
    """The figures of the first table row labelled ``label``, each with
    '->href' when it links."""
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", text, re.S):
        if re.search(rf'<td class="l\d">(?:<a [^>]*>)?{re.escape(label)}(?:</a>)?</td>', tr):
            cells = re.findall(r'<td class="num">(?:<a href="([^"]*)">)?([^<]*)(?:</a>)?</td>', tr)
            return [f"{figure}->{href}" if href else figure for href, figure in cells]
    raise AssertionError(label)


def test_the_statements_page_has_the_workbooks_columns(
    years: tuple[Group, dict[str, str], Path],
) -> None:
    """Comprehensive income: Feb 2026, Jan-Feb 2026 (owners, NCI, total),
    Jan-Feb 2025; cash flows: the same three periods; the equity statement
    and the roll-forwards of a year earlier below the year's."""
    _g, _before, out = years
    text = page(out, "nodes/P-statements.html")
    prior = f"../../../{PRIOR}/html/nodes/P-statements.html"
    heads = re.findall(r'<th class="num">([^<]*(?:<br>[^<]*)?)</th>', text.split("</thead>")[0])
    assert heads == [
        "Feb 2026", "Owners of the parent<br>Jan–Feb 2026",
        "Non-controlling interests<br>Jan–Feb 2026", "Total<br>Jan–Feb 2026", "Jan–Feb 2025",
    ]  # fmt: skip
    assert row(text, "Profit for the period") == [
        "20.00",
        "216.00",
        "4.00",
        "220.00",
        f"160.00->{prior}#income",
    ]
    cash = text[text.index('id="cash"') :]
    assert re.findall(r'<th class="num">([^<]*)</th>', cash.split("</thead>")[0]) == [
        "Feb 2026", "Jan–Feb 2026", "Jan–Feb 2025",
    ]  # fmt: skip
    # The collection of February 2026; a year earlier, the sale on credit.
    assert row(cash, "Change in Account 1100") == [
        "60.00",
        "60.00",
        f"(60.00)->../../../{PRIOR}/html/nodes/P/1100.html",
    ]
    assert row(cash, "Net cash from operating activities") == [
        "80.00",
        "280.00",
        f"100.00->{prior}#cash",
    ]
    assert row(cash, "Cash and cash equivalents at the beginning") == [
        "1,900.00",
        "1,700.00",
        f"1,600.00->{prior}#cash",
    ]
    assert row(cash, "Cash and cash equivalents at the end") == [
        "1,980.00",
        "1,980.00",
        f"1,700.00->{prior}#cash",
    ]
    equity = text[text.index('id="equity"') : text.index('id="cash"')]
    assert re.findall(r"<h3>([^<]*)</h3>", equity) == ["Jan–Feb 2026", "Jan–Feb 2025"]
    year, earlier = equity.split("<h3>")[1:]
    assert row(year, "Balance at 2026-02")[-3:] == ["1,876.00", "104.00", "1,980.00"]
    assert row(earlier, "Balance at 2025-02")[-3:] == [
        f"{x}->{prior}#equity" for x in ("1,660.00", "100.00", "1,760.00")
    ]
    assert "<h3>Non-controlling interests per subsidiary — Jan–Feb 2025</h3>" in text


def test_a_page_says_which_comparatives_link_nowhere_until_their_pack_is_there(
    years: tuple[Group, dict[str, str], Path],
) -> None:
    """Reported before 2025-02 was: the year-earlier figures are shown, not
    linked, and the page says so; reported again after: linked, no note.
    (The balance sheet's prior fiscal year end, 2025-12, has no pack here.)"""
    _g, before, out = years
    for relative in ("nodes/P-statements.html", "nodes/P.html", "entities/S.html"):
        alone, after = before[relative], page(out, relative)
        assert UNLINKED.format(PRIOR) in alone, relative
        assert UNLINKED.format(PRIOR) not in after, relative
        assert f"../../../{PRIOR}/" not in alone
        assert f"../../../{PRIOR}/" in after
    assert UNLINKED.format("2025-12") in page(out, "nodes/P.html")
    assert row(before["nodes/P.html"], "Account 4000")[-1] == "160.00"
    assert row(page(out, "nodes/P.html"), "Account 4000")[-1] == (
        f"160.00->../../../{PRIOR}/html/nodes/P/4000.html"
    )


def test_every_comparative_link_opens_a_page_of_the_prior_pack(
    years: tuple[Group, dict[str, str], Path],
) -> None:
    _g, _before, out = years
    links = 0
    for path in (out / "html").rglob("*.html"):
        for href in re.findall(r'href="(\.\./\.\./\.\./[^"]*)"', path.read_text()):
            target, _, anchor = unquote(href).partition("#")
            opened = (path.parent / target).resolve()
            assert opened.is_file(), (path, href)
            assert opened.is_relative_to((out.parent / PRIOR / "html").resolve()), href
            if anchor:
                assert f'id="{anchor}"' in opened.read_text(), (path, href)
            links += 1
    assert links > 30


def test_chinese_headings_and_notes(
    years: tuple[Group, dict[str, str], Path], tmp_path: Path
) -> None:
    """The columns' months, the note on an unlinked comparative, the page's
    titles and notes in Chinese."""
    g, _before, _out = years
    zh = replace(g.settings, language="zh", output_dir=tmp_path / "none")
    html.write_site(zh, g.con, PERIOD, tmp_path / "zh", draft=False)
    text = (tmp_path / "zh" / "html" / "nodes" / "P-statements.html").read_text()
    for heading in ("2026年2月", "归属于母公司所有者<br>2026年1–2月", "2025年1–2月"):
        assert f'<th class="num">{heading}</th>' in text, heading
    assert f"编写本页时 {PRIOR} 的报告包（out/{PRIOR}）尚不存在" in text
    assert "<h3>2025年1–2月</h3>" in text
    for chinese in ("<title>P — 报表", '<h2 id="income">综合收益表</h2>', "以贷方为正列示。",
                    '<h2 id="flows">变动明细</h2>', "现金流入为正"):  # fmt: skip
        assert chinese in text, chinese
    for english in ("Statement of", "Presented credit positive", "Roll-forwards", "statements<"):
        assert english not in text, english
    node = (tmp_path / "zh" / "html" / "nodes" / "P.html").read_text()
    assert ">综合收益表、所有者权益变动表、现金流量表、变动表及变动明细</a>" in node


def test_the_periods_compared(years: tuple[Group, dict[str, str], Path]) -> None:
    """The prior fiscal year end as the balance sheet (2025-12) and the
    equity statement (the last folder before the year, 2025-02) count it,
    and the same month a year earlier."""
    g, _before, out = years
    assert comparative_periods(g.settings, PERIOD) == ("2025-02", "2025-12")
    packs = PriorPacks(out.parent)
    assert packs.exists(PRIOR) and not packs.exists("2025-12")
    assert packs.href(PRIOR, "nodes/P/4000.html") == f"../../../{PRIOR}/html/nodes/P/4000.html"
    assert packs.href(PRIOR, "nodes/P/9999.html") == ""


def test_reused_pages_render_again_once_a_comparative_pack_is_written(
    years: tuple[Group, dict[str, str], Path], tmp_path: Path
) -> None:
    """Whether the prior pack is there (and which it is) changes the links,
    so it is in the reuse fingerprint of every entity and node page."""
    g, _before, out = years
    manifest = out.parent / PRIOR / "manifest.json"
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
    assert prior_packs.fingerprint(g.settings, PERIOD) == [[PRIOR, digest]]
    without = replace(g.settings, output_dir=tmp_path)
    assert prior_packs.fingerprint(without, PERIOD) == []
    now = reuse.inputs(g.settings, g.con, PERIOD, draft=True)
    earlier = reuse.inputs(without, g.con, PERIOD, draft=True)
    assert now.entities.keys() == earlier.entities.keys() == {"P", "S"}
    assert all(now.entities[e] != earlier.entities[e] for e in now.entities)


def test_an_account_without_a_node_page_drills_through_its_flows(
    years: tuple[Group, dict[str, str], Path],
) -> None:
    """Trade receivables (1100) are collected in full in February 2026: the
    group has no page of 1100 at 2026-02 (no balance), so its cash-flow
    line links to its first flow, and each flow to P's page of 1100, which
    lists the sale of February 2025 (60.00) and the collection ((60.00))."""
    _g, _before, out = years
    text = page(out, "nodes/P-statements.html")
    assert not (out / "html" / "nodes" / "P" / "1100.html").exists()
    assert '<td class="l1"><a href="#fl-1100">Change in Account 1100</a></td>' in text
    flows = re.findall(
        r'<tr( id="fl-1100")?><td class="code">P</td><td class="code"><a href="([^"]*)">1100<',
        text,
    )
    assert flows == [(' id="fl-1100"', "../entities/P/1100.html"), ("", "../entities/P/1100.html")]
    lines = page(out, "entities/P/1100.html")
    assert re.search(r'<td class="num">60\.00</td>', lines)
    assert re.search(r'<td class="num">\(60\.00\)</td>', lines)

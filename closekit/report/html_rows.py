"""Table rows of the audit site's long tables, written straight to markup.

An entity x account page lists every balance key and up to
:data:`~closekit.report.line_pages.LINE_CAP` journal lines with their source
rows: about 50,000 lines and 55,000 keys at 250,000 subledger rows. Rendered
by jinja2 each cell costs an attribute lookup, an ``escape`` call and a
``Markup`` object (measured: 8.5 s of a 26 s report step); here a row is one
f-string (0.4 s). The page around the rows stays in its template; the rows
are passed in as ``Markup`` and come out byte for byte as the template wrote
them, which the golden pages check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup

from closekit.report.html_site import money
from closekit.report.line_pages import JournalLine
from closekit.report.queries import BalanceKey
from closekit.report.source_fields import source_fields


def _escape_text(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


try:  # markupsafe's own C escaper: markupsafe.escape without the Markup object
    from markupsafe._speedups import _escape_inner as escape_text
except ImportError:  # pragma: no cover - markupsafe installed without its C speedups
    escape_text = _escape_text


def escape(value: object) -> str:
    """Text as HTML, exactly as ``markupsafe.escape`` writes it (the same five
    characters, the same entities), without a ``Markup`` object per cell."""
    return escape_text(value if type(value) is str else str(value))


def key_rows(keys: Iterable[BalanceKey]) -> Markup:
    """One row per balance key: partner, profit center, cost center, rate
    kind, functional and translated amount."""
    e = escape_text
    return Markup(
        "".join(
            f'<tr><td class="code">{e(k.partner)}</td><td class="code">{e(k.profit_center)}</td>'
            f'<td class="code">{e(k.cost_center)}</td><td>{e(k.rate_kind)}</td>'
            f'<td class="num">{money(k.amount)}</td>'
            f'<td class="num">{money(k.amount_group)}</td></tr>\n'
            for k in keys
        )
    )


def line_rows(lines: Iterable[JournalLine], generated: str) -> Markup:
    """One row per journal line; a line from a file links to its source row
    below (``#src-N``, N counting every line from 1), a generated line says
    ``generated``."""
    e = escape_text
    shown_generated = e(generated)

    def source(n: int, line: JournalLine) -> str:
        if line.path:
            return f'<a href="#src-{n}">{e(line.path)}:{escape(line.row_no)}</a>'
        return shown_generated

    return Markup(
        "".join(
            f'<tr><td class="code">{e(x.date)}</td><td>{e(x.module)}</td><td>{e(x.kind)}</td>'
            f'<td class="code">{e(x.doc_id)}/{e(x.line)}</td><td class="code">{e(x.partner)}</td>'
            f'<td class="code">{e(x.profit_center)}</td>'
            f'<td class="code">{e(x.cost_center)}</td><td>{e(x.currency)}</td>'
            f'<td class="num">{money(x.amount_doc)}</td><td class="num">{money(x.amount)}</td>'
            f'<td class="code">{source(n, x)}</td></tr>\n'
            for n, x in enumerate(lines, 1)
        )
    )


def source_rows(lines: Iterable[JournalLine], file_hrefs: Mapping[str, str]) -> Markup:
    """The source row of every line read from a file, numbered as in
    :func:`line_rows`: its file and row, its document and line, then the
    row as it was in the file (:func:`closekit.report.source_fields.source_fields`),
    the amounts first."""
    e = escape_text

    def fields(pairs: list[tuple[str, str]], kind: str) -> str:
        return " ".join(
            f'<span class="{kind}"><span class="k">{e(name)}</span> {e(value)}</span>'
            for name, value in pairs
        )

    out = []
    for n, x in enumerate(lines, 1):
        if not x.path:
            continue
        amounts, others = source_fields(x)
        out.append(
            f'<tr id="src-{n}"><td class="num">{n}</td>'
            f'<td class="code"><a href="{e(file_hrefs[x.path])}">{e(x.path)}</a>:'
            f"{escape(x.row_no)}</td>"
            f'<td class="code">{e(x.doc_id)}/{e(x.line)}</td>'
            f'<td class="fields">{fields(amounts, "f amount")}</td>'
            f'<td class="fields">{fields(others, "f")}</td></tr>\n'
        )
    return Markup("".join(out))


def management_rows(rows: Iterable[Mapping[str, Any]]) -> Markup:
    """The vertical view's rows (made by :mod:`closekit.report.html_management`):
    text cells, the first one a code indented by level (at most 5) and linked
    when the row has a drill page, then the amounts; a bold row is a subtotal."""
    out = []
    for row in rows:
        cells = []
        for n, cell in enumerate(row["text"]):
            if n:
                cells.append(f'<td class="">{escape(cell)}</td>')
                continue
            shown = escape(cell)
            if row["href"]:
                shown = f'<a href="{escape(row["href"])}">{shown}</a>'
            cells.append(f'<td class="code l{min(row["level"], 5)}">{shown}</td>')
        cells.extend(f'<td class="num">{money(value)}</td>' for value in row["amounts"])
        out.append(f'<tr class="{"subtotal" if row["bold"] else ""}">{"".join(cells)}</tr>\n')
    return Markup("".join(out))

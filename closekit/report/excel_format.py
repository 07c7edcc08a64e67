"""How every closekit workbook looks, and the rules every cell write obeys.

- Money: ``#,##0.00;(#,##0.00)`` (thousands separators, negatives in
  parentheses), written from ``Decimal``; Excel itself stores doubles.
- Text from input files is never a formula: every text cell goes through
  :meth:`Sheet.text`, which uses ``write_string`` and, for text beginning with
  ``=``, ``+``, ``-`` or ``@``, Excel's quote prefix so that editing the cell
  keeps it text too.
- Formulas carry their cached value, so viewers that do not recalculate show
  the right figures.
- Deterministic bytes: the document's created time is the period end (no
  clock anywhere in the file); XlsxWriter stamps the zip entries with a
  fixed date itself.
- Print: every sheet prints on A4 readable as it is (:meth:`Sheet.finish`):
  portrait when its columns fit at 80% or more, else landscape fitted to
  one page wide when that keeps the scale at 70% or more, else landscape at
  a fixed scale in blocks of columns, the row titles repeated on every
  page. DRAFT is in the page header and footer too.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from closekit import __version__
from closekit.report import labels
from closekit.report.excel_cells import CellWorksheet
from closekit.report.excel_print import (
    LINE_POINTS,
    MARGIN_HEADER,
    MARGIN_SIDE,
    MARGIN_TOP,
    ROW_POINTS,
    fits_one_page,
    print_layout,
    text_lines,
)

MONEY = "#,##0.00;(#,##0.00)"
RATE = "#,##0.0000######"  # at least 4 places, up to the 10 a rate may carry
PERCENT = "0.00%"
FORMULA_START = ("=", "+", "-", "@")
MAX_OUTLINE = 7  # Excel's deepest outline level
A4 = 9


class Formats:
    """Cell formats made on demand and shared, keyed by their properties."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple[tuple[str, Any], ...], Any] = {}
        # The same properties in the order a call site passes them: one
        # lookup per cell instead of completing and sorting them every time.
        self._seen: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        as_passed = tuple(props.items())
        found = self._seen.get(as_passed)
        if found is None:
            found = self._seen[as_passed] = self._make(props)
        return found

    def _make(self, props: dict[str, Any]) -> Any:
        props.setdefault("font_name", "Arial")
        props.setdefault("font_size", 10)
        # Top aligned: a row grown for wrapped text keeps its cells level.
        props.setdefault("valign", "top")
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format(props)
        return self._made[key]


def period_end(period: str) -> datetime:
    """The last day of ``period`` (``YYYY-MM``): a workbook's created time.
    Same inputs, same bytes (SPEC section 10): no clock anywhere in the file."""
    year, month = int(period[:4]), int(period[5:7])
    return datetime(year, month, calendar.monthrange(year, month)[1])


def new_workbook(path: Path, title: str, period: str) -> tuple[Workbook, Formats]:
    """A workbook that never turns text into formulas, numbers or links,
    created (its document property) at the end of ``period``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "in_memory": True,
            # The font of every cell, and the unit of column widths: Excel's
            # maximum digit width of Arial 10 is Calibri 11's 7 pixels
            # (excel_print.py), and LibreOffice has Arial's metrics
            # (Liberation Sans) where Calibri's (Carlito) may be missing.
            "default_format_properties": {"font_name": "Arial", "font_size": 10},
        },
    )
    workbook.set_properties(
        {"title": title, "author": "closekit", "comments": f"closekit {__version__}",
         "created": period_end(period)}
    )  # fmt: skip
    return workbook, Formats(workbook)


class Sheet:
    """A worksheet with closekit's header block, cell rules and print setup.

    ``row`` is the next free row; :meth:`banner` writes DRAFT (when the close
    is not clean), the title and subtitle lines on the first rows.
    """

    def __init__(self, workbook: Workbook, formats: Formats, name: str) -> None:
        self.ws: Worksheet = workbook.add_worksheet(name, worksheet_class=CellWorksheet)
        self.f = formats
        self.row = 0
        self.header_rows: tuple[int, int] | None = None
        self.widths: dict[int, float] = {}
        self.draft = ""
        self.page_of = labels.text("en", "page_of")
        self._wrapped: list[tuple[int, int, int, float]] = []  # row, columns, text width
        self._levels: dict[int, int] = {}
        self._notes: list[tuple[int, str]] = []
        self._last_col = 0

    # ---- cells ----------------------------------------------------------

    def text(self, row: int, col: int, value: str, **props: Any) -> None:
        """Text, never a formula (SPEC section 10); the column widens to show it."""
        self._string(row, col, value, props)
        self._fit(col, display_width(value) + 2 * int(props.get("indent", 0)), props)

    def wrapped(self, row: int, col: int, value: str, **props: Any) -> None:
        """Text that wraps inside its column rather than widening it; the
        row grows to show every line (LibreOffice does not grow it itself)."""
        self.merged(row, col, col, value, **props)

    def merged(self, row: int, first: int, last: int, value: str, **props: Any) -> None:
        """Wrapped text across the columns ``first`` to ``last`` (merged)."""
        props = {**props, "text_wrap": True, "valign": "top"}
        if last > first:
            self.ws.merge_range(row, first, row, last, "", self.f.get(**props))
        self._string(row, first, value, props)
        self._last_col = max(self._last_col, last)
        scale = 1.1 if props.get("bold") else 1.0
        self._wrapped.append((row, first, last, display_width(value) * scale))

    def label(self, row: int, col: int, value: str, **props: Any) -> None:
        """Text that may run on into the empty cells to its right (a title
        of a block), so it does not widen its column."""
        self._string(row, col, value, props)

    def _string(self, row: int, col: int, value: str, props: dict[str, Any]) -> None:
        self._last_col = max(self._last_col, col)
        if value.startswith(FORMULA_START):
            props = {**props, "quote_prefix": True}
        # XlsxWriter's undecorated writers: row and column are numbers here.
        self.ws._write_string(row, col, value, self.f.get(**props))

    def money(self, row: int, col: int, value: Decimal | None, **props: Any) -> None:
        self._last_col = max(self._last_col, col)
        fmt = self.f.get(num_format=MONEY, **props)
        if value is None:
            self.ws._write_blank(row, col, None, fmt)
        else:
            self.ws._write_number(row, col, float(value), fmt)
            self._fit(col, _money_width(value), props)

    def number(
        self, row: int, col: int, value: Decimal | None, num_format: str, **props: Any
    ) -> None:
        self._last_col = max(self._last_col, col)
        fmt = self.f.get(num_format=num_format, **props)
        if value is None:
            self.ws.write_blank(row, col, None, fmt)
        else:
            self.ws.write_number(row, col, float(value), fmt)

    def formula(self, row: int, col: int, formula: str, value: Decimal, **props: Any) -> None:
        """A money formula with its cached value (what Excel would compute)."""
        self.ws._write_formula(
            row, col, formula, self.f.get(num_format=MONEY, **props), float(value)
        )
        self._fit(col, _money_width(value), props)

    def _fit(self, col: int, width: float, props: dict[str, Any]) -> None:
        self._last_col = max(self._last_col, col)
        if props.get("bold"):
            width *= 1.1
        self.widths[col] = max(self.widths.get(col, 0), width)

    # ---- blocks ---------------------------------------------------------

    def banner(self, draft: bool, language: str, title: str, subtitle: str) -> None:
        """DRAFT on the first line when a check failed (and in the page
        header and footer), then title and subtitle; the page footer in
        ``language``."""
        self.page_of = labels.text(language, "page_of")
        if draft:
            self.draft = labels.text(language, "draft")
            self.text(self.row, 0, self.draft, bold=True, font_color="#C00000", font_size=12)
            self.row += 1
        self.text(self.row, 0, title, bold=True, font_size=13)
        self.row += 1
        self.text(self.row, 0, subtitle, italic=True, font_color="#595959")
        self.row += 2
        # Titles must not widen the label column.
        self.widths.clear()

    def header(self, lines: Sequence[Sequence[str]], right_from: int) -> None:
        """Column headings (one or more rows); columns from ``right_from`` are
        amounts, right aligned, their headings wrapped rather than widening
        them. The heading rows print on every page."""
        first = self.row
        for line in lines:
            for col, value in enumerate(line):
                align = "right" if col >= right_from else "left"
                props = {"bold": True, "bottom": 1 if line is lines[-1] else 0,
                         "bg_color": "#DCE6F1", "align": align}  # fmt: skip
                if col < right_from:
                    self.text(self.row, col, value, **props)
                else:
                    self.wrapped(self.row, col, value, **props)
            self.row += 1
        self.header_rows = (first, self.row - 1)

    def notes(self, texts: Sequence[str]) -> None:
        """Notes below a table, each across the sheet's width, wrapped."""
        if not texts:
            return
        self.row += 1
        for text in texts:
            self._notes.append((self.row, text))
            self.row += 1

    def group(self, row: int, level: int) -> None:
        """Outline level of a row (hierarchy the reader can fold)."""
        if level > 0:
            self._levels[row] = min(level, MAX_OUTLINE)
            self.ws.set_row(row, None, None, {"level": self._levels[row]})

    def finish(
        self, freeze_cols: int, min_widths: dict[int, float] | None = None, one_page: bool = False
    ) -> None:
        """Frozen headings and label columns, widths, row heights for wrapped
        text, print setup (:func:`closekit.report.excel_print.print_layout`;
        ``one_page``: on one page when that keeps the scale at 70% or more)."""
        if self.header_rows is not None:
            self.ws.freeze_panes(self.header_rows[1] + 1, freeze_cols)
            self.ws.repeat_rows(*self.header_rows)
        if freeze_cols:
            self.ws.repeat_columns(0, freeze_cols - 1)
        widths: dict[int, float] = {}
        least = min_widths or {}
        # Every column up to the last one written: one holding only a wrapped
        # heading (no figures in this period) prints too, and the print
        # layout must count it (a minimum width for a column this sheet does
        # not have is left out).
        for col in range(self._last_col + 1):
            wanted = max(self.widths.get(col, 0), least.get(col, 0))
            widths[col] = min(max(wanted, 8), 60)
            self.ws.set_column(col, col, widths[col])
        for row, text in self._notes:
            self.merged(row, 0, max(widths, default=0), text, italic=True, font_color="#595959")
        heights = self._grow_rows(widths)
        self.ws.outline_settings(True, False, True, False)  # summary rows above their detail
        # Codes such as account 1000 are text on purpose: no green triangles.
        self.ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
        tall = sum(heights.get(row, ROW_POINTS) for row in range(self.row)) if one_page else 0.0
        self._print_setup(widths, tall)

    def _grow_rows(self, widths: dict[int, float]) -> dict[int, float]:
        """Rows holding wrapped text are made as tall as their longest cell;
        their heights in points."""
        lines: dict[int, int] = {}
        for row, first, last, width in self._wrapped:
            room = sum(widths.get(col, 8) for col in range(first, last + 1))
            lines[row] = max(lines.get(row, 1), text_lines(width, room))
        heights = {}
        for row, count in sorted(lines.items()):
            if count > 1:
                options = {"level": self._levels[row]} if row in self._levels else {}
                heights[row] = LINE_POINTS * count + 2
                self.ws.set_row(row, heights[row], None, options)
        return heights

    def _print_setup(self, widths: dict[int, float], one_page_tall: float) -> None:
        """``one_page_tall``: the sheet's height in points when it is to fit
        one page (if it can at 70% or more), else 0."""
        layout = print_layout(widths.values())
        self.ws.set_paper(A4)
        self.ws.set_margins(MARGIN_SIDE, MARGIN_SIDE, MARGIN_TOP, MARGIN_TOP)
        if layout.landscape:
            self.ws.set_landscape()
        else:
            self.ws.set_portrait()
        if layout.fit_width:
            one = bool(one_page_tall) and fits_one_page(layout, one_page_tall)
            self.ws.fit_to_pages(1, 1 if one else 0)
        else:  # blocks of columns down the pages, row titles repeated
            self.ws.set_print_scale(layout.scale)
        mark = self.draft.replace("&", "&&")
        if mark:
            self.ws.set_header(f'&C&"Arial,Bold"&KC00000{mark}', {"margin": MARGIN_HEADER})
            # each section (&L, &C, &R) starts in the default font and colour
            footer = f'&L&A&C&"Arial,Bold"&KC00000{mark}&R{self.page_of}'
        else:
            footer = f"&L&A&R{self.page_of}"
        self.ws.set_footer(footer, {"margin": MARGIN_HEADER})


def _money_width(value: Decimal) -> float:
    """Characters a money cell needs: the figure, its parentheses and room."""
    return len(f"{abs(value):,.2f}") + 3


def display_width(text: str) -> int:
    """Columns a text takes: Chinese (East Asian wide) characters take two."""
    if text.isascii():  # codes and most names: one column a character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cell(row: int, col: int) -> str:
    return str(xl_rowcol_to_cell(row, col))


def col_range(first_row: int, last_row: int, col: int) -> str:
    return f"{cell(first_row, col)}:{cell(last_row, col)}"

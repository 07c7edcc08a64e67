"""How a worksheet prints: readable on A4 (SPEC section 10: print titles;
issue 15: nothing printed below 70%).

Column widths are in Excel's unit, the width of a digit of the workbook's
default font (Arial 10, the font of every cell: 7 pixels, 96 to the inch); a
column of width ``w`` is ``int(w * 7 + 5)`` pixels wide, as Excel and
LibreOffice draw it (LibreOffice's Liberation Sans has Arial's metrics; a
Calibri default, where LibreOffice lacks Carlito, drew every column about a
quarter wider and printed a sheet laid out for 85% at 66%). From the
sheet's widths :func:`print_layout` picks:

- portrait, fitted to one page wide, when the columns fit at 80% or more
  (statements, the trial balance, the checks);
- landscape fitted to one page wide when that keeps the scale at 70% or more;
- otherwise landscape at a fixed 80% in blocks of columns, one block after
  the other down the pages, with the row titles (the label columns) and the
  heading rows repeated on every page, so a wide worksheet stays readable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

A4_INCHES = (8.27, 11.69)
MARGIN_SIDE = 0.4  # inches, left and right
MARGIN_TOP = 0.75  # inches, top and bottom (the header and footer sit in them)
MARGIN_HEADER = 0.3
DPI = 96
MIN_SCALE = 70
PORTRAIT_SCALE = 80
BLOCK_SCALE = 80
LINE_POINTS = 13.0  # a line of Arial 10 text, with its leading
ROW_POINTS = 15.0  # a row of the default height, counted generously (Arial 10: 12.75)


@dataclass(frozen=True)
class PrintLayout:
    """landscape: page orientation. fit_width: fitted to one page wide, at
    ``scale`` % (what fitting gives; 100 when it fits as it is); otherwise
    printed at ``scale`` % in blocks of columns."""

    landscape: bool
    fit_width: bool
    scale: int


def column_pixels(width: float) -> int:
    """A column of ``width`` characters in pixels, as Excel draws it."""
    return int(width * 7 + 5)


def printable_pixels(landscape: bool) -> float:
    """The width inside the margins of an A4 page, in pixels at 100%."""
    short, long = A4_INCHES
    return ((long if landscape else short) - 2 * MARGIN_SIDE) * DPI


def print_layout(widths: Iterable[float]) -> PrintLayout:
    """The layout of a sheet whose columns have these widths."""
    total = sum(column_pixels(w) for w in widths) or 1
    for landscape, least in ((False, PORTRAIT_SCALE), (True, MIN_SCALE)):
        scale = min(100, math.floor(printable_pixels(landscape) * 100 / total))
        if scale >= least:
            return PrintLayout(landscape, True, scale)
    return PrintLayout(True, False, BLOCK_SCALE)


def page_points_tall(landscape: bool) -> float:
    """The height inside the margins of an A4 page, in points at 100%."""
    short, long = A4_INCHES
    return ((short if landscape else long) - 2 * MARGIN_TOP) * 72


def fits_one_page(layout: PrintLayout, points_tall: float) -> bool:
    """Whether a sheet fitted one page wide, ``points_tall`` high at 100%,
    also fits one page tall at ``MIN_SCALE`` or more (a summary a reader
    takes in at one glance, when it is short enough)."""
    tall = page_points_tall(layout.landscape) * 100 / max(points_tall, 1)
    return layout.fit_width and min(layout.scale, tall) >= MIN_SCALE


def text_lines(text_width: float, column_width: float) -> int:
    """Lines a wrapped text of ``text_width`` characters takes in a column."""
    usable = max(column_width - 1, 1)
    return max(1, math.ceil(text_width / usable))

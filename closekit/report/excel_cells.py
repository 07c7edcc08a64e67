"""closekit's own cells written fast: XlsxWriter's worksheet with shortcuts
for the cells every workbook sheet (:class:`closekit.report.excel_format.Sheet`)
writes, byte for byte what XlsxWriter writes for them."""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

# A formula closekit builds: cell references, ranges, whole numbers, the four
# operators and SUM/SUBTOTAL, nothing else.
PLAIN_FORMULA = re.compile(r"=(?:\$?[A-Z]{1,3}\$?[0-9]+|[0-9]+|SUM\(|SUBTOTAL\(|[-+*/,:)])*")


class CellWorksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter has no stubs
    """XlsxWriter's worksheet with two shortcuts for closekit's own cells.

    - No formula rewrite for closekit's formulas: ``write_formula`` runs ~30
      regular expressions over every formula to prefix Excel 365 functions
      with ``_xlfn.``; a formula matching :data:`PLAIN_FORMULA` names none
      of them, so XlsxWriter would only drop its ``=``.
    - One f-string per cell in the sheet's XML for a number, a shared string,
      a blank or a formula with a number cached, each with a format (every
      cell closekit writes), the bytes XlsxWriter's ``_write_cell`` writes
      for them through its general attribute writer (a third of the time of
      writing a workbook).

    Any other cell takes XlsxWriter's own path; should a later XlsxWriter
    stop calling these hooks, it is merely slower again (the golden files
    and the byte-identical rerun tests say whether the bytes still agree).
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if PLAIN_FORMULA.fullmatch(formula):
            return formula[1:]
        return str(super()._prepare_formula(formula, expand_future_functions))

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        kind, fmt = cell.__class__, cell.format
        if fmt is None or kind not in _FAST_CELLS:
            super()._write_cell(row, col, cell)
        elif kind is _NUMBER:
            self.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}">'
                f"<v>{cell.number:.16G}</v></c>"
            )
        elif kind is _STRING:  # the index of the shared string
            self.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}" t="s">'
                f"<v>{cell.string}</v></c>"
            )
        elif kind is _BLANK:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}"/>')
        elif type(cell.value) is float and not _XML_SPECIAL.search(cell.formula):
            # a formula with its cached value, nothing in it to escape
            self.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}">'
                f"<f>{cell.formula}</f><v>{cell.value}</v></c>"
            )
        else:
            super()._write_cell(row, col, cell)


_NUMBER, _STRING, _BLANK = CellNumberTuple, CellStringTuple, CellBlankTuple
_FAST_CELLS = frozenset((CellNumberTuple, CellStringTuple, CellBlankTuple, CellFormulaTuple))
_XML_SPECIAL = re.compile('["&<>\n]')  # what XlsxWriter would escape

"""The report step's shortcuts give what the long way gives.

- closekit's own formulas skip XlsxWriter's ``_xlfn.`` rewrite: the shortcut
  must return exactly what XlsxWriter would, and leave any other formula to
  XlsxWriter;
- cell formats are found by the properties as passed, but two orders of the
  same properties are still one format;
- the workbooks and the site share a query's answer through
  ``LedgerBalances.shared``, which runs each query once.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

from closekit.report.excel_cells import PLAIN_FORMULA, CellWorksheet
from closekit.report.excel_format import new_workbook
from closekit.report.sources import LedgerBalances
from closekit.workspace import load_settings
from tests.inline import write_workspace

# Every shape of formula the workbooks write (excel_bu, excel_group, excel_statement).
CLOSEKIT_FORMULAS = [
    "=C7-D7-E7",
    "=G7-H7-I7",
    "=SUBTOTAL(9,G12:G40)",
    "=SUM(C9:AZ9)",
    "=SUM(D8:D120)",
    "=0",
    "=AB9+AC9+AD9",
    "=E12+F12",
]


def _xlsxwriter(formula: str, future: bool) -> str:
    sheet = Worksheet()
    sheet.use_future_functions = future
    return str(sheet._prepare_formula(formula))


def _closekit(formula: str, future: bool) -> str:
    sheet = CellWorksheet()
    sheet.use_future_functions = future
    return str(sheet._prepare_formula(formula))


def test_closekit_formulas_take_the_shortcut_with_xlsxwriters_result() -> None:
    for formula in CLOSEKIT_FORMULAS:
        assert PLAIN_FORMULA.fullmatch(formula), formula
        for future in (False, True):
            assert _closekit(formula, future) == _xlsxwriter(formula, future) == formula[1:]


def test_other_formulas_are_left_to_xlsxwriter() -> None:
    for formula, expected in [
        ("=XLOOKUP(A1,B1:B9,C1:C9)", "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)"),
        ("=SUM(FILTER(A1:A9,B1:B9))", "SUM(_xlfn._xlws.FILTER(A1:A9,B1:B9))"),
        ("{=SUM(A1:A2)}", "SUM(A1:A2)"),
    ]:
        assert not PLAIN_FORMULA.fullmatch(formula)
        assert _closekit(formula, False) == _xlsxwriter(formula, False) == expected
    assert _closekit("=STDEV.S(A1:A9)", True) == "_xlfn.STDEV.S(A1:A9)"


_TOKENS = st.sampled_from(
    ["A1", "$B$2", "XFD9", "AA10", "SUM(", "SUBTOTAL(", "9", ",", ":", ")", "+", "-", "*", "/"]
)


@given(st.lists(_TOKENS, max_size=12))
def test_any_plain_formula_is_what_xlsxwriter_writes(tokens: list[str]) -> None:
    formula = "=" + "".join(tokens)
    assert PLAIN_FORMULA.fullmatch(formula)
    for future in (False, True):
        assert _closekit(formula, future) == _xlsxwriter(formula, future)


def test_one_format_for_the_same_properties_in_any_order(tmp_path: Path) -> None:
    workbook, formats = new_workbook(tmp_path / "f.xlsx", "t", "2026-01")
    made_by_xlsxwriter = len(workbook.formats)
    first = formats.get(num_format="0.00", bold=True, top=1)
    assert formats.get(top=1, bold=True, num_format="0.00") is first
    assert formats.get(bold=True, num_format="0.00", top=1, font_size=10) is first
    assert formats.get(num_format="0.00", bold=True) is not first
    assert len(workbook.formats) == made_by_xlsxwriter + 2
    workbook.close()


def test_shared_runs_a_query_once_per_key(tmp_path: Path) -> None:
    settings = load_settings(write_workspace(tmp_path, {}))
    ledger = LedgerBalances(duckdb.connect(), settings)
    calls: list[str] = []

    def fetch(name: str) -> list[str]:
        calls.append(name)
        return [name, name.upper()]

    assert ledger.shared(("q", "2026-10"), lambda: fetch("a")) == ("a", "A")
    assert ledger.shared(("q", "2026-10"), lambda: fetch("b")) == ("a", "A")
    assert ledger.shared(("q", "2026-11"), lambda: fetch("c")) == ("c", "C")
    assert calls == ["a", "c"]

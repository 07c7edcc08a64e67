"""The report step's threads and shortcuts give what the plain way gives.

- the report run's queries run ahead on a thread of their own
  (``report/read_ahead.py``): the pack is byte for byte the pack written
  without it, and each node's statements are built once per run, not once
  for the workbooks and once for the site;
- ``LedgerBalances.shared`` asked for one key by two threads fetches once,
  and a failing fetch fails for both;
- the site's writer thread: a page that cannot be written fails the site;
- closekit's worksheet writes a cell's XML by one f-string: the bytes
  XlsxWriter's own worksheet writes for the same cells.
"""

from __future__ import annotations

import threading
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from closekit.errors import ClosekitError
from closekit.report import read_ahead, write_reports
from closekit.report.excel_cells import CellWorksheet
from closekit.report.html_site import Site
from closekit.report.queries import SourceFile
from closekit.report.sources import LedgerBalances
from closekit.statements import income
from closekit.workspace import load_settings
from tests.inline import write_workspace
from tests.report_tables import PERIOD, build


def _pack(root: Path) -> dict[str, bytes]:
    """Every file of a report of the worked close of tests/report_tables.py."""
    settings, con = build(root / "ws")
    out = write_reports(settings, con, PERIOD).out_dir
    con.close()
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_reading_ahead_writes_the_pack_written_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = _pack(tmp_path / "ahead")
    monkeypatch.setattr(read_ahead, "_tasks", lambda *args: iter(()))
    plain = _pack(tmp_path / "plain")
    assert len(ahead) > 20
    assert ahead.keys() == plain.keys()
    assert [name for name in ahead if ahead[name] != plain[name]] == []


def test_each_statement_is_built_once_per_report_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook of node P and the site's statements page of P show the
    same comprehensive income: built once, whichever thread asks first."""
    built: list[tuple[str, str | None]] = []
    real = income.comprehensive_income

    def counted(
        con: duckdb.DuckDBPyConnection, settings: object, period: str, node: str | None = None
    ) -> income.ComprehensiveIncome:
        built.append((period, node))
        return real(con, settings, period, node)  # type: ignore[arg-type]

    monkeypatch.setattr("closekit.report.node_statements.comprehensive_income", counted)
    _pack(tmp_path)
    assert built, "the income statement was never built"
    assert len(built) == len(set(built))


def test_shared_fetches_once_for_two_threads(tmp_path: Path) -> None:
    ledger = LedgerBalances(duckdb.connect(), load_settings(write_workspace(tmp_path, {})))
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow() -> list[int]:
        calls.append(threading.current_thread().name)
        started.set()
        release.wait(5)
        return [1, 2]

    answers: list[tuple[int, ...]] = []
    first = threading.Thread(target=lambda: answers.append(ledger.shared(("k",), slow)))
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=lambda: answers.append(ledger.shared(("k",), slow)))
    second.start()
    release.set()
    first.join(5)
    second.join(5)
    assert answers == [(1, 2), (1, 2)]
    assert len(calls) == 1


def test_a_failing_fetch_fails_every_asker(tmp_path: Path) -> None:
    ledger = LedgerBalances(duckdb.connect(), load_settings(write_workspace(tmp_path, {})))

    def fails() -> list[int]:
        raise ClosekitError("flows not written")

    for _ in range(2):
        with pytest.raises(ClosekitError, match="flows not written"):
            ledger.shared(("k",), fails)


def test_a_page_the_writer_cannot_write_fails_the_site(tmp_path: Path) -> None:
    settings = load_settings(write_workspace(tmp_path / "ws", {}))
    html_dir = tmp_path / "html"
    (html_dir / "taken.html").mkdir(parents=True)  # a folder where the page goes
    site = Site(settings, "2026-01", html_dir, draft=False)
    source = SourceFile("ledgers/2026-01/sales.csv", "2026-01", "sales", "0" * 64, 1, 1, 0)
    site.write("taken.html", "file.html", "t", file=source, rejects=[], cap=1)
    with pytest.raises(IsADirectoryError):
        site.close()


def _sheet_xml(tmp_path: Path, worksheet_class: type[Worksheet]) -> bytes:
    path = tmp_path / f"{worksheet_class.__name__}.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties({"created": datetime(2026, 1, 31)})
    sheet = workbook.add_worksheet("s", worksheet_class=worksheet_class)
    money = workbook.add_format({"num_format": "#,##0.00", "bold": True})
    text = workbook.add_format({"italic": True})
    sheet.write_string(0, 0, "plain", text)
    sheet.write_string(0, 1, "no format")
    sheet.write_string(0, 2, 'a "quoted" <b> & \n', text)
    sheet.write_number(1, 0, 1234567.891, money)
    sheet.write_number(1, 1, -0.1)
    sheet.write_number(1, 2, 1e20, money)
    sheet.write_blank(2, 0, None, money)
    sheet.write_formula(3, 0, "=SUM(A2:C2)", money, 1.0000000000000002e20)
    sheet.write_formula(3, 1, "=A2+B2", money, -12.5)
    sheet.write_formula(3, 2, '=IF(A2>0,"a&b","")', text, "a&b")
    sheet.write_formula(3, 3, "=1/0", money, "#DIV/0!")
    sheet.write_formula(3, 4, "=A1", None, 3.0)
    sheet.write_boolean(4, 0, True, text)
    sheet.write_datetime(4, 1, datetime(2026, 1, 31), money)
    workbook.close()
    with zipfile.ZipFile(path) as pack:
        return pack.read("xl/worksheets/sheet1.xml")


def test_closekits_cells_are_the_bytes_xlsxwriter_writes(tmp_path: Path) -> None:
    mine, theirs = _sheet_xml(tmp_path, CellWorksheet), _sheet_xml(tmp_path, Worksheet)
    assert b'<c r="A4" s="2"><f>SUM(A2:C2)</f><v>1.0000000000000002e+20</v></c>' in mine
    assert mine == theirs


def test_a_locked_periods_report_reads_nothing_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A locked period's master data are TEMP tables of the report's own
    connection (closekit.snapshot), which a second cursor would not see."""
    settings = load_settings(write_workspace(tmp_path, {}))
    con = duckdb.connect()
    monkeypatch.setattr(read_ahead.snapshot, "in_use", lambda con: "2026-01")

    def must_not_run(*args: object) -> object:
        raise AssertionError("queries read ahead for a locked period")

    monkeypatch.setattr(read_ahead, "_tasks", must_not_run)
    with read_ahead.reading_ahead(
        LedgerBalances(con, settings), con, settings, "2026-01", frozenset()
    ):
        pass

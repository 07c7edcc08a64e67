"""Re-close in proportion to the change, for consolidation nodes: an
intermediate node none of whose inputs changed keeps its pages and its
workbook from the previous out/PERIOD, byte for byte what a fresh render
writes; any change to an input of the node (a rate, an ownership row, a
top-side journal, a check's status, a finding about its subtree, ...)
renders it again.

The synthetic group of 4 entities: E000 (the group) holds E001 80%; E001 (an
intermediate node) holds E002 100% and E003 60%. A late sales file of E000
changes E000's books, the group's figures and the checks' details (the
group's profit is in vertical_horizontal's), nothing below E001: E001's
workbook shows every check's status and only the findings about E001, E002
and E003 (docs/reports.md), so it is reused too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import openpyxl
import pytest

from closekit import db
from closekit.bench import resend_one_file
from closekit.pipeline import close_period
from closekit.report import ReportSummary, node_inputs, reuse, write_reports
from closekit.report.manifest import output_files
from closekit.report.names import slug
from closekit.sample.synthetic import write_synthetic
from closekit.sample.synthetic_master import FIRST_PERIOD, Size
from closekit.workspace import Settings, load_settings

TINY = Size(entities=4, business_units=2, profit_centers=4, cost_centers=8, lines=1000, periods=1)
P = FIRST_PERIOD
NODE_PAGES = ["html/nodes/E001.html", "html/nodes/E001-statements.html"]


def digest(folder: Path, names: list[str]) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def node_files(folder: Path) -> tuple[list[str], list[str]]:
    """E001's pages and workbook in the pack."""
    names = output_files(folder)
    return reuse.node_page_files("E001", names), reuse.node_workbook_files("E001", names)


def close(root: Path) -> ReportSummary:
    return close_period(load_settings(root), P).reports


Reclosed = tuple[ReportSummary, ReportSummary]


@pytest.fixture(scope="module")
def reclosed(tmp_path_factory: pytest.TempPathFactory) -> Reclosed:
    """(re-close after E000's late file, fresh close of the same inputs)."""
    base = tmp_path_factory.mktemp("node-reuse")
    ws = write_synthetic(base / "a", TINY, "csv").root
    first = close(ws)
    assert (first.reused_node_pages, first.reused_node_workbooks) == ((), ())
    resend_one_file(ws, P, "csv", entity="E000")
    fresh_ws = base / "b"
    shutil.copytree(ws, fresh_ws, ignore=shutil.ignore_patterns("out", "closekit.duckdb*"))
    return close(ws), close(fresh_ws)


def test_a_node_outside_the_late_entity_keeps_its_pages_byte_for_byte(
    reclosed: Reclosed,
) -> None:
    again, fresh = reclosed
    assert again.reused_node_pages == ("E001",)
    # The group's checks show its profit, which the late file changed; the
    # node's show their status and its own findings (none), which did not.
    assert again.reused_node_workbooks == ("E001",)
    pages, workbook = node_files(again.out_dir)
    assert set(NODE_PAGES) <= set(pages) and len(pages) > len(NODE_PAGES)  # + account pages
    assert workbook == ["nodes/E001.xlsx"]
    assert (again.out_dir / pages[0]).stat().st_nlink >= 1
    assert digest(again.out_dir, pages + workbook) == digest(fresh.out_dir, pages + workbook)
    assert (fresh.reused_node_pages, fresh.reused_node_workbooks) == ((), ())


@pytest.mark.slow
def test_the_reclosed_pack_is_the_fresh_pack(reclosed: Reclosed) -> None:
    again, fresh = reclosed
    names = [*output_files(fresh.out_dir), "manifest.json"]
    assert sorted(output_files(again.out_dir)) == sorted(output_files(fresh.out_dir))
    assert digest(again.out_dir, names) == digest(fresh.out_dir, names)


def test_a_report_of_unchanged_inputs_reuses_the_node_workbook_too(tmp_path: Path) -> None:
    """Nothing changed since the last report (the checks neither): the
    node's workbook and pages are the previous pack's files, byte for byte."""
    ws = write_synthetic(tmp_path / "ws", TINY, "csv").root
    settings = load_settings(ws)
    first = close_period(settings, P).reports
    pages, workbook = node_files(first.out_dir)
    before = digest(first.out_dir, [*output_files(first.out_dir), "manifest.json"])
    con = db.connect(settings)
    try:
        again = write_reports(settings, con, P)
    finally:
        con.close()
    assert (again.reused_node_pages, again.reused_node_workbooks) == (("E001",), ("E001",))
    assert digest(again.out_dir, [*output_files(again.out_dir), "manifest.json"]) == before
    assert node_files(again.out_dir) == (pages, workbook)


# ---- every kind of input invalidates the node --------------------------------

Change = Callable[[Settings, duckdb.DuckDBPyConnection], tuple[Settings, bool]]


def sql(statement: str) -> Change:
    def change(settings: Settings, con: duckdb.DuckDBPyConnection) -> tuple[Settings, bool]:
        con.execute(statement.replace("$P", f"'{P}'"))
        return settings, False

    return change


def first_row(table: str, where: str) -> str:
    return f"rowid = (SELECT min(rowid) FROM {table} WHERE {where})"


TOPSIDE = (
    "INSERT INTO topside_row (period, path, sha256, row_no, doc_id, line, date, node, account, "
    "debit, credit, amount, reason) VALUES ($P, 'ledgers/{0}/topside.csv', 'x', 2, 'TS-1', '1', "
    "DATE '2026-10-31', '{1}', '1000', 1, 0, 1, 'audit adjustment')"
)

# kind -> (the change, E001's pages change, E001's workbook changes)
CHANGES: dict[str, tuple[Change, bool, bool]] = {
    "rate": (sql("UPDATE fx_rate SET closing = closing * 1.001 WHERE period = $P"), True, True),
    "cross rate": (
        sql(f"UPDATE fx_cross SET ratio = ratio * 2 WHERE {first_row('fx_cross', 'true')}"),
        True,
        True,
    ),
    "ownership row": (
        sql(
            "INSERT INTO ownership (entity, from_period, parent, ownership_pct, method, path, "
            "row_no) VALUES ('E003', $P, 'E001', 70, 'full', 'master/ownership.csv', 2)"
        ),
        True,
        True,
    ),
    "dated structure": (
        sql("UPDATE structure SET ownership = 0.7 WHERE entity = 'E003'"),
        True,
        True,
    ),
    "membership": (sql("UPDATE node_member SET effective = 0.5 WHERE entity = 'E003'"), True, True),
    "event": (
        sql(
            "INSERT INTO consolidation_event (period, entity, kind, holder, ownership_before, "
            "ownership_after) VALUES ($P, 'E002', 'ownership_change', 'E001', 1, 0.9)"
        ),
        True,
        True,
    ),
    "top-side journal at the node": (sql(TOPSIDE.format(P, "E001")), True, True),
    "top-side journal at the group above": (sql(TOPSIDE.format(P, "E000")), False, False),
    "URP margin": (
        sql("INSERT INTO ic_margin VALUES ($P, 'E002', 12.5, 'master/ic_margins.csv', 2)"),
        True,
        True,
    ),
    "consolidation entry": (
        sql(
            "UPDATE consolidation_entry SET amount_group = amount_group + 1 WHERE "
            + first_row("consolidation_entry", "node = 'E001' AND step = 'ic_elimination'")
        ),
        True,
        True,
    ),
    "NCI": (
        sql(
            "UPDATE consolidation_entry SET amount_group = amount_group + 1 WHERE "
            + first_row("consolidation_entry", "node = 'E001' AND step = 'nci_result'")
        ),
        True,
        True,
    ),
    "member's translated balance": (
        sql(
            "UPDATE translated_balance SET amount_group = amount_group + 0.01 WHERE "
            + first_row("translated_balance", "entity = 'E002'")
        ),
        True,
        True,
    ),
    "member's flow": (
        sql(
            "UPDATE entity_flow SET amount = amount + 1 WHERE "
            + first_row("entity_flow", "entity = 'E003'")
        ),
        True,
        True,
    ),
    "member's journal line": (
        sql(
            "UPDATE journal SET amount = amount + 1 WHERE "
            + first_row("journal", "entity = 'E002'")
        ),
        True,
        True,
    ),
    "member's IC document": (
        sql(
            "UPDATE source_row SET ic_ref = ic_ref || '-2' WHERE "
            + first_row("source_row", "entity = 'E003' AND ic_ref IS NOT NULL")
        ),
        True,
        True,
    ),
    "translated balance of an entity outside the node": (
        sql(
            "UPDATE translated_balance SET amount_group = amount_group + 0.01 WHERE "
            + first_row("translated_balance", "entity = 'E000'")
        ),
        False,
        False,
    ),
    "master file": (
        sql("UPDATE master_file SET sha256 = 'x' WHERE path LIKE '%accounts%'"),
        True,
        True,
    ),
    "report settings": (
        lambda settings, con: (dataclasses.replace(settings, language="zh"), False),
        True,
        True,
    ),
    "DRAFT": (lambda settings, con: (settings, True), True, True),
    # Whether a period is consolidated decides comparative columns; its
    # time (which changes at every run) is left out.
    "a period no longer consolidated": (
        sql("UPDATE period_status SET consolidated_at = NULL WHERE period = $P"),
        True,
        True,
    ),
    "a step's time": (
        sql("UPDATE period_status SET posted_at = now() WHERE period = $P"),
        False,
        False,
    ),
    # The group's details are group.xlsx's; a node shows each check's status
    # and the findings about its subtree (E001, E002, E003).
    "a check's detail": (
        sql("UPDATE check_result SET detail = detail || ' ' WHERE period = $P AND seq = 0"),
        False,
        False,
    ),
    "a check's status": (
        sql("UPDATE check_result SET status = 'warn' WHERE period = $P AND seq = 0"),
        False,
        True,
    ),
    "a finding about an entity below the node": (
        sql("INSERT INTO check_finding VALUES ($P, 0, 0, ['E003'], 'E003 sales D1 off by 1.00')"),
        False,
        True,
    ),
    "a finding about the node": (
        sql("INSERT INTO check_finding VALUES ($P, 0, 0, ['E001'], 'E001 1.00')"),
        False,
        True,
    ),
    "a finding about an entity outside the node": (
        sql("INSERT INTO check_finding VALUES ($P, 0, 0, ['E000'], 'E000 sales D2 off by 2.00')"),
        False,
        False,
    ),
    "a finding about the group as a whole": (
        sql("INSERT INTO check_finding VALUES ($P, 0, 0, [], 'EUR 2026-10 closing')"),
        False,
        False,
    ),
}


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    ws = write_synthetic(tmp_path_factory.mktemp("node-inputs") / "ws", TINY, "csv").root
    settings = load_settings(ws)
    close_period(settings, P)
    return settings


@pytest.fixture()
def con(closed: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose changes are rolled back."""
    connection = db.connect(closed)
    connection.execute("BEGIN")
    try:
        yield connection
    finally:
        connection.execute("ROLLBACK")
        connection.close()


@pytest.mark.parametrize("kind", CHANGES)
def test_a_changed_input_renders_the_node_again(
    kind: str, closed: Settings, con: duckdb.DuckDBPyConnection
) -> None:
    change, pages_change, workbook_changes = CHANGES[kind]
    before = reuse.inputs(closed, con, P, draft=False)
    assert set(before.node_pages) == set(before.node_workbooks) == {"E001"}  # not the group
    settings, draft = change(closed, con)
    after = reuse.inputs(settings, con, P, draft)
    assert (after.node_pages["E001"] != before.node_pages["E001"]) is pages_change
    assert (after.node_workbooks["E001"] != before.node_workbooks["E001"]) is workbook_changes


def test_a_changed_program_renders_every_node_again(
    closed: Settings, con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = reuse.inputs(closed, con, P, draft=False)
    monkeypatch.setattr(node_inputs, "code_digest", lambda: "another closekit")
    after = reuse.inputs(closed, con, P, draft=False)
    assert after.node_pages["E001"] != before.node_pages["E001"]
    assert after.entities == before.entities  # the entities' own code did not change


def test_the_record_keeps_the_node_fingerprints(reclosed: Reclosed) -> None:
    again, _ = reclosed
    kept = json.loads(reuse.record_path(again.out_dir).read_text())
    assert set(kept["node_pages"]) == set(kept["node_workbooks"]) == {"E001"}


def test_every_input_file_page_but_the_late_file_s_is_reused(reclosed: Reclosed) -> None:
    """A file page shows the file's hash, counts and rejects: only the
    re-sent file's changed (its SHA-256)."""
    again, fresh = reclosed
    kept = json.loads(reuse.record_path(again.out_dir).read_text())
    late = f"ledgers/{P}/sales-E000.csv"
    assert late in kept["file_pages"] and len(kept["file_pages"]) > 10
    assert again.reused_file_pages == tuple(sorted(set(kept["file_pages"]) - {late}))
    pages = [f"html/files/{slug(path)}.html" for path in kept["file_pages"]]
    assert digest(again.out_dir, pages) == digest(fresh.out_dir, pages)


def test_a_rejected_row_changes_its_file_page_fingerprint(
    closed: Settings, con: duckdb.DuckDBPyConnection
) -> None:
    before = reuse.inputs(closed, con, P, draft=False).file_pages
    path = sorted(before)[0]
    con.execute("INSERT INTO reject VALUES (?, ?, 7, 'amount', 'not a number: x')", [P, path])
    after = reuse.inputs(closed, con, P, draft=False).file_pages
    assert [f for f in before if before[f] != after[f]] == [path]


def _rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()


def test_a_node_workbook_shows_every_status_and_its_own_findings(
    closed: Settings, tmp_path: Path
) -> None:
    """entries_balanced fails with a document of E002 (below E001) and one of
    E000 (the group's own books) off zero; prior_period_locked warns about
    the group as a whole. group.xlsx shows both checks' full details; E001's
    workbook shows both statuses, E002's document only, for the warning that
    nothing concerns its entities, and where the group's details are."""
    ws = tmp_path / "ws"
    shutil.copytree(closed.root, ws, ignore=shutil.ignore_patterns("out"))
    settings = load_settings(ws)
    con = db.connect(settings)
    try:
        con.execute(
            "UPDATE check_result SET status = 'fail', detail = '2 document(s): "
            "E002 sales D1 off by 1234.50; E000 sales D2 off by 2.00' "
            "WHERE check_id = 'entries_balanced'"
        )
        con.execute(
            "UPDATE check_result SET status = 'warn', detail = 'prior period 2026-09 is not "
            "locked' WHERE check_id = 'prior_period_locked'"
        )
        con.execute(
            "INSERT INTO check_finding SELECT period, seq, n, about, text FROM check_result, "
            "(VALUES (0, ['E002'], 'E002 sales D1 off by 1234.50'), "
            "(1, ['E000'], 'E000 sales D2 off by 2.00')) f(n, about, text) "
            "WHERE check_id = 'entries_balanced'"
        )
        con.execute(
            "INSERT INTO check_finding SELECT period, seq, 0, [], detail FROM check_result "
            "WHERE check_id = 'prior_period_locked'"
        )
        written = write_reports(settings, con, P)
    finally:
        con.close()
    group = {r[0]: r[1:3] for r in _rows(written.out_dir / "group.xlsx", "Checks")}
    assert group["entries_balanced"] == (
        "fail",
        "2 document(s): E002 sales D1 off by 1,234.50; E000 sales D2 off by 2.00",
    )
    node = _rows(written.out_dir / "nodes" / "E001.xlsx", "Checks")
    shown = {r[0]: r[1:3] for r in node}
    assert shown["entries_balanced"] == ("fail", "E002 sales D1 off by 1,234.50")
    assert shown["prior_period_locked"] == ("warn", "No finding about this node's entities")
    statuses = {r[0]: r[1] for r in _rows(written.out_dir / "group.xlsx", "Checks")}
    assert {check: status for check, (status, _) in shown.items() if check in statuses} == {
        check: status for check, status in statuses.items() if check in shown
    }
    assert all(not detail for status, detail in shown.values() if status == "pass")
    assert node[-1][0] == "Details of every check for the whole group: group.xlsx"
    summary = [r for r in _rows(written.out_dir / "nodes" / "E001.xlsx", "Summary") if r[0]]
    assert ("entries_balanced", "fail", "E002 sales D1 off by 1,234.50") in [r[:3] for r in summary]
    assert "Details of every check for the whole group: group.xlsx" in [r[0] for r in summary]

"""One pass over several periods (``load_periods``): the outcome is exactly
that of loading each period on its own, in order — same accepted rows, same
rejects in the same order, same load history, same report for every file.
Rows of different periods never meet in a rule that compares rows
(duplicates, documents): the same document in January and February is two
documents."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from closekit import db
from closekit.errors import PeriodError
from closekit.load import LoadReport, load_period, load_periods, lock_period
from closekit.load import period as period_module
from closekit.workspace import Settings
from tests.test_load_fixture import workspace
from tests.test_load_incremental import FOLDER, _body, _fresh_database, _tables

PERIODS = ("2026-01", "2026-02")
# Each period's folder drawn from the same pools; the rows' dates move into
# the period, so the same documents and lines recur in both months. February
# has no EUR rate: its EUR rows are rejected there, accepted in January.
FOLDERS = st.fixed_dictionaries(dict.fromkeys(PERIODS, FOLDER))


def _write(settings: Settings, folders: dict[str, dict[str, str | None]]) -> None:
    for period, folder in folders.items():
        for name, body in folder.items():
            path = settings.ledgers_dir / period / name
            if body is None:
                path.unlink(missing_ok=True)
            else:
                body = body.replace("2026-01-31", "2026-01-28")  # a day every month has
                path.write_text(body.replace("2026-01-", f"{period}-"), encoding="utf-8")


def _one_by_one(settings: Settings, database: Path) -> tuple[list[LoadReport], dict[str, Any]]:
    fresh = _fresh_database(settings, database)
    con = db.connect(fresh)
    try:
        return [load_period(fresh, con, p) for p in PERIODS], _tables(con)
    finally:
        con.close()


def _in_one_pass(settings: Settings, database: Path) -> tuple[list[LoadReport], dict[str, Any]]:
    fresh = _fresh_database(settings, database)
    con = db.connect(fresh)
    try:
        return load_periods(fresh, con, PERIODS), _tables(con)
    finally:
        con.close()


def _files(reports: list[LoadReport]) -> list[Any]:
    return [(r.period, r.files, r.changed) for r in reports]


@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folders=FOLDERS)
def test_one_pass_equals_period_by_period(folders: dict[str, dict[str, str | None]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        settings = workspace(root / "ws", {f"ledgers/{p}/.keep": "" for p in PERIODS})
        _write(settings, folders)
        reports, tables = _in_one_pass(settings, root / "one.duckdb")
        expected, expected_tables = _one_by_one(settings, root / "each.duckdb")
        assert _files(reports) == _files(expected)
        assert tables == expected_tables


def _both_months(settings: Settings) -> None:
    _write(
        settings,
        {
            p: {
                "sales-a.csv": _body("sales-a.csv", False, [0, 2, 4]),
                "journals-a.csv": _body("journals-a.csv", False, [0, 1, 3, 4]),
            }
            for p in PERIODS
        },
    )


def test_same_document_in_two_months_is_two_documents(tmp_path: Path) -> None:
    """S1, S2, S3 and the balanced J1 (50.00 debit, 50.00 credit) and J2
    (20.00 USD each way) are in both months' files: each month accepts all
    7 rows, none is a duplicate of the other month's."""
    settings = workspace(tmp_path / "ws", {f"ledgers/{p}/.keep": "" for p in PERIODS})
    _both_months(settings)
    con = db.connect(settings)
    try:
        reports = load_periods(settings, con, PERIODS)
        assert [(r.period, sum(f.accepted for f in r.files)) for r in reports] == [
            ("2026-01", 7),
            ("2026-02", 7),
        ]
        assert con.execute("SELECT count(*) FROM reject").fetchone() == (0,)
    finally:
        con.close()


def test_passes_split_by_size_end_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With passes of one byte every period is its own pass: the same
    tables as one pass over both."""
    settings = workspace(tmp_path / "ws", {f"ledgers/{p}/.keep": "" for p in PERIODS})
    _both_months(settings)
    whole = _in_one_pass(settings, tmp_path / "whole.duckdb")
    monkeypatch.setattr(period_module, "PASS_BYTES", 1)
    assert _in_one_pass(settings, tmp_path / "split.duckdb") == whole


def test_a_locked_period_refuses_before_anything_is_written(tmp_path: Path) -> None:
    """February locked: loading January and February writes nothing, and
    the refusal names February."""
    settings = workspace(tmp_path / "ws", {f"ledgers/{p}/.keep": "" for p in PERIODS})
    _both_months(settings)
    con = db.connect(settings)
    try:
        lock_period(settings, con, "2026-02")
        with pytest.raises(PeriodError, match="2026-02"):
            load_periods(settings, con, PERIODS)
        assert con.execute("SELECT count(*) FROM source_row").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM load_file").fetchone() == (0,)
    finally:
        con.close()


def test_a_second_run_reads_only_what_changed(tmp_path: Path) -> None:
    """After one pass, a changed February file is loaded incrementally,
    January is unchanged; the tables equal a fresh load of both months."""
    settings = workspace(tmp_path / "ws", {f"ledgers/{p}/.keep": "" for p in PERIODS})
    _both_months(settings)
    con: duckdb.DuckDBPyConnection = db.connect(settings)
    try:
        load_periods(settings, con, PERIODS)
        _write(settings, {"2026-02": {"sales-a.csv": _body("sales-a.csv", False, [0, 1])}})
        reports = load_periods(settings, con, PERIODS)
        assert [r.changed for r in reports] == [False, True]
        tables = _tables(con)
    finally:
        con.close()
    assert _in_one_pass(settings, tmp_path / "fresh.duckdb")[1] == tables

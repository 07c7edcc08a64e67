"""Incremental load (SPEC section 5, closekit.load.scope): when only period
files change, a load reads the changed files and the rows of the entities
they touch, and ends exactly where a fresh full load of the same folder ends:
same accepted rows, same rejects in the same order, same current load
history, same report for every file."""

from __future__ import annotations

import atexit
import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from closekit import db
from closekit.load import LoadReport, load_period
from closekit.workspace import Settings
from tests.test_load_fixture import workspace

PERIOD = "2026-01"

SALES_HEADER = (
    "doc_id,line,date,entity,currency,kind,customer,partner,profit_center,product,"
    "quantity,net_amount,tax_amount"
)
# Rows chosen so that files interact through every set rule: the same
# (module, entity, document, line) in two files, rows of both entities in one
# file, unknown and empty entities, a row with too few fields.
SALES_ROWS = [
    "S1,1,2026-01-05,P,CNY,goods,C1,,PC1,X1,2,1000.00,130.00",
    "S1,1,2026-01-05,P,CNY,goods,C1,,PC1,X1,2,1100.00,143.00",  # duplicate of the row above
    "S2,1,2026-01-06,U,USD,goods,C2,,PC1,X1,1,100.00,",
    "S2,1,2026-01-06,U,USD,goods,C2,,PC1,X1,1,1OO.00,",  # not a number, duplicate of S2
    "S3,1,2026-01-07,P,CNY,goods,,U,PC1,X1,1,500.00,65.00",
    "S4,1,2026-01-08,Q,CNY,goods,C1,,PC1,X1,1,5.00,",  # unknown entity
    "S5,1,2026-01-08,,CNY,goods,C1,,PC1,X1,1,5.00,",  # no entity
    "S6,1,2026-01-09,U,USD,goods,C2,,PC1,X1,1",  # too few fields
    "S7,1,2026-02-01,P,CNY,goods,C1,,PC1,X1,1,5.00,0",  # outside the period
]

JOURNAL_HEADER = (
    "doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,debit,credit,"
    "description"
)
# Documents spanning files: J1 balances only with lines 1 and 2, line 3
# unbalances it; J2 mixes currencies with its EUR line; a rejected line
# rejects its whole document wherever the other lines are.
JOURNAL_ROWS = [
    "J1,1,2026-01-31,P,CNY,6000,,,CCP,50.00,,accrual",
    "J1,2,2026-01-31,P,CNY,2000,,,,,50.00,accrual",
    "J1,3,2026-01-31,P,CNY,2000,,,,,10.00,extra",
    "J2,1,2026-01-31,U,USD,6000,,,CCU,20.00,,x",
    "J2,2,2026-01-31,U,USD,2000,,,,,20.00,x",
    "J2,2,2026-01-31,U,EUR,2000,,,,,20.00,x",
    "J1,1,2026-01-31,P,CNY,6000,,,,50.00,,no cost center",
    "J3,1,2026-01-31,U,USD,9999,,,,5.00,,unknown account",
]

FILES = {
    "sales-a.csv": (SALES_HEADER, SALES_ROWS),
    "sales-b.csv": (SALES_HEADER, SALES_ROWS),
    "journals-a.csv": (JOURNAL_HEADER, JOURNAL_ROWS),
    "journals-b.csv": (JOURNAL_HEADER, JOURNAL_ROWS),
}


def _body(name: str, broken: bool, rows: list[int]) -> str:
    header, pool = FILES[name]
    if broken:  # a required column missing: every row rejected, on row 1
        header = header.replace("doc_id,", "document,")
    return "\n".join([header, *(pool[i] for i in rows)]) + "\n"


def _content(name: str) -> st.SearchStrategy[str | None]:
    """A file's next content: absent, some rows of its pool, or broken."""
    rows = st.lists(st.integers(0, len(FILES[name][1]) - 1), max_size=4)
    return st.one_of(
        st.none(),
        rows.map(lambda r: _body(name, False, r)),
        rows.map(lambda r: _body(name, False, r)),
        rows.map(lambda r: _body(name, True, r)),
    )


# The whole folder at first, then one file at a time (new, changed or gone),
# so that most files stay unchanged and are staged in part or not at all.
FOLDER = st.fixed_dictionaries({name: _content(name) for name in FILES})
CHANGE = st.sampled_from(sorted(FILES)).flatmap(
    lambda name: _content(name).map(lambda body: {name: body})
)


def _write(settings: Settings, folder: dict[str, str | None]) -> None:
    ledgers = settings.ledgers_dir / PERIOD
    for name, body in folder.items():
        path = ledgers / name
        if body is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(body, encoding="utf-8")


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[Any]]:
    def rows(sql: str) -> list[Any]:
        return con.execute(sql).fetchall()

    return {
        "source_row": rows("SELECT * FROM source_row ORDER BY path, row_no"),
        # each file's rejects in the order reports print them
        "reject": rows("SELECT * FROM reject ORDER BY path, rowid"),
        "load_file": rows(
            "SELECT period, path, module, sha256, read, accepted, rejected FROM load_file "
            "WHERE current ORDER BY path"
        ),
        "load_entity": rows("SELECT * FROM load_entity ORDER BY ALL"),
    }


_EMPTY: list[Path] = []


def _fresh_database(settings: Settings, database: Path) -> Settings:
    """``settings`` on a new, migrated, empty database at ``database``: a copy
    of one made once (migrating costs more than a small load)."""
    if not _EMPTY:
        folder = Path(tempfile.mkdtemp())
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _EMPTY.append(folder / "empty.duckdb")
        db.connect(dataclasses.replace(settings, database=_EMPTY[0])).close()
    shutil.copyfile(_EMPTY[0], database)
    return dataclasses.replace(settings, database=database)


def _full_load(settings: Settings, database: Path) -> tuple[LoadReport, dict[str, list[Any]]]:
    fresh = _fresh_database(settings, database)
    con = db.connect(fresh)
    try:
        return load_period(fresh, con, PERIOD), _tables(con)
    finally:
        con.close()


@pytest.mark.slow
@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=FOLDER, steps=st.lists(CHANGE, min_size=1, max_size=3))
def test_incremental_load_equals_a_full_load(
    first: dict[str, str | None], steps: list[dict[str, str | None]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        settings = workspace(root / "ws", {f"ledgers/{PERIOD}/.keep": ""})
        settings = _fresh_database(settings, settings.database)
        con = db.connect(settings)
        try:
            _write(settings, first)
            load_period(settings, con, PERIOD)
            for n, step in enumerate(steps):
                _write(settings, step)
                report = load_period(settings, con, PERIOD)
                expected, tables = _full_load(settings, root / f"full-{n}.duckdb")
                assert report.files == expected.files
                assert _tables(con) == tables
        finally:
            con.close()


def _sales(*rows: int) -> str:
    return _body("sales-a.csv", False, list(rows))


def _names(report: LoadReport) -> list[tuple[str, int, int, int]]:
    return [(Path(f.file).name, f.read, f.accepted, f.rejected) for f in report.files]


def test_changed_file_reads_only_its_entities(tmp_path: Path) -> None:
    """sales-b.csv repeats S1 line 1 of P (its row 3) and S2 line 1 of U,
    which sales-a.csv holds. When S2 leaves sales-a.csv, only entity U is
    validated again: sales-b.csv's U row is accepted, its P row keeps its
    reject and journals-a.csv (entity P only) keeps its rows in place."""
    settings = workspace(
        tmp_path,
        {
            f"ledgers/{PERIOD}/sales-a.csv": _sales(2),
            f"ledgers/{PERIOD}/sales-b.csv": _sales(0, 1, 2),
            f"ledgers/{PERIOD}/journals-a.csv": _body("journals-a.csv", False, [0, 1]),
        },
    )
    con = db.connect(settings)
    assert _names(load_period(settings, con, PERIOD)) == [
        ("journals-a.csv", 2, 2, 0),
        ("sales-a.csv", 1, 1, 0),
        ("sales-b.csv", 3, 1, 2),
    ]
    untouched = "SELECT rowid FROM source_row WHERE entity = 'P' ORDER BY rowid"
    kept = con.execute(untouched).fetchall()
    _write(settings, {"sales-a.csv": _sales()})

    report = load_period(settings, con, PERIOD)
    assert _names(report) == [
        ("journals-a.csv", 2, 2, 0),
        ("sales-a.csv", 0, 0, 0),
        ("sales-b.csv", 3, 2, 1),
    ]
    assert report.error_lines() == [
        f'ledgers/{PERIOD}/sales-b.csv:3 line: duplicate: sales document "S1" line "1" of '
        f"entity P is already on ledgers/{PERIOD}/sales-b.csv:2"
    ]
    # entity P's rows were not replaced: the same physical rows
    assert con.execute(untouched).fetchall() == kept
    # sales-b.csv's counts changed: a new current version; journals-a.csv keeps its one
    versions = con.execute(
        "SELECT regexp_extract(path, '[^/]+$'), count(*) FROM load_file GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert versions == [("journals-a.csv", 1), ("sales-a.csv", 2), ("sales-b.csv", 2)]


def test_master_change_loads_the_whole_period_again(tmp_path: Path) -> None:
    """sales-b.csv (entity U) changes together with master data: a master fix
    must reach the unchanged sales-a.csv's P row too (SPEC section 5)."""
    unknown_pc = _sales(0).replace(",PC1,", ",PC2,")
    settings = workspace(
        tmp_path,
        {
            f"ledgers/{PERIOD}/sales-a.csv": unknown_pc,
            f"ledgers/{PERIOD}/sales-b.csv": _sales(2),
        },
    )
    con = db.connect(settings)
    assert [f.rejected for f in load_period(settings, con, PERIOD).files] == [1, 0]
    (settings.root / "master" / "profit_centers.csv").write_text(
        "profit_center,name,business_unit\nPC1,Laptops,PCS\nPC2,Desktops,PCS\n",
        encoding="utf-8",
    )
    _write(settings, {"sales-b.csv": _sales(2).replace("100.00", "200.00")})

    report = load_period(settings, con, PERIOD)
    assert [(f.accepted, f.rejected) for f in report.files] == [(1, 0), (1, 0)]
    assert con.execute("SELECT count(*) FROM reject").fetchone() == (0,)

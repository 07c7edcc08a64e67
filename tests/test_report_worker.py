"""The report worker: queries answered by the parent give the rows DuckDB gives."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from closekit.errors import PeriodError
from closekit.report import worker

D = Decimal

QUERY = """
    SELECT i AS n, (i * 1.25)::DECIMAL(18, 2) AS amount, DATE '2026-10-31' AS day,
           'e' || i AS code
    FROM range(25003) t(i) ORDER BY i
"""


def _read(con: Any, query: str) -> dict[str, Any]:
    """Runs in the worker: every way the report modules read a result."""
    all_rows = con.execute(query).fetchall()
    names = [d[0] for d in con.execute(query).description]
    first = con.execute(query).fetchone()
    cursor = con.cursor().execute(query)
    batches = []
    while batch := cursor.fetchmany(10_000):
        batches.append(len(batch))
    none = con.execute("SELECT 1 WHERE false").fetchone()
    return {"all": all_rows, "names": names, "first": first, "batches": batches, "none": none}


def _bad_query(con: Any) -> None:
    con.execute("SELECT * FROM no_such_table").fetchall()


def _refuse(con: Any) -> None:
    raise PeriodError("period 2026-10 is locked")


def _die(con: Any) -> None:
    os._exit(3)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_worker_reads_exactly_what_duckdb_returns(con: duckdb.DuckDBPyConnection) -> None:
    read = worker.start(con, _read, QUERY).result()
    assert read["all"] == con.execute(QUERY).fetchall()
    assert read["first"] == (0, D("0.00"), date(2026, 10, 31), "e0")
    # 25,003 rows: 1.25 x 25,002 = 31,252.50 on the last one, as DECIMAL.
    assert read["all"][-1][1] == D("31252.50")
    assert read["names"] == ["n", "amount", "day", "code"]
    assert read["batches"] == [10_000, 10_000, 5_003]
    assert read["none"] is None


def test_a_failing_query_raises_in_the_parent(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        worker.start(con, _bad_query).result()


def test_a_refusal_keeps_its_type(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(PeriodError, match="locked"):
        worker.start(con, _refuse).result()


def test_a_worker_that_dies_is_an_error(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(worker.WorkerError, match="stopped"):
        worker.start(con, _die).result()


def test_a_render_the_worker_cannot_import_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    def nested(con: Any) -> None:
        return None

    with pytest.raises(ValueError, match="not importable"):
        worker.start(con, nested)

"""Joining Parquet files without re-encoding them (closekit.io.parquet_concat)."""

from __future__ import annotations

import struct
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closekit.io import parquet_concat as pc

# A part: how many rows and a seed for their values. DuckDB cuts row groups
# at 2,048 rows at the least, so parts of up to 7,000 rows have several.
PARTS = st.lists(st.tuples(st.integers(0, 7_000), st.integers(0, 2**31)), min_size=1, max_size=4)


def _write(con: duckdb.DuckDBPyConnection, rows: int, seed: int, path: Path) -> None:
    """``rows`` pseudo-random rows as DuckDB writes them, in order, with
    dictionary pages, bloom filters and statistics like the journal's."""
    con.execute(
        f"""COPY (SELECT ['E1', 'E2', 'Ünï', 'x''y', '']
                             [(1 + hash(n, {seed}) % 5)::BIGINT] AS entity,
                         (((hash({seed}, n) % 2000000000000)::BIGINT - 1000000000000) * 0.01)
                             ::DECIMAL(18, 2) AS amount,
                         CASE WHEN n % 3 = 0 THEN NULL ELSE 'note ' || (n % 97) END AS note
                  FROM range({rows}) r(n) ORDER BY n)
            TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)"""
    )


def _read(path: Path) -> list[tuple[object, ...]]:
    return duckdb.connect().execute(f"SELECT * FROM '{path}'").fetchall()


def test_a_duckdb_footer_decodes_and_encodes_to_the_same_bytes(tmp_path: Path) -> None:
    con = duckdb.connect()
    path = tmp_path / "a.parquet"
    _write(con, 10_000, 1, path)
    data = path.read_bytes()
    length = struct.unpack("<I", data[-8:-4])[0]
    footer = data[-8 - length : -8]
    assert pc.encode(pc.decode(footer)) == footer
    layout = pc.layout(path)
    assert layout.data_end == len(data) - 8 - length
    assert len(layout.row_groups) == 5


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=PARTS, cut=st.data())
def test_joined_files_hold_every_row_in_order_and_each_part_can_be_cut_out(
    tmp_path_factory: pytest.TempPathFactory, parts: list[tuple[int, int]], cut: st.DataObject
) -> None:
    work = tmp_path_factory.mktemp("parts")
    con = duckdb.connect()
    layouts = []
    for i, (rows, seed) in enumerate(parts):
        _write(con, rows, seed, work / f"{i}.parquet")
        layouts.append(pc.layout(work / f"{i}.parquet"))
    joined = work / "joined.parquet"
    footers = [pc.encode(x.meta) for x in layouts]
    spans = pc.concat(joined, layouts[0].meta, [(x.piece(), x.meta) for x in layouts])
    assert [pc.encode(x.meta) for x in layouts] == footers  # the pieces' footers untouched

    expected = [row for i in range(len(parts)) for row in _read(work / f"{i}.parquet")]
    assert _read(joined) == expected
    arrow = pq.read_table(joined)  # a second reader, stricter about the footer
    assert arrow.num_rows == len(expected)
    assert pq.ParquetFile(joined).metadata.num_row_groups == sum(len(x.row_groups) for x in layouts)
    assert [Decimal(str(a)) for a in arrow.column("amount").to_pylist()] == [r[1] for r in expected]

    # Any part cut out of the joined file and joined again with others.
    order = cut.draw(st.permutations(range(len(parts))))
    again = pc.layout(joined)
    pieces = [(again.piece(spans[i][0], spans[i][1], spans[i][2:]), again.meta) for i in order]
    rejoined = work / "rejoined.parquet"
    pc.concat(rejoined, again.meta, pieces)
    assert _read(rejoined) == [row for i in order for row in _read(work / f"{i}.parquet")]


def test_the_join_is_a_function_of_the_pieces(tmp_path: Path) -> None:
    con = duckdb.connect()
    _write(con, 5_000, 1, tmp_path / "a.parquet")
    _write(con, 300, 2, tmp_path / "b.parquet")
    a, b = pc.layout(tmp_path / "a.parquet"), pc.layout(tmp_path / "b.parquet")
    pc.concat(tmp_path / "1.parquet", a.meta, [(a.piece(), a.meta), (b.piece(), b.meta)])
    pc.concat(tmp_path / "2.parquet", b.meta, [(a.piece(), a.meta), (b.piece(), b.meta)])
    assert (tmp_path / "1.parquet").read_bytes() == (tmp_path / "2.parquet").read_bytes()


def test_pieces_of_another_schema_are_refused(tmp_path: Path) -> None:
    con = duckdb.connect()
    _write(con, 10, 1, tmp_path / "a.parquet")
    con.execute(f"COPY (SELECT 1 AS other) TO '{tmp_path / 'b.parquet'}' (FORMAT parquet)")
    a, b = pc.layout(tmp_path / "a.parquet"), pc.layout(tmp_path / "b.parquet")
    with pytest.raises(pc.ParquetFormatError, match="another schema"):
        pc.concat(tmp_path / "j.parquet", a.meta, [(a.piece(), a.meta), (b.piece(), b.meta)])


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1 this is not parquet at all PAR1")
    with pytest.raises(pc.ParquetFormatError, match=r"x\.parquet"):
        pc.layout(path)


def test_a_cut_outside_the_file_is_refused(tmp_path: Path) -> None:
    con = duckdb.connect()
    _write(con, 5_000, 1, tmp_path / "a.parquet")
    a = pc.layout(tmp_path / "a.parquet")
    with pytest.raises(pc.ParquetFormatError, match="no row groups"):
        a.piece(1, 5)
    with pytest.raises(pc.ParquetFormatError, match="not data"):
        a.piece(0, 1, (0, a.data_end))
    # Row groups with bytes that do not hold them.
    with pytest.raises(pc.ParquetFormatError, match="outside its piece"):
        pc.concat(tmp_path / "j.parquet", a.meta, [(a.piece(1, 1, (4, 8)), a.meta)])

"""What a load reads again and replaces (SPEC section 5: the period folder is
the truth, files whose SHA-256 is unchanged are not re-read).

A full load stages every file and replaces the whole period. An incremental
load, possible when master data, closekit.toml, the rules and the first
period are those of the last load, stages

- every file that is new or whose SHA-256 changed (``reread``), all rows;
- from each unchanged file holding rows of an *affected* entity
  (``partial``), the split rows of the affected entities.

The affected entities are those the changed and removed files held at the
last load (``load_entity``) and those the changed files hold now. Every rule
of SPEC section 4 looks at one row or at rows of one entity (duplicates by
module, entity, document and line; journal and opening documents by entity
and document), so validating the affected entities' rows of the whole period
decides them exactly as a full load would, and every other row keeps its
outcome. The rows replaced are: all rows of the reread and removed files, and
the staged rows of the partial files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from closekit.validate.stage import FILES

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class Scope:
    """full: every file is staged and the period replaced (the other fields
    are then empty); else the workspace-relative paths of the files read
    again in full, of the files gone from the folder, of the unchanged files
    whose affected-entity rows are staged, and those entities."""

    full: bool
    reread: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    partial: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()

    @property
    def replaced(self) -> list[str]:
        """Files whose every row (accepted or rejected) is replaced."""
        return sorted(self.reread | self.removed)


FULL = Scope(full=True)


def affected_entities(
    con: duckdb.DuckDBPyConnection, period: str, replaced: list[str]
) -> frozenset[str]:
    """Entities of the replaced files at the last load, and of the reread
    files' split rows now staged."""
    rows = con.execute(
        "SELECT entity FROM load_entity WHERE period = ? AND list_contains(?, path) "
        "UNION SELECT entity FROM stage WHERE error IS NULL",
        [period, replaced],
    ).fetchall()
    return frozenset(entity for (entity,) in rows)


def holding(
    con: duckdb.DuckDBPyConnection, period: str, entities: frozenset[str], replaced: list[str]
) -> frozenset[str]:
    """Unchanged files that hold rows of ``entities``."""
    rows = con.execute(
        "SELECT DISTINCT path FROM load_entity WHERE period = ? "
        "AND list_contains(?, entity) AND NOT list_contains(?, path)",
        [period, sorted(entities), replaced],
    ).fetchall()
    return frozenset(path for (path,) in rows)


def delete_replaced(con: duckdb.DuckDBPyConnection, periods: list[str], scope: Scope) -> None:
    """Remove the accepted rows and file entities that this load replaces:
    the whole of ``periods`` for a full load, else a part of the one period;
    ``reject`` is rewritten by :func:`write_rejects`."""
    if scope.full:
        for table in ("source_row", "load_entity"):
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, period)", [periods])
        return
    (period,) = periods
    replaced, partial = scope.replaced, sorted(scope.partial)
    con.execute(
        "DELETE FROM source_row WHERE period = ? AND list_contains(?, path)", [period, replaced]
    )
    if partial:
        con.execute(
            "DELETE FROM source_row s USING stage t "
            "WHERE s.period = ? AND list_contains(?, s.path) "
            "AND s.path = t.path AND s.row_no = t.row_no",
            [period, partial],
        )
    con.execute(
        "DELETE FROM load_entity WHERE period = ? AND list_contains(?, path)", [period, replaced]
    )


def write_entities(con: duckdb.DuckDBPyConnection, whole: list[int]) -> None:
    """The entities of the rows the reader could split (accepted or
    rejected) of each file staged whole (its ``seq`` in ``whole``), from the
    staged rows in one statement; a partial file's are unchanged."""
    if whole:
        con.execute(
            "INSERT INTO load_entity SELECT DISTINCT period, path, entity FROM stage "
            "WHERE error IS NULL AND list_contains(?::INTEGER[], seq) ORDER BY ALL",
            [whole],
        )


def write_rejects(con: duckdb.DuckDBPyConnection, periods: list[str], scope: Scope) -> None:
    """The rejects of every staged row, from ``problem``, in row then rule
    order, each with its file's period (``stage_file``).

    A partial file's rejects are rewritten whole: those of its rows not staged
    again (other entities, rows the reader could not split) are kept, merged
    in row order with the new ones, so that each file's rejects stay in the
    order a full load writes them (``reject`` has no rule column to sort by).
    """
    if scope.full:
        con.execute("DELETE FROM reject WHERE list_contains(?, period)", [periods])
        con.execute(
            "INSERT INTO reject SELECT f.period, p.path, p.row_no, p.column_name, p.message "
            f"FROM problem p JOIN {FILES} f USING (path) ORDER BY p.path, p.row_no, p.rule"
        )
        return
    (period,) = periods
    partial = sorted(scope.partial)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE reject_kept AS "
        "SELECT path, row_no, column_name, message, rowid AS k FROM reject r "
        "WHERE period = ? AND list_contains(?, path) "
        "AND NOT EXISTS (SELECT 1 FROM stage t WHERE t.path = r.path AND t.row_no = r.row_no)",
        [period, partial],
    )
    con.execute(
        "DELETE FROM reject WHERE period = ? AND list_contains(?, path)",
        [period, scope.replaced + partial],
    )
    con.execute(
        """INSERT INTO reject
SELECT ?, path, row_no, column_name, message FROM (
    SELECT path, row_no, column_name, message, 0 AS source, k FROM reject_kept
    UNION ALL
    SELECT path, row_no, column_name, message, 1, rule FROM problem
) ORDER BY path, row_no, source, k""",
        [period],
    )
    con.execute("DROP TABLE reject_kept")

"""A query's answer as a typed table: the one source of the CLI's table, CSV
and JSON output and of the Python API's DataFrames, so that they cannot
differ. Money is ``Decimal`` with exactly two places."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import duckdb

CENT = Decimal("0.01")
Kind = Literal["text", "int", "bool", "float", "money", "decimal", "date"]


@dataclass(frozen=True)
class Column:
    """A column: its name (the CSV header, the DataFrame column) and kind:
    text, int, bool, float (never money: seconds), money (Decimal, two
    places), decimal (exact, more places) or date."""

    name: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """A query's answer.

    title: what the rows are, in words (printed above the table on a terminal).
    columns, rows: the data, the same in every format.
    total: a total row for people (the table format only; not a data row).
    notes: lines for people under the table; warnings: for stderr.
    """

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: tuple[Any, ...] | None = None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> list[Any]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


# Field annotations (strings, as written) -> column kinds.
_KINDS: dict[str, Kind] = {"Decimal": "money", "date": "date", "int": "int"}


def record_rows(records: list[Any], record_type: type) -> tuple[tuple[Column, ...], list[tuple]]:  # type: ignore[type-arg]
    """Dataclass records as columns (one a field) and rows; money in cents."""
    fields = dataclasses.fields(record_type)
    columns = tuple(Column(f.name, _KINDS.get(str(f.type), "text")) for f in fields)
    rows = [
        tuple(
            cents(v) if isinstance(v, Decimal) else v for v in (getattr(r, f.name) for f in fields)
        )
        for r in records
    ]
    return columns, rows


def entity_name(con: duckdb.DuckDBPyConnection, code: str) -> tuple[str, str]:
    """(name, functional currency) of an entity known to exist."""
    row = con.execute("SELECT name, currency FROM entity WHERE entity = ?", [code]).fetchone()
    return (str(row[0]), str(row[1])) if row else ("", "")

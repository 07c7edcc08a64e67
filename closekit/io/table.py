"""The one shape every reader returns: all-text columns plus the row number."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from closekit.errors import Problem

ROW = "_row"  # row number as a person counts it in the file (header = 1)
ERROR = "_error"  # why the reader could not split this row (NULL when it could)

# Arrow values are built with their type: converting an untyped Python value
# makes pyarrow try (and, without python-dateutil, fail) an import each time,
# which cost more than the reading itself over a period of small files.
EMPTY = pa.scalar("", pa.string())


@dataclass(frozen=True)
class RawTable:
    """One input file as read, before any validation.

    path: workspace-relative path, as shown in problems.
    columns: header names trimmed and lower-cased, in file order; column ``i``
        of ``data`` is named ``c{i}``.
    labels: the header names as written in the file (trimmed).
    data: one string column per header column (values trimmed; '' when empty),
        ``_row`` and ``_error``. Blank lines are not rows and are absent.
    problems: file-level problems (empty file, bad encoding, duplicate column);
        when there is one, ``data`` may be empty.
    """

    path: str
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    data: pa.Table
    problems: tuple[Problem, ...]

    @property
    def read(self) -> int:
        """Rows read: every row but blank lines."""
        return int(self.data.num_rows)

    def column_index(self, name: str) -> int | None:
        try:
            return self.columns.index(name)
        except ValueError:
            return None


def column_name(index: int) -> str:
    return f"c{index}"


def empty_data(width: int) -> pa.Table:
    fields = [pa.field(column_name(i), pa.string()) for i in range(width)]
    fields += [pa.field(ROW, pa.int64()), pa.field(ERROR, pa.string())]
    return pa.schema(fields).empty_table()


def header_problems(path: str, labels: list[str], header_row: int) -> list[Problem]:
    """Column names are matched case-insensitively after trimming, so two
    names that differ only by case or spaces are the same column twice."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for label in labels:
        name = label.strip().lower()
        if not name:
            continue
        if name in seen:
            problems.append(
                Problem(path, header_row, label.strip(), "column appears twice in the header")
            )
        seen.add(name)
    return problems


def field_count_message(fields: int, width: int) -> str:
    return f"has {fields} field{'' if fields == 1 else 's'}, the header has {width}"


def file_problem(path: str, message: str, column: str = "") -> RawTable:
    """A file that could not be read at all: one problem on row 1."""
    return RawTable(path, (), (), empty_data(0), (Problem(path, 1, column, message),))

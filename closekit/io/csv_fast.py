"""The fast path for CSV without any quote character (most ERP exports).

Without quotes every physical line is exactly one record and every comma
separates two fields, so lines, field counts and fields can be computed for
the whole file at once with Arrow kernels: the row number of a line is its
line number, and the result is the same as the record-by-record reader's
(tests/test_io.py checks both on the same files).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from closekit.errors import Problem
from closekit.io.table import (
    ERROR,
    ROW,
    RawTable,
    column_name,
    field_count_message,
    file_problem,
    header_problems,
)


def applies(text: str) -> bool:
    """No quote anywhere, and line ends are \\n or \\r\\n (never a lone \\r)."""
    return '"' not in text and text.count("\r") == text.count("\r\n")


def read_unquoted(text: str, relative: str) -> RawTable:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline ending the last line does not start another
    header_index = next((i for i, line in enumerate(lines) if line.strip(" \t\r,")), None)
    if header_index is None:
        return file_problem(relative, "file has no header row")
    header = [label.strip() for label in lines[header_index].rstrip("\r").split(",")]
    width = len(header)
    first_row = header_index + 2  # row numbers count from 1 at the first line
    body = pc.utf8_rtrim(pa.array(lines[header_index + 1 :], type=pa.string()), characters="\r")
    numbers = pa.array(range(first_row, first_row + len(body)), type=pa.int64())

    # A blank line (or one of only commas and spaces) is not a row.
    keep = pc.invert(pc.match_substring_regex(body, r"^[\s,]*$"))
    body, numbers = body.filter(keep), numbers.filter(keep)
    fields = pc.add(pc.count_substring(body, ","), 1)
    good = pc.equal(fields, width)

    parts = pc.split_pattern(body.filter(good), ",")
    columns = [pc.utf8_trim_whitespace(pc.list_element(parts, i)) for i in range(width)]
    names = [column_name(i) for i in range(width)]
    accepted = pa.Table.from_arrays(
        [*columns, numbers.filter(good), pa.nulls(len(parts), pa.string())],
        names=[*names, ROW, ERROR],
    )
    # Rows with too many or too few fields are few: kept (padded) and rejected.
    bad = pc.invert(good)
    bad_lines = [(line.split(",") + [""] * width)[:width] for line in body.filter(bad).to_pylist()]
    bad_fields = fields.filter(bad).to_pylist()
    rejected = pa.Table.from_arrays(
        [
            *(
                pc.utf8_trim_whitespace(pa.array([cells[i] for cells in bad_lines], pa.string()))
                for i in range(width)
            ),
            numbers.filter(bad),
            pa.array([field_count_message(n, width) for n in bad_fields], pa.string()),
        ],
        names=[*names, ROW, ERROR],
    )
    data = pa.concat_tables([accepted, rejected])
    if rejected.num_rows:
        data = data.sort_by(ROW)
    problems: list[Problem] = header_problems(relative, header, header_index + 1)
    return RawTable(
        relative, tuple(h.lower() for h in header), tuple(header), data, tuple(problems)
    )

"""The fast path for CSV whose records are one line each (most ERP exports).

When no quoted field spans lines, every physical line is exactly one record,
so the row number of a line is its line number and the whole file can be
split with Arrow kernels at once: plain ``split`` when the file has no quote
character, one regular expression with a group per column when it has. A
file that does not qualify (a quoted newline, a malformed quote, a lone
``\\r`` line end) returns None and goes through the record-by-record reader,
which gives the same result (tests/test_io.py checks both on the same files).
"""

from __future__ import annotations

import csv

import pyarrow as pa
import pyarrow.compute as pc

from closekit.errors import Problem
from closekit.io.table import (
    EMPTY,
    ERROR,
    ROW,
    RawTable,
    column_name,
    field_count_message,
    file_problem,
    header_problems,
)

# RFC 4180 as the csv module reads it in strict mode: a quoted field ("" is a
# quote) followed by a comma or the end, or an unquoted field that does not
# start with a quote, or nothing.
FIELD = r'(?:"(?:[^"]|"")*"|[^",][^,]*)?'
LINE = rf"^{FIELD}(?:,{FIELD})*$"
# The common export: fields in quotes or not, but no comma or quote inside.
SIMPLE = r'^(?:"[^",]*"|[^",]*)(?:,(?:"[^",]*"|[^",]*))*$'


def _width_pattern(width: int) -> str:
    return "^" + ",".join(f"(?P<{column_name(i)}>{FIELD})" for i in range(width)) + "$"


def _unquote(values: pa.Array) -> pa.Array:
    """A quoted field's text: outer quotes removed, "" read as "."""
    quoted = pc.starts_with(values, '"')
    inner = pc.replace_substring(pc.utf8_slice_codeunits(values, 1, -1), '""', '"')
    return pc.if_else(quoted, inner, values)


def _record(line: str) -> list[str]:
    return next(csv.reader([line], strict=True), [])


def _lines(text: str) -> pa.Array:
    """The physical lines of ``text`` without their ``\\n`` or ``\\r\\n``, split
    by Arrow (no Python string per line). Every ``\\r`` ends a line here."""
    lines = pc.list_flatten(pc.split_pattern(pa.array([text], pa.large_string()), "\n"))
    if text.endswith("\n") or not text:
        lines = lines.slice(0, len(lines) - 1)  # the final newline starts no line
    if "\r" in text:
        lines = pc.utf8_rtrim(lines, characters="\r")
    return lines.cast(pa.string())


def _row_numbers(first: int, count: int) -> pa.Array:
    """first, first + 1, ... (count numbers) without a Python int per row."""
    ones = pa.repeat(pa.scalar(1, pa.int64()), count)
    return pc.add(pc.cumulative_sum(ones), pa.scalar(first - 1, pa.int64()))


def read_lines(text: str, relative: str) -> RawTable | None:
    """Read ``text`` line by line, or None when a record may span lines."""
    if text.count("\r") != text.count("\r\n"):
        return None  # lone \r line ends: leave them to the csv module
    quoted = '"' in text
    lines = _lines(text)
    try:
        # The header is the first record that is not blank (normally row 1).
        header_index = next(
            (i for i in range(len(lines)) if "".join(_record(lines[i].as_py())).strip()), None
        )
    except csv.Error:
        return None
    if header_index is None:
        return file_problem(relative, "file has no header row")
    header = [label.strip() for label in _record(lines[header_index].as_py())]
    width = len(header)
    first_row = header_index + 2  # row numbers count from 1 at the first line
    body = lines.slice(header_index + 1)
    simple = not quoted or pc.all(pc.match_substring_regex(body, SIMPLE)).as_py() is not False
    if not simple and pc.all(pc.match_substring_regex(body, LINE)).as_py() is False:
        return None
    numbers = _row_numbers(first_row, len(body))

    # A blank line (or one of only commas and spaces) is not a row.
    keep = pc.invert(pc.match_substring_regex(body, r"^[\s,]*$"))
    body, numbers = body.filter(keep), numbers.filter(keep)
    names = [column_name(i) for i in range(width)]
    if simple:
        # every comma separates fields; quotes only surround whole fields
        good = pc.equal(pc.count_substring(body, ","), pa.scalar(width - 1, pa.int32()))
        parts = pc.split_pattern(body.filter(good), ",")
        columns = [pc.list_element(parts, pa.scalar(i, pa.int64())) for i in range(width)]
        if quoted:
            columns = [pc.utf8_trim(c, '"') for c in columns]
    else:
        fields = pc.extract_regex(body, _width_pattern(width))
        good = pc.fill_null(pc.is_valid(fields), False)
        matched = fields.filter(good)
        columns = [_unquote(pc.struct_field(matched, i)) for i in range(width)]
    columns = [pc.utf8_trim_whitespace(c) for c in columns]
    accepted = pa.Table.from_arrays(
        [*columns, numbers.filter(good), pa.nulls(len(columns[0]), pa.string())],
        names=[*names, ROW, ERROR],
    )
    # A row whose fields are all empty ("","" or Unicode spaces) is blank too.
    blank = pc.equal(columns[0], EMPTY)
    for column in columns[1:]:
        blank = pc.and_(blank, pc.equal(column, EMPTY))
    accepted = accepted.filter(pc.invert(blank))

    # Rows with too many or too few fields are few: kept (padded) and rejected.
    bad = pc.invert(good)
    records = [_record(line) for line in body.filter(bad).to_pylist()]
    kept = [
        (n, r)
        for n, r in zip(numbers.filter(bad).to_pylist(), records, strict=True)
        if "".join(r).strip()
    ]
    cells = [(r + [""] * width)[:width] for _, r in kept]
    rejected = pa.Table.from_arrays(
        [
            *(
                pc.utf8_trim_whitespace(pa.array([c[i] for c in cells], pa.string()))
                for i in range(width)
            ),
            pa.array([n for n, _ in kept], pa.int64()),
            pa.array([field_count_message(len(r), width) for _, r in kept], pa.string()),
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

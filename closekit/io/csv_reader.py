"""CSV: UTF-8 (with or without BOM) or GB18030/GBK, rows numbered as a person counts them.

A row is a CSV record (a quoted newline does not start a new one); the header
is row 1; a blank line (or a record of empty fields, as spreadsheets export)
is not a row but keeps its place in the numbering. A record with more or fewer
fields than the header is kept as a row with an ``_error``, so that it is
counted and rejected rather than lost.

Speed: the C ``csv`` module splits records, and each chunk of records becomes
Arrow columns at once; Python only touches the rare malformed record.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from closekit.errors import Problem
from closekit.io import csv_fast
from closekit.io.table import (
    EMPTY,
    ERROR,
    ROW,
    RawTable,
    column_name,
    empty_data,
    field_count_message,
    file_problem,
    header_problems,
)

CHUNK = 200_000
csv.field_size_limit(1 << 30)


def _utf16(raw: bytes) -> str | None:
    """ "UTF-16LE" or "UTF-16BE" when ``raw`` looks like UTF-16 text, with or
    without a byte order mark; None otherwise.

    Without a mark, UTF-16 text of mostly ASCII characters (a CSV's commas,
    digits and codes) has a NUL byte in every other place, which is valid
    UTF-8 and would be read as a header of strange names. UTF-8 and GB18030
    text never holds NUL bytes, so a quarter of the first 4 KB being NULs at
    one parity is UTF-16.
    """
    if raw.startswith(b"\xff\xfe"):
        return "UTF-16LE"
    if raw.startswith(b"\xfe\xff"):
        return "UTF-16BE"
    head = raw[:4096]
    if len(head) < 4:
        return None
    if head[1::2].count(0) * 4 >= len(head):
        return "UTF-16LE"
    if head[0::2].count(0) * 4 >= len(head):
        return "UTF-16BE"
    return None


def decode(raw: bytes, encoding: str | None) -> tuple[str, str] | str:
    """(text, encoding used), or a message saying why the bytes are not text.

    Chinese ERP exports are GB18030/GBK (GBK is a subset); UTF-8 is tried
    first because valid UTF-8 is almost never valid-looking GB18030 by accident.
    """
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            return f"cannot be read as {encoding} ([input] encoding): {exc.__class__.__name__}"
    utf16 = _utf16(raw)
    if utf16:
        return f"is {utf16} text: UTF-16 is not supported; save as UTF-8"
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return "starts with a UTF-8 byte order mark but is not UTF-8 text"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return "is neither UTF-8 nor GB18030 text; set [input] encoding in closekit.toml"


def _malformed(text: str, exc: csv.Error) -> str:
    """What is wrong with a record the csv module refused. A quote that is
    never closed swallows every line after it: say which."""
    if "unexpected end of data" not in str(exc):
        return f"malformed CSV record ({exc})"
    first, last = _unclosed(text)
    message = f"malformed CSV record: a quote opened in this row (line {first}) is never closed"
    if last == first + 1:
        return f"{message}; it swallows line {last}, the last of the file"
    if last > first:
        return f"{message}; it swallows lines {first + 1} to {last}, the rest of the file"
    return message


def _unclosed(text: str) -> tuple[int, int]:
    """The line where the record with the unclosed quote starts, and the
    last line of the file (read again, record by record: rare and small)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last = 0
    while True:
        try:
            for _record in reader:
                last = reader.line_num
            return last + 1, reader.line_num
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return last + 1, reader.line_num
            last = reader.line_num


def _records(text: str) -> Iterator[tuple[list[list[str]], dict[int, str]]]:
    """Chunks of records, with the index (in the chunk) of malformed ones.

    ``strict`` makes the csv module refuse a stray quote instead of guessing;
    it then resumes at the next line, so one bad record costs one row.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        chunk: list[list[str]] = []
        errors: dict[int, str] = {}
        while len(chunk) < CHUNK:
            try:
                chunk.extend(islice(reader, CHUNK - len(chunk)))
                break
            except csv.Error as exc:
                errors[len(chunk)] = _malformed(text, exc)
                chunk.append(["\x00malformed"])
        if not chunk:
            return
        yield chunk, errors
        if len(chunk) < CHUNK and not errors:
            return


def _batch(chunk: list[list[str]], errors: dict[int, str], first_row: int, width: int) -> pa.Table:
    """Arrow columns for one chunk; rows that are blank are dropped."""
    bad: dict[int, str] = dict(errors)
    for i, record in enumerate(chunk):
        if len(record) != width and i not in bad:
            if not "".join(record).strip():
                record[:] = [""] * width  # blank line or only empty fields: not a row
                continue
            bad[i] = field_count_message(len(record), width)
        if len(record) != width:
            chunk[i] = (record + [""] * width)[:width]
    columns = list(zip(*chunk, strict=True)) if chunk else [()] * width
    arrays = [pc.utf8_trim_whitespace(pa.array(col, type=pa.string())) for col in columns]
    rows = pa.array(range(first_row, first_row + len(chunk)), type=pa.int64())
    error = (
        pa.array([bad.get(i) for i in range(len(chunk))], type=pa.string())
        if bad
        else pa.nulls(len(chunk), pa.string())
    )
    names = [column_name(i) for i in range(width)]
    table = pa.Table.from_arrays([*arrays, rows, error], names=[*names, ROW, ERROR])
    # A blank row has every field empty and no reader error.
    blank = pc.is_null(table[ERROR])
    for array in arrays:
        blank = pc.and_(blank, pc.equal(array, EMPTY))
    return table.filter(pc.invert(blank))


def read_csv(path: Path, relative: str, encoding: str | None = None, fast: bool = True) -> RawTable:
    """Read a CSV file; ``fast=False`` forces the record-by-record reader."""
    raw = path.read_bytes()
    if not raw:
        return file_problem(relative, "file is empty (no header row)")
    decoded = decode(raw, encoding)
    if isinstance(decoded, str):
        return file_problem(relative, decoded)
    text, _used = decoded
    if fast:
        table = csv_fast.read_lines(text, relative)
        if table is not None:
            return table
    chunks = _records(text)
    header: list[str] | None = None
    header_row = 0
    tables: list[pa.Table] = []
    next_row = 1
    problems: list[Problem] = []
    for chunk, errors in chunks:
        start = 0
        if header is None:
            # The header is the first non-blank record (normally row 1).
            while start < len(chunk) and (start in errors or not "".join(chunk[start]).strip()):
                if start in errors:
                    return file_problem(relative, f"header row is a {errors[start]}")
                start += 1
            if start == len(chunk):
                next_row += len(chunk)
                continue
            header = [label.strip() for label in chunk[start]]
            header_row = next_row + start
            problems += header_problems(relative, header, header_row)
            start += 1
        rest = chunk[start:]
        rest_errors = {i - start: m for i, m in errors.items() if i >= start}
        tables.append(_batch(rest, rest_errors, next_row + start, len(header)))
        next_row += len(chunk)
    if header is None:
        return file_problem(relative, "file has no header row")
    data = pa.concat_tables(tables) if tables else empty_data(len(header))
    return RawTable(
        relative,
        tuple(label.lower() for label in header),
        tuple(header),
        data,
        tuple(problems),
    )

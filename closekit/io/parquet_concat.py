"""Joining Parquet files of one schema into one file without re-encoding them.

A Parquet file is ``PAR1``, its data (column chunks, then any bloom filters
and page indexes), a footer (Thrift ``FileMetaData``, compact protocol), the
footer's length and ``PAR1`` again. Every place a footer names in its data is
an absolute file offset. Joining files therefore copies each one's data as
it is, one after another, and writes one footer listing every file's row
groups, with their offsets moved by where that data now begins.

:func:`layout` reads a file's footer and data region; :func:`concat` writes
the joined file from :class:`Piece` s (a whole file, or a run of another
joined file's row groups and the bytes they occupy, see :meth:`Layout.piece`).
The footer keeps every field it does not know, so nothing a writer recorded
is lost. The result is a function of the pieces' bytes alone.

The Thrift codec here covers the compact protocol as Parquet footers use it
(structs, lists, integers, binaries, booleans, doubles); it decodes a footer
into ``[field id, type, value]`` triples and encodes them back to the same
bytes.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAGIC = b"PAR1"

# Thrift compact protocol type codes.
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)

# A decoded struct: its fields in order, each [field id, type, value].
Struct = list[list[Any]]

# FileMetaData, RowGroup, ColumnChunk and ColumnMetaData fields (parquet.thrift).
_FILE_NUM_ROWS, _FILE_ROW_GROUPS = 3, 4
_GROUP_COLUMNS, _GROUP_NUM_ROWS, _GROUP_FILE_OFFSET, _GROUP_ORDINAL = 1, 3, 5, 7
_CHUNK_FILE_OFFSET, _CHUNK_META, _CHUNK_OFFSET_INDEX, _CHUNK_COLUMN_INDEX = 2, 3, 4, 6
# data_page_offset, index_page_offset, dictionary_page_offset, bloom_filter_offset
_META_OFFSETS = (9, 10, 11, 14)


class ParquetFormatError(ValueError):
    """A file is not Parquet closekit can join, or the pieces do not match."""


# ---- Thrift compact protocol ------------------------------------------------


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, size: int) -> bytes:
        value = self.data[self.pos : self.pos + size]
        if len(value) != size:
            raise ParquetFormatError("footer ends inside a value")
        self.pos += size
        return value

    def value(self, kind: int) -> Any:
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind == _BINARY:
            return self.take(self.varint())
        if kind == _STRUCT:
            return self.struct()
        if kind in (_LIST, _SET):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            if element in (_TRUE, _FALSE):  # a boolean element is one byte
                return [element, [self.byte() for _ in range(size)]]
            return [element, [self.value(element) for _ in range(size)]]
        if kind == _BYTE:
            return self.byte()
        if kind == _DOUBLE:
            return self.take(8)
        raise ParquetFormatError(f"Thrift type {kind} is not used by Parquet footers")

    def struct(self) -> Struct:
        fields: Struct = []
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            kind, delta = header & 0x0F, header >> 4
            field_id = last + delta if delta else self.zigzag()
            value = kind == _TRUE if kind in (_TRUE, _FALSE) else self.value(kind)
            fields.append([field_id, kind, value])
            last = field_id


def _varint(out: bytearray, n: int) -> None:
    while True:
        if n < 0x80:
            out.append(n)
            return
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def _zigzag(out: bytearray, n: int) -> None:
    _varint(out, (n << 1) ^ (n >> 63))


def _encode_value(out: bytearray, kind: int, value: Any) -> None:
    if kind in (_I16, _I32, _I64):
        _zigzag(out, value)
    elif kind == _BINARY:
        _varint(out, len(value))
        out += value
    elif kind == _STRUCT:
        _encode_struct(out, value)
    elif kind in (_LIST, _SET):
        element, items = value
        if len(items) < 15:
            out.append(len(items) << 4 | element)
        else:
            out.append(0xF0 | element)
            _varint(out, len(items))
        for item in items:
            if element in (_TRUE, _FALSE):
                out.append(item)
            else:
                _encode_value(out, element, item)
    elif kind == _BYTE:
        out.append(value)
    elif kind == _DOUBLE:
        out += value
    else:
        raise ParquetFormatError(f"Thrift type {kind} is not used by Parquet footers")


def _encode_struct(out: bytearray, fields: Struct) -> None:
    last = 0
    for field_id, kind, value in fields:
        if kind in (_TRUE, _FALSE):
            kind = _TRUE if value else _FALSE
        delta = field_id - last
        if 0 < delta <= 15:
            out.append(delta << 4 | kind)
        else:
            out.append(kind)
            _zigzag(out, field_id)
        if kind not in (_TRUE, _FALSE):
            _encode_value(out, kind, value)
        last = field_id
    out.append(0)


def decode(data: bytes) -> Struct:
    """A compact-protocol struct as ``[field id, type, value]`` triples."""
    reader = _Reader(data)
    fields = reader.struct()
    if reader.pos != len(data):
        raise ParquetFormatError("bytes after the footer's end")
    return fields


def encode(fields: Struct) -> bytes:
    out = bytearray()
    _encode_struct(out, fields)
    return bytes(out)


def _field(fields: Struct, field_id: int) -> list[Any] | None:
    return next((f for f in fields if f[0] == field_id), None)


def _get(fields: Struct, field_id: int) -> Any:
    found = _field(fields, field_id)
    if found is None:
        raise ParquetFormatError(f"footer lacks field {field_id}")
    return found[2]


# ---- files ------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Bytes ``start:end`` of ``source`` holding ``row_groups`` (decoded, with
    their offsets as in ``source``)."""

    source: Path
    start: int
    end: int
    row_groups: tuple[Struct, ...]

    @property
    def rows(self) -> int:
        return sum(int(_get(g, _GROUP_NUM_ROWS)) for g in self.row_groups)


@dataclass(frozen=True)
class Layout:
    """A Parquet file's footer and the extent of its data (after ``PAR1``)."""

    path: Path
    meta: Struct
    data_end: int

    @property
    def row_groups(self) -> list[Struct]:
        groups: list[Struct] = _get(self.meta, _FILE_ROW_GROUPS)[1]
        return groups

    def piece(
        self, first: int = 0, count: int | None = None, span: tuple[int, int] | None = None
    ) -> Piece:
        """Row groups ``first`` to ``first + count`` (all by default) and the
        bytes ``span`` they occupy (the whole data region by default)."""
        groups = self.row_groups
        count = len(groups) - first if count is None else count
        if first < 0 or count < 0 or first + count > len(groups):
            raise ParquetFormatError(f"{self.path}: no row groups {first}..{first + count}")
        start, end = span if span is not None else (len(MAGIC), self.data_end)
        if not len(MAGIC) <= start <= end <= self.data_end:
            raise ParquetFormatError(f"{self.path}: bytes {start}..{end} are not data")
        return Piece(self.path, start, end, tuple(groups[first : first + count]))


def layout(path: Path) -> Layout:
    """Read ``path``'s footer."""
    with path.open("rb") as f:
        size = f.seek(0, os.SEEK_END)
        if size < 12:
            raise ParquetFormatError(f"{path}: too short for Parquet")
        f.seek(size - 8)
        tail = f.read(8)
        f.seek(0)
        head = f.read(4)
        length = struct.unpack("<I", tail[:4])[0]
        if head != MAGIC or tail[4:] != MAGIC or length > size - 12:
            raise ParquetFormatError(f"{path}: not a Parquet file")
        f.seek(size - 8 - length)
        meta = decode(f.read(length))
    return Layout(path, meta, size - 8 - length)


def _offset_fields(group: Struct) -> Iterable[list[Any]]:
    """Every field of a row group that holds a file offset."""
    found = _field(group, _GROUP_FILE_OFFSET)
    if found is not None:
        yield found
    for chunk in _get(group, _GROUP_COLUMNS)[1]:
        for field_id in (_CHUNK_FILE_OFFSET, _CHUNK_OFFSET_INDEX, _CHUNK_COLUMN_INDEX):
            found = _field(chunk, field_id)
            # ColumnChunk.file_offset is deprecated; writers such as DuckDB leave it 0.
            if found is not None and not (field_id == _CHUNK_FILE_OFFSET and found[2] == 0):
                yield found
        meta = _field(chunk, _CHUNK_META)
        if meta is None:
            continue
        for field_id in _META_OFFSETS:
            found = _field(meta[2], field_id)
            if found is not None:
                yield found


def _copy(fields: Struct) -> Struct:
    return [list(f) for f in fields]


def _copy_group(group: Struct) -> Struct:
    """A copy of a row group down to the fields that hold offsets; the rest
    (statistics, encodings, paths) is shared, and never changed."""
    copy = _copy(group)
    columns = _field(copy, _GROUP_COLUMNS)
    if columns is None:
        raise ParquetFormatError(f"footer lacks field {_GROUP_COLUMNS}")
    chunks = [_copy(chunk) for chunk in columns[2][1]]
    for chunk in chunks:
        meta = _field(chunk, _CHUNK_META)
        if meta is not None:
            meta[2] = _copy(meta[2])
    columns[2] = [columns[2][0], chunks]
    return copy


def _moved(group: Struct, piece: Piece, shift: int, ordinal: int) -> Struct:
    """A copy of ``group`` with every offset moved by ``shift``."""
    moved = _copy_group(group)
    for field in _offset_fields(moved):
        offset = int(field[2])
        if not piece.start <= offset < piece.end:
            raise ParquetFormatError(f"{piece.source}: offset {offset} outside its piece")
        field[2] = offset + shift
    found = _field(moved, _GROUP_ORDINAL)
    if found is not None:
        found[2] = ordinal
    return moved


def _copy_bytes(target: Any, piece: Piece) -> None:
    with piece.source.open("rb") as source:
        source.seek(piece.start)
        remaining = piece.end - piece.start
        while remaining:
            block = source.read(min(remaining, 1 << 22))
            if not block:
                raise ParquetFormatError(f"{piece.source}: ends before byte {piece.end}")
            target.write(block)
            remaining -= len(block)


def _same_schema(template: Struct, other: Struct) -> bool:
    """Footers agree on everything but their rows and row groups."""
    keep = [f for f in template if f[0] not in (_FILE_NUM_ROWS, _FILE_ROW_GROUPS)]
    theirs = [f for f in other if f[0] not in (_FILE_NUM_ROWS, _FILE_ROW_GROUPS)]
    return encode(keep) == encode(theirs)


def concat(
    target: Path, template: Struct, pieces: Sequence[tuple[Piece, Struct]]
) -> list[tuple[int, int, int, int]]:
    """Write ``target``: the pieces' rows in order, under ``template``'s
    schema (a footer of one of them). Each piece comes with the footer of
    the file it is from, which must agree with ``template`` but for its rows.

    Returns, per piece, where it lies in ``target``: (first row group, row
    groups, start byte, end byte), which :meth:`Layout.piece` takes to cut it
    out again.
    """
    groups: list[Struct] = []
    spans: list[tuple[int, int, int, int]] = []
    with target.open("wb") as out:
        out.write(MAGIC)
        position = len(MAGIC)
        for piece, meta in pieces:
            if not _same_schema(template, meta):
                raise ParquetFormatError(f"{piece.source}: another schema than the first piece")
            shift = position - piece.start
            first = len(groups)
            for group in piece.row_groups:
                groups.append(_moved(group, piece, shift, len(groups)))
            _copy_bytes(out, piece)
            spans.append((first, len(groups) - first, position, position + piece.end - piece.start))
            position += piece.end - piece.start
        footer: Struct = []
        for field_id, kind, value in template:
            if field_id == _FILE_NUM_ROWS:
                value = sum(int(_get(g, _GROUP_NUM_ROWS)) for g in groups)
            elif field_id == _FILE_ROW_GROUPS:
                value = [value[0], groups]
            footer.append([field_id, kind, value])
        encoded = encode(footer)
        out.write(encoded + struct.pack("<I", len(encoded)) + MAGIC)
    return spans

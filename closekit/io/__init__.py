"""Readers: CSV (UTF-8, BOM, GB18030/GBK), XLSX and Parquet into :class:`RawTable`.

Every reader returns all-text columns with the row number as a person counts
it, so that the row rules (closekit.validate) are written once.

The package is a light face: ``SUFFIXES`` costs nothing, and the readers
and :class:`RawTable` (pyarrow) are imported when first used (PEP 562), so
that finding and hashing input files (``closekit status``) imports no
reader.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from closekit.io.table import ERROR, ROW, RawTable, column_name

SUFFIXES = (".csv", ".xlsx", ".parquet")

__all__ = ["ERROR", "ROW", "SUFFIXES", "RawTable", "column_name", "read_table"]

# Names from closekit.io.table, imported on first use.
_TABLE = ("ERROR", "ROW", "RawTable", "column_name")


def __getattr__(name: str) -> Any:
    if name in _TABLE:
        return getattr(importlib.import_module("closekit.io.table"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_table(path: Path, relative: str, encoding: str | None = None) -> RawTable:
    """Read one input file; ``relative`` is the workspace-relative path shown to users."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from closekit.io.xlsx_reader import read_xlsx

        return read_xlsx(path, relative)
    if suffix == ".parquet":
        from closekit.io.parquet_reader import read_parquet

        return read_parquet(path, relative)
    from closekit.io.csv_reader import read_csv

    return read_csv(path, relative, encoding)

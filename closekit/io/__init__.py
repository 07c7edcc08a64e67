"""Readers: CSV (UTF-8, BOM, GB18030/GBK), XLSX and Parquet into :class:`RawTable`.

Every reader returns all-text columns with the row number as a person counts
it, so that the row rules (closekit.validate) are written once.
"""

from __future__ import annotations

from pathlib import Path

from closekit.io.csv_reader import read_csv
from closekit.io.parquet_reader import read_parquet
from closekit.io.table import ERROR, ROW, RawTable, column_name
from closekit.io.xlsx_reader import read_xlsx

SUFFIXES = (".csv", ".xlsx", ".parquet")

__all__ = ["ERROR", "ROW", "SUFFIXES", "RawTable", "column_name", "read_table"]


def read_table(path: Path, relative: str, encoding: str | None = None) -> RawTable:
    """Read one input file; ``relative`` is the workspace-relative path shown to users."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path, relative)
    if suffix == ".parquet":
        return read_parquet(path, relative)
    return read_csv(path, relative, encoding)

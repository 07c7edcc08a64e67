"""Typed spreadsheet and Parquet values as the text a CSV would hold.

Dates become ISO ``YYYY-MM-DD`` (a date-time at midnight is a date);
numbers become plain decimals without exponent, so that the same row rules
apply to every format.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))  # Excel keeps 1000 as 1000.0: a code stays "1000"
        # repr is the shortest text that reads back as the same binary
        # number: what the spreadsheet displayed, never 0.30000000000000004.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()

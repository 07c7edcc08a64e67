"""Accounting periods (``YYYY-MM``) and fiscal years."""

from __future__ import annotations

import re
from pathlib import Path

from closekit.errors import PeriodError

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(text: str) -> str:
    """Return the period if ``text`` is a valid ``YYYY-MM``, else refuse."""
    if not _PERIOD.match(text.strip()):
        raise PeriodError(f"invalid period {text!r}: expected YYYY-MM")
    return text.strip()


def _split(period: str) -> tuple[int, int]:
    return int(period[:4]), int(period[5:7])


def add_months(period: str, months: int) -> str:
    year, month = _split(period)
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous(period: str) -> str:
    return add_months(period, -1)


def fiscal_year_start(period: str, start_month: int) -> str:
    """First period of the fiscal year that contains ``period``."""
    year, month = _split(period)
    start_year = year if month >= start_month else year - 1
    return f"{start_year:04d}-{start_month:02d}"


def fiscal_months(period: str, start_month: int) -> list[str]:
    """The months of ``period``'s fiscal year up to and including it."""
    months = [fiscal_year_start(period, start_month)]
    while months[-1] != period:
        months.append(add_months(months[-1], 1))
    return months


def period_folders(ledgers_dir: Path) -> list[str]:
    """Every ``ledgers/YYYY-MM`` folder, in period order."""
    if not ledgers_dir.is_dir():
        return []
    return sorted(p.name for p in ledgers_dir.iterdir() if p.is_dir() and _PERIOD.match(p.name))


def parse_range(text: str) -> tuple[str, str]:
    """``YYYY-MM`` or ``YYYY-MM..YYYY-MM`` -> (first, last)."""
    first, dots, last = text.strip().partition("..")
    first = parse_period(first)
    last = parse_period(last) if dots else first
    if last < first:
        raise PeriodError(f"invalid range {text.strip()!r}: {last} is before {first}")
    return first, last

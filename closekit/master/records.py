"""Master records and the small value rules every master file shares (SPEC
sections 1 and 3): decimals, currencies, unique codes, trees, enumerations.

Master data is small (thousands of rows), so it is validated in Python where
each rule reads like the SPEC sentence it enforces; every problem is
collected in :class:`MasterRows` and reported together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from closekit.errors import Problem

RATE_PLACES = 10


@dataclass(frozen=True)
class Row:
    """One master record: where it came from and its trimmed values by column."""

    path: str
    row: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.path, self.row, column, message)


@dataclass
class MasterRows:
    """Master records by file name, and what is wrong with them so far."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---- small value rules -----------------------------------------------------


def decimal_value(text: str) -> Decimal | None:
    """A plain decimal (SPEC section 1): no thousands separators, no exponent."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or body.count(".") > 1 or not body.replace(".", "").isdigit() or body == ".":
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def currency_code(text: str) -> str | None:
    code = text.strip().upper()
    return code if len(code) == 3 and code.isascii() and code.isalpha() else None


def unique_codes(rows: list[Row], column: str, problems: list[Problem]) -> dict[str, Row]:
    """Codes must be present and unique; returns the first row of each code."""
    seen: dict[str, Row] = {}
    for row in rows:
        code = row.get(column)
        if not code:
            problems.append(row.problem(column, "is required"))
        elif code in seen:
            problems.append(
                row.problem(column, f'"{code}" appears twice (first on row {seen[code].row})')
            )
        else:
            seen[code] = row
    return seen


def check_tree(nodes: dict[str, Row], column: str, label: str, problems: list[Problem]) -> None:
    """Parents must exist and the parent relation must not loop."""
    for row in nodes.values():
        parent = row.get(column)
        if parent and parent not in nodes:
            problems.append(row.problem(column, f'unknown {label} "{parent}"'))
    reported: set[str] = set()
    for start in nodes:
        path: list[str] = []
        code = start
        while code and code in nodes and code not in path:
            path.append(code)
            code = nodes[code].get(column)
        if code and code in path and code not in reported:
            loop = path[path.index(code) :]
            reported.update(loop)
            row = nodes[code]
            problems.append(
                row.problem(column, f"{label} parents form a cycle: {' -> '.join([*loop, code])}")
            )


def check_enum(
    row: Row,
    column: str,
    allowed: tuple[str, ...],
    problems: list[Problem],
    default: str | None = None,
) -> str:
    value = row.get(column).lower()
    if not value and default is not None:
        return default
    if value not in allowed:
        choices = " | ".join(a for a in allowed if a)
        problems.append(row.problem(column, f'"{row.get(column)}" is not one of {choices}'))
    return value

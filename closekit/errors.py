"""Problems with input are values; refusals are exceptions.

A :class:`Problem` is one thing wrong with one place of one input file. Stages
collect them and return them; only :func:`format_problem` turns one into text,
as ``path:row column: message`` so that editors can jump to it.

A :class:`ClosekitError` means closekit refused or could not start the work
(SPEC section 11, exit code 2): a bad ``closekit.toml``, invalid master data,
an unknown period, a locked or stale period, a busy workspace.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    """One problem in one input file.

    path: file path relative to the workspace, with forward slashes.
    row: row number as a person counts it in the file (header = 1), or None
        when the problem concerns the whole file and no row.
    column: the column concerned ('' when none).
    message: what is wrong, in words a finance user understands.
    """

    path: str
    row: int | None
    column: str
    message: str


def format_problem(problem: Problem) -> str:
    """``path:row column: message``, the one textual form of a problem."""
    where = problem.path if problem.row is None else f"{problem.path}:{problem.row}"
    if problem.column:
        where = f"{where} {problem.column}"
    return f"{where}: {problem.message}"


class ClosekitError(Exception):
    """closekit refused the work or could not start it (exit code 2)."""

    def lines(self) -> list[str]:
        return [str(self)]


class SettingsError(ClosekitError):
    """closekit.toml is missing or invalid."""


class WorkspaceBusy(ClosekitError):
    """Another closekit process holds the workspace database."""


class PeriodError(ClosekitError):
    """Unknown, locked, stale or not yet processed period."""


class AmountTooLarge(ClosekitError):
    """A total outgrew the DECIMAL(18, 2) that closekit keeps amounts in."""


class UnknownCode(ClosekitError):
    """A code given on the command line does not exist in master data."""


class InvalidInput(ClosekitError):
    """Master data (or another whole input) is invalid; carries every problem."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input")

    def lines(self) -> list[str]:
        return [format_problem(p) for p in self.problems]

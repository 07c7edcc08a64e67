"""What a load returns: one ``FileReport`` per period file and the period's
``LoadReport`` (SPEC sections 5 and 11)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from closekit.errors import Problem, format_problem


@dataclass(frozen=True)
class FileReport:
    """One period file as loaded.

    file: workspace-relative path; module: sales, purchasing, ...;
    read = accepted + rejected (blank lines are not rows);
    errors: every problem, file-level ones first, then by row.
    """

    file: str
    module: str
    sha256: str
    read: int
    accepted: int
    rejected: int
    errors: tuple[Problem, ...]

    @property
    def clean(self) -> bool:
        return self.rejected == 0 and not self.errors

    def as_json(self) -> dict[str, Any]:
        """SPEC section 11: the JSON of one file in ``closekit load``."""
        return {
            "file": self.file,
            "module": self.module,
            "sha256": self.sha256,
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "errors": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.errors
            ],
        }


@dataclass(frozen=True)
class LoadReport:
    """The result of one load: every file of the period, and warnings.

    changed: False when nothing changed since the last load (no-op).
    """

    period: str
    files: tuple[FileReport, ...]
    warnings: tuple[str, ...] = ()
    changed: bool = True

    @property
    def clean(self) -> bool:
        return all(f.clean for f in self.files)

    def error_lines(self) -> list[str]:
        return [format_problem(p) for f in self.files for p in f.errors]

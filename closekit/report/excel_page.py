"""What every sheet of one workbook says at its top: DRAFT when a check
failed, the workbook's title with the sheet's name, and the subtitle."""

from __future__ import annotations

from dataclasses import dataclass

from closekit.report import labels
from closekit.report.excel_format import Sheet


@dataclass(frozen=True)
class Page:
    """title: the workbook's (the group's or a node's name); subtitle:
    period, currency and node; language: of the labels; draft: a check of
    the close failed."""

    title: str
    subtitle: str
    language: str
    draft: bool

    def t(self, key: str) -> str:
        return labels.text(self.language, key)

    def banner(self, sheet: Sheet, what: str, note: str = "") -> None:
        """The sheet's first rows: ``what`` is the labels.py key of its name,
        ``note`` what its amounts mean (added to the subtitle)."""
        subtitle = f"{self.subtitle} · {note}" if note else self.subtitle
        sheet.banner(self.draft, self.language, f"{self.title} — {self.t(what)}", subtitle)

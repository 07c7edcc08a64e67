"""The temporary files and folders a report writes beside ``out/PERIOD``.

A report builds the new pack beside the old one and swaps it in at the end
(:mod:`closekit.report`), so a kill at any moment leaves the previous pack
whole. What a killed run leaves behind is named for what it is, with the
period first and ``tmp-`` after it, so that ``ls -a out`` explains itself:

- ``out/.PERIOD.tmp-new-pack/``       the pack being written;
- ``out/.PERIOD.tmp-journal-parts/``  each entity's lines of ``journal.parquet``
  before they are joined into one file;
- ``out/.PERIOD.tmp-old-pack/``       the previous pack while the new one moves in;
- ``out/.PERIOD.tmp-reuse.json``      the reuse record before it replaces the old one.

:func:`clean_leftovers` removes every such leftover, of every period, at the
start of each report. No other run can be writing them then: a report holds
the workspace database open for writing, which DuckDB grants one process at
a time, and a process writes one report at a time. Leftovers of the names
closekit used before (``.PERIOD.partial``, ``..PERIOD.partial.*``,
``.PERIOD.old``, ``.PERIOD.reuse.json.partial``) go too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

NEW_PACK = "new-pack"
JOURNAL_PARTS = "journal-parts"
OLD_PACK = "old-pack"
REUSE_RECORD = "reuse.json"

_PERIOD = r"\d{4}-\d{2}"
_LEFTOVER = re.compile(
    rf"\.{_PERIOD}\.tmp-.+"
    # the names closekit gave them before
    rf"|\.{_PERIOD}\.partial|\.\.{_PERIOD}\.partial\..+|\.{_PERIOD}\.old"
    rf"|\.{_PERIOD}\.reuse\.json\.partial"
)


def path(out_root: Path, period: str, what: str) -> Path:
    """The temporary ``what`` of ``period``'s report: ``out/.PERIOD.tmp-WHAT``."""
    return out_root / f".{period}.tmp-{what}"


def fresh_folder(out_root: Path, period: str, what: str) -> Path:
    """An empty temporary folder (a leftover of the same name is removed)."""
    folder = path(out_root, period, what)
    remove(folder)
    folder.mkdir(parents=True)
    return folder


def remove(target: Path) -> None:
    """Remove a temporary file or folder, if it is there."""
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()


def leftovers(out_root: Path) -> list[Path]:
    """The temporary files and folders of killed runs in ``out_root``, sorted."""
    if not out_root.is_dir():
        return []
    return sorted(p for p in out_root.iterdir() if _LEFTOVER.fullmatch(p.name))


def clean_leftovers(out_root: Path) -> list[Path]:
    """Remove what killed runs left in ``out_root``; returns what was removed."""
    found = leftovers(out_root)
    for target in found:
        remove(target)
    return found

"""Loading a period (SPEC sections 4 and 5): the period folder is the truth.

``load_period`` reads master data and every file of ``ledgers/PERIOD``,
validates every row (closekit.validate), and in ONE transaction replaces the
master tables, the period's accepted rows (``source_row``), its rejects and
the current versions in the load history (``load_file``). A SIGKILL at any
moment therefore leaves the old rows or the new ones, never a mixture.

Nothing is lost: for every file, rows read = rows accepted + rows rejected.

When nothing changed since the period's last load (same files with the same
SHA-256, same master files, same closekit.toml) no file is re-read and the
database is left untouched. When only period files changed (new, different
or gone), only they are read again, with the rows of the entities they hold
from the unchanged files (closekit.load.scope): the outcome is that of a full
load. When master data, closekit.toml or the first period changed, every file
is validated again (a master data fix must be able to accept rows it rejected
before). The history gains a version only for a file whose hash or counts
changed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The names below are imported from their modules when first used (PEP 562):
# ``closekit status`` reads the load progress without importing the file
# readers (pyarrow) that loading needs.
_HOMES = {
    "EntityProgress": "closekit.load.progress",
    "FileReport": "closekit.load.records",
    "LoadReport": "closekit.load.records",
    "PeriodFile": "closekit.load.folder",
    "PeriodProgress": "closekit.load.progress",
    "changed_master_files": "closekit.load.locks",
    "close_progress": "closekit.load.progress",
    "load_period": "closekit.load.period",
    "load_periods": "closekit.load.period",
    "lock_period": "closekit.load.locks",
    "period_files": "closekit.load.folder",
    "reopen_period": "closekit.load.locks",
}

if TYPE_CHECKING:
    from closekit.load.folder import PeriodFile, period_files
    from closekit.load.locks import changed_master_files, lock_period, reopen_period
    from closekit.load.period import load_period, load_periods
    from closekit.load.progress import EntityProgress, PeriodProgress, close_progress
    from closekit.load.records import FileReport, LoadReport

__all__ = [
    "EntityProgress",
    "FileReport",
    "LoadReport",
    "PeriodFile",
    "PeriodProgress",
    "changed_master_files",
    "close_progress",
    "load_period",
    "load_periods",
    "lock_period",
    "period_files",
    "reopen_period",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

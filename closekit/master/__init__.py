"""Master data (SPEC section 3): the master files read, validated and stored
(:mod:`.tables`), their rules (:mod:`.rules`), the group tree (:mod:`.tree`),
the dated ownership (:mod:`.ownership`) and the statement layout
(:mod:`.layout`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from closekit.master.tables import (
        FILES,
        OPTIONAL_FILES,
        MasterFile,
        MasterSummary,
        insert_rows,
        load_master,
        master_hashes,
        master_paths,
        read_master,
        read_rows,
        sha256_file,
        sha256_files,
        write_master,
    )

# Imported from closekit.master.tables when first used (PEP 562): a reading
# command that needs only the tree (the group's tb) does not import the
# readers, the rules and the thread pool that loading master data needs.
__all__ = [
    "FILES",
    "OPTIONAL_FILES",
    "MasterFile",
    "MasterSummary",
    "insert_rows",
    "load_master",
    "master_hashes",
    "master_paths",
    "read_master",
    "read_rows",
    "sha256_file",
    "sha256_files",
    "write_master",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("closekit.master.tables"), name)

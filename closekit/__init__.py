"""closekit: financial consolidation and period-close reporting.

Layers point one way:

    workspace, db, errors, periods      (settings, schema, plain records)
      -> io, master, load               (files to staging tables, rejects)
      -> post, revalue, ledger          (journal, trial balances)
      -> translate, consolidate         (group currency, nodes, NCI)
      -> manage                         (management view, allocations)
      -> checks                         (SPEC section 9)
      -> report                         (Excel, HTML, manifest)
      -> pipeline, queries, close_status (steps and ranges, what commands answer)
      -> api, cli                       (Python API, command line)

From Python (polars DataFrames, exact decimals; see closekit.api):

    import closekit
    ws = closekit.open("mygroup")
    ws.tb("2026-11", node="CN00")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from closekit.api import Workspace

__version__ = "0.1.0"


def open(path: str | Path | None = None) -> Workspace:
    """The closekit workspace at ``path`` (else ``CLOSEKIT_WORKSPACE``, else the
    nearest folder holding closekit.toml from the current one up)."""
    from closekit.api import open_workspace

    return open_workspace(path)


def __getattr__(name: str) -> Any:
    # closekit.Workspace without importing polars and DuckDB for the CLI.
    if name == "Workspace":
        from closekit.api import Workspace

        return Workspace
    raise AttributeError(f"module 'closekit' has no attribute {name!r}")

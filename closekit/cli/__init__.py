"""The command line: thin commands over the library (see cli/base.py).

Each ``*_commands`` module registers its commands on :data:`main`.
"""

from closekit.cli import (  # noqa: F401  (imported for their commands)
    close_commands,
    consolidation_commands,
    ic_commands,
    ledger_commands,
    load_commands,
    management_commands,
    report_commands,
    statements_commands,
    structure_commands,
    workspace_commands,
)
from closekit.cli.base import main

__all__ = ["main"]

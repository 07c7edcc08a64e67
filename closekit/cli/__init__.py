"""The command line: thin commands over the library (see cli/base.py).

Each ``*_commands`` module registers its commands on :data:`main` when it is
imported, which the group does on a command's first use (``cli.base.COMMANDS``).
"""

from closekit.cli.base import main

__all__ = ["main"]

"""Commands of the close area (registered on closekit.cli.base.main)."""

from __future__ import annotations

from closekit.cli.base import main

__all__ = ["main"]

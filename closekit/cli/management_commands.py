"""Commands of the management area (registered on closekit.cli.base.main)."""

from __future__ import annotations

from closekit.cli.base import main

__all__ = ["main"]

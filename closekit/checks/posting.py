"""Checks of the posting stage (SPEC section 9)."""

from __future__ import annotations

from closekit.checks.base import Check

CHECKS: list[Check] = []

"""The SPEC section 9 checks: a list of small named functions.

Each check takes a :class:`CheckContext` and returns one
:class:`CheckResult`; each area keeps its checks in its own module and lists
them in ``CHECKS``. :func:`run_checks` runs them all in SPEC order and records
the results with the period.
"""

from __future__ import annotations

from closekit.checks.base import Check, CheckContext, CheckResult, Finding, record, run_checks

__all__ = ["Check", "CheckContext", "CheckResult", "Finding", "record", "run_checks"]

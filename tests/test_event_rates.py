"""The closing rate of P-1 an event needs is part of the fx_rates check, and
its absence refuses the consolidation naming the event (SPEC 14, 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from closekit.checks.base import CheckContext
from closekit.checks.consolidation import fx_rates
from closekit.consolidation.event_rates import MissingEventRate
from tests.test_consolidate_helpers import Group


def quarterly(tmp_path: Path) -> Group:
    """Folders 2026-01 and 2026-03 only; P (CNY) buys 80% of S (USD) from
    2026-03, so the acquisition is measured at the USD closing rate of
    2026-02, which fx_rates.csv does not give (January's and March's do)."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P", pct="80")
    g.ownership("S", "2026-01", "", "0", "none").ownership("S", "2026-03", "P", "80")
    g.rate("2026-01", "USD", "7.0", "6.9").rate("2026-03", "USD", "7.2", "7.1")
    g.line("2026-01", "P", "1000", "20000").line("2026-01", "P", "3000", "-20000")
    g.line("2026-01", "S", "1000", "1000", module="opening")
    g.line("2026-01", "S", "3000", "-1000", amount_group="-7000", module="opening")
    g.line("2026-03", "P", "1500", "6000", partner="S").line("2026-03", "P", "1000", "-6000")
    return g.post("2026-01", "2026-03")


def test_a_missing_event_rate_refuses_the_consolidation_naming_the_event(
    tmp_path: Path,
) -> None:
    g = quarterly(tmp_path)
    g.consolidate("2026-01")
    with pytest.raises(MissingEventRate) as refused:
        g.consolidate("2026-03")
    assert refused.value.lines() == [
        "master/ownership.csv:2 from: the acquisition of S in 2026-03 needs the USD closing "
        "rate of 2026-02, which master/fx_rates.csv does not give"
    ]
    result = fx_rates(CheckContext(g.settings, g.con, "2026-03"))
    assert (result.status, result.detail) == (
        "fail",
        "missing rates: USD 2026-02 closing (the acquisition of S, master/ownership.csv:2)",
    )
    g.rate("2026-02", "USD", "7.1", "7.05")
    assert fx_rates(CheckContext(g.settings, g.con, "2026-03")).status == "pass"
    g.consolidate("2026-03")

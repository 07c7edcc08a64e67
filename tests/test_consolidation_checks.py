"""The consolidation checks (SPEC section 9), each made to pass and to fail."""

from __future__ import annotations

from pathlib import Path

from test_consolidate_helpers import Group, d

from closekit.checks.base import CheckContext, Finding
from closekit.checks.consolidation import consolidated_bs, fx_rates, ic_matched, translated_tb


def _group(tmp_path: Path, payable: str = "-1000", tolerance: str = "10.00") -> Group:
    """P (CNY) is owed 1,000 by S (USD, closing 7.0): S books ``payable`` CNY
    worth of USD as its IC payable (amounts here in USD / 7)."""
    g = Group(tmp_path, tolerance=tolerance).entity("P").entity("S", "USD", parent="P")
    g.rate("2026-01", "USD", "7.0", "6.9")
    g.line("2026-01", "P", "1200", "1000", partner="S").line("2026-01", "P", "1000", "-1000")
    g.line("2026-01", "S", "2200", payable, partner="P").line(
        "2026-01", "S", "1000", str(-d(payable))
    )
    return g.post("2026-01")


def _ctx(g: Group) -> CheckContext:
    return CheckContext(g.settings, g.con, "2026-01")


def test_ic_difference_above_tolerance_fails(tmp_path: Path) -> None:
    # -141 USD x 7.0 = -987.00 against 1,000.00: difference 13.00 > 10.00
    g = _group(tmp_path, payable="-141")
    g.consolidate("2026-01")
    result = ic_matched(_ctx(g))
    assert result.status == "fail"
    assert result.detail == (
        "1 pair(s) beyond tolerance 10.00: P/S on 1990: difference 13.00 (P 1000.00, S -987.00)"
    )
    # the pair is about both sides: a node holding either shows it
    assert result.findings == (
        Finding("P/S on 1990: difference 13.00 (P 1000.00, S -987.00)", ("P", "S")),
    )


def test_ic_difference_within_tolerance_passes(tmp_path: Path) -> None:
    # -142.5 USD x 7.0 = -997.50 against 1,000.00: difference 2.50 <= 10.00
    g = _group(tmp_path, payable="-142.5")
    g.consolidate("2026-01")
    assert ic_matched(_ctx(g)).status == "pass"


def test_one_sided_balance_fails(tmp_path: Path) -> None:
    g = _group(tmp_path, payable="0")
    g.consolidate("2026-01")
    result = ic_matched(_ctx(g))
    assert result.status == "fail"
    assert "P/S on 1990: difference 1000.00 (P 1000.00, S 0.00)" in result.detail


def test_fx_rates_names_currency_and_period(tmp_path: Path) -> None:
    g = _group(tmp_path)
    assert fx_rates(_ctx(g)).status == "pass"
    g.entity("E", "EUR", parent="P")
    g.rate("2026-01", "JPY", "0.05", None)
    g.con.execute(
        "INSERT INTO source_row (period, module, path, sha256, row_no, doc_id, line, date, "
        "entity, currency) VALUES ('2026-01', 'sales', 'x.csv', '', 2, 'D', '1', "
        "'2026-01-05', 'P', 'JPY')"
    )
    result = fx_rates(_ctx(g))
    assert result.status == "fail"
    assert result.detail == "missing rates: EUR 2026-01 closing and average; JPY 2026-01 average"
    # EUR is E's functional currency; JPY the currency of a document of P's
    assert result.findings == (
        Finding("EUR 2026-01 closing and average", ("E",)),
        Finding("JPY 2026-01 average", ("P",)),
    )


def test_translated_tb_fails_without_its_cta(tmp_path: Path) -> None:
    g = _group(tmp_path)
    g.consolidate("2026-01")
    assert translated_tb(_ctx(g)).status == "pass"
    g.con.execute(
        "UPDATE translated_balance SET amount_group = amount_group + 0.01 WHERE rate_kind = 'cta'"
    )
    result = translated_tb(_ctx(g))
    assert (result.status, result.detail) == ("fail", "translated TB out of balance: S 0.01")
    assert result.findings == (Finding("S 0.01", ("S",)),)


def test_consolidated_bs_fails_on_an_unbalanced_node(tmp_path: Path) -> None:
    g = _group(tmp_path)
    g.consolidate("2026-01")
    assert consolidated_bs(_ctx(g)).status == "pass"
    g.con.execute("DELETE FROM consolidation_entry WHERE account = '1200'")
    result = consolidated_bs(_ctx(g))
    assert (result.status, result.detail) == ("fail", "node TB out of balance: P 1000.00")
    assert result.findings == (Finding("P 1000.00", ("P",)),)


def test_checks_fail_before_consolidation(tmp_path: Path) -> None:
    g = _group(tmp_path)
    for check in (translated_tb, ic_matched, consolidated_bs):
        assert check(_ctx(g)).detail == "2026-01 is not consolidated"
        assert check(_ctx(g)).findings == (Finding("2026-01 is not consolidated"),)  # the group's

"""Changes of holding in an associate, derived by hand (SPEC 16.2, 15.1;
IAS 28.22-28.25, 28.32; IFRS 3.42). Every docstring is the derivation.

The common history (``held_40_percent``): P (CNY; capital 20,000, cash
16,000) holds 40% of A (USD) from the first period at a cost of 4,000 (1500
with partner A). A: capital 1,000 USD (7,000 CNY historical), cash 1,000
USD; earns 100 USD in January (average 7.1), 200 in February (7.4), 50 in
March (7.55); closing 7.2, 7.5, 7.6.

January: A's cash 1,100 x 7.2 = 7,920; result 710; CTA -210 (credit); NA*
(net assets without share capital) = 920. P's pickup 40% x 920 = 368.00:
share of profit 284.00, share of OCI -84.00.
February: A's cash 1,300 x 7.5 = 9,750; result 710 + 1,480 = 2,190; CTA
-(9,750 - 7,000 - 2,190) = -560; NA* 2,750. Pickup 1,100.00, share of
profit 876.00, OCI -224.00. K1 (carrying amount) = 4,000 + 1,100 =
5,100.00; X1 (share of OCI in CTA) = -224.00.
March: A's cash 1,350 x 7.6 = 10,260; result 2,190 + 377.50 = 2,567.50;
CTA -692.50; NA* 3,260, up 510 on February; March's result 377.50 and
CTA movement -132.50.

Accounts: 1500 investment, 3300 CTA, 4700 share of profit of associates,
4800 group disposal gain, 4810 P's own gain (role disposal_gain).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from closekit import status
from closekit.checks.base import CheckContext
from closekit.checks.statements import CHECKS as STATEMENT_CHECKS
from closekit.checks.structure import structure
from closekit.errors import PeriodError
from tests.test_acquisition import node_tb
from tests.test_consolidate_helpers import Group, d

PERIODS = ("2026-01", "2026-02", "2026-03")


def held_40_percent(tmp_path: Path) -> Group:
    g = Group(tmp_path).entity("P").entity("A", "USD", parent="P", pct="40", method="equity")
    g.account("4700", "revenue", "average").account("4800", "revenue", "average")
    g.account("4810", "revenue", "average", "", "disposal_gain")
    g.accounts(associate_result="4700", disposal_gain="4800")
    for period, closing, average in zip(
        PERIODS, ("7.2", "7.5", "7.6"), ("7.1", "7.4", "7.55"), strict=True
    ):
        g.rate(period, "USD", closing, average)
    g.line("2026-01", "P", "1500", "4000", partner="A").line("2026-01", "P", "1000", "16000")
    g.line("2026-01", "P", "3000", "-20000")
    g.line("2026-01", "A", "1000", "1000", module="opening")
    g.line("2026-01", "A", "3000", "-1000", amount_group="-7000", module="opening")
    for period, earned in zip(PERIODS, ("100", "200", "50"), strict=True):
        g.line(period, "A", "1000", earned).line(period, "A", "4000", f"-{earned}")
    return g


def consolidated(g: Group) -> Group:
    g.post(*PERIODS)
    for period in PERIODS:
        g.consolidate(period)
    return g


def event(g: Group) -> list[tuple[object, ...]]:
    return g.con.execute(
        "SELECT kind, net_assets, consideration, gain, cta_reclassified "
        "FROM consolidation_event WHERE period = '2026-03'"
    ).fetchall()


def check(g: Group) -> tuple[str, str]:
    result = structure(CheckContext(g.settings, g.con, "2026-03"))
    return result.status, result.detail


def test_partial_sale_keeping_significant_influence(tmp_path: Path) -> None:
    """At the start of March P sells a quarter of its stake (40% -> 30%) for
    1,500 CNY: Dr cash 1,500, Cr investment 1,000 (a quarter of the cost),
    Cr own gain 500.

    IAS 28.25: a disposal of f = 10/40 = 0.25 of the associate. Carrying
    amount sold round(0.25 x 5,100) = 1,275.00; OCI reclassified round(0.25
    x -224) = -56.00. Gain = proceeds 1,500 (own gain 500 + investment
    decrease 1,000) - 1,275 + 56 = 281.00 (P's own 500 reversed).
    March at 30%: pickup 30% x 510 = 153.00, share of profit 30% x 377.50 =
    113.25, OCI 30% x -132.50 = -39.75.
    Group: investment 3,000 + 1,100 - 275 + 153 = 3,978.00 (= 75% of 5,100
    + 153); share of profit 876 + 113.25 = 989.25 (January-February's at
    40% stay); CTA -224 + 56 - 39.75 = -207.75; cash 16,000 + 1,500 =
    17,500."""
    g = held_40_percent(tmp_path).ownership("A", "2026-03", "P", "30", "equity")
    g.line("2026-03", "P", "1000", "1500").line("2026-03", "P", "1500", "-1000", partner="A")
    g.line("2026-03", "P", "4810", "-500", partner="A")
    consolidated(g)
    assert event(g) == [("equity_change", d("5100.00"), d("1500.00"), d("281.00"), d("-56.00"))]
    assert node_tb(g, "2026-03") == {
        "1000": d("17500.00"),
        "1500": d("3978.00"),
        "3000": d("-20000.00"),
        "3300": d("-207.75"),
        "4700": d("-989.25"),
        "4800": d("-281.00"),
    }
    assert check(g) == ("pass", "equity_change of A measured")


def test_partial_sale_a_year_later(tmp_path: Path) -> None:
    """The partial sale above, in January 2027 (A earns nothing; closing
    and average 7.6). The 2026 result moves to retained earnings: P's own
    gain 500 is in P's books, and the fixed lines of the sale (share of
    profit 876, own gain reversed 500, group gain 281) and this year's
    pickup since February at 30% (153 - 39.75 of OCI = 113.25, March's
    share of profit) land there: -500 - 876 + 500 - 281 - 113.25 =
    -1,270.25, the group's 2026 profit (989.25 + 281). Investment 3,978.00
    and CTA -207.75 as in March."""
    g = held_40_percent(tmp_path).ownership("A", "2026-03", "P", "30", "equity")
    g.line("2026-03", "P", "1000", "1500").line("2026-03", "P", "1500", "-1000", partner="A")
    g.line("2026-03", "P", "4810", "-500", partner="A")
    g.rate("2027-01", "USD", "7.6", "7.6")
    consolidated(g).post("2027-01").consolidate("2027-01")
    assert node_tb(g, "2027-01") == {
        "1000": d("17500.00"),
        "1500": d("3978.00"),
        "3000": d("-20000.00"),
        "3200": d("-1270.25"),
        "3300": d("-207.75"),
    }


def test_a_stake_bought_is_added_at_cost(tmp_path: Path) -> None:
    """At the start of March P buys another 10% (40% -> 50%) for 1,400 CNY
    (IAS 28.32: at its cost; no gain, nothing recycled). Carrying amount
    5,100 + 1,400 + 50% x 510 = 6,755.00; share of profit 876 + 50% x
    377.50 = 1,064.75; CTA -224 + 50% x -132.50 = -290.25; cash 14,600."""
    g = held_40_percent(tmp_path).ownership("A", "2026-03", "P", "50", "equity")
    g.line("2026-03", "P", "1500", "1400", partner="A").line("2026-03", "P", "1000", "-1400")
    consolidated(g)
    assert event(g) == [("equity_change", d("5100.00"), d("1400.00"), None, d("0.00"))]
    assert node_tb(g, "2026-03") == {
        "1000": d("14600.00"),
        "1500": d("6755.00"),
        "3000": d("-20000.00"),
        "3300": d("-290.25"),
        "4700": d("-1064.75"),
    }


def test_end_of_equity_accounting_keeps_a_stake_at_fair_value(tmp_path: Path) -> None:
    """At the start of March P sells 30% for 4,500 CNY (Dr cash 4,500, Cr
    investment 3,000, Cr own gain 1,500) and keeps 10% without significant
    influence (method none), fair value 200 USD x 7.5 = 1,500.00.

    IAS 28.22: gain = 4,500 + 1,500 - 5,100 + 224 (all the OCI recycled) =
    1,124.00. The kept stake is carried at 1,500 (P's 1,000 of cost + 500);
    A's share of profit for January-February, 876, stays in the year.
    Group: cash 20,500; investment 1,500; share of profit 876; gain 1,124;
    CTA 0."""
    g = held_40_percent(tmp_path).ownership("A", "2026-03", "P", "10", "none", fair_value="200")
    g.line("2026-03", "P", "1000", "4500").line("2026-03", "P", "1500", "-3000", partner="A")
    g.line("2026-03", "P", "4810", "-1500", partner="A")
    consolidated(g)
    assert event(g) == [("equity_end", d("5100.00"), d("6000.00"), d("1124.00"), d("-224.00"))]
    assert node_tb(g, "2026-03") == {
        "1000": d("20500.00"),
        "1500": d("1500.00"),
        "3000": d("-20000.00"),
        "4700": d("-876.00"),
        "4800": d("-1124.00"),
    }
    assert check(g) == ("pass", "equity_end of A measured")


def test_an_associate_that_becomes_a_subsidiary(tmp_path: Path) -> None:
    """At the start of March P buys the other 60% of A for 7,000 CNY (40% ->
    100%, full). The 40% held is remeasured at its fair value, 700 USD x 7.5
    = 5,250.00 (IFRS 3.42): gain = 5,250 - 5,100 + 224 (its OCI recycled) =
    374.00 (textbooks that remeasure against cost, 5,250 - 4,000 = 1,250,
    double count the 876 of profit already taken in; the standard measures
    against the carrying amount).

    Acquisition: NA0 = 9,750.00 (1,300 USD); C = 7,000 + 5,250 = 12,250;
    C_fc = round(12,250 / 7.5) = 1,633.33; GW_fc = 333.33 USD, 2,499.98 at
    7.5 and 2,533.31 at 7.6 (CTA 33.33, less the 0.02 of rounding).
    Group in March: cash 16,000 - 7,000 + 10,260 = 19,260; goodwill
    2,533.31; A's March result 377.50 (January-February are
    pre-acquisition); share of profit of A as an associate 876.00; gain
    374.00; CTA A's March -132.50 - 33.31 = -165.81."""
    g = held_40_percent(tmp_path).ownership("A", "2026-03", "P", "100", fair_value="700")
    g.line("2026-03", "P", "1500", "7000", partner="A").line("2026-03", "P", "1000", "-7000")
    consolidated(g)
    measured = g.con.execute(
        "SELECT kind, consideration, goodwill_fc, remeasurement_gain, carried "
        "FROM consolidation_event WHERE period = '2026-03'"
    ).fetchall()
    assert measured == [("acquisition", d("12250.00"), d("333.33"), d("374.00"), d("876.00"))]
    assert node_tb(g, "2026-03") == {
        "1000": d("19260.00"),
        "1700": d("2533.31"),
        "3000": d("-20000.00"),
        "3300": d("-165.81"),
        "4000": d("-377.50"),
        "4700": d("-876.00"),
        "4800": d("-374.00"),
    }


def test_re_consolidating_a_period_marks_later_consolidations_stale(tmp_path: Path) -> None:
    """SPEC 20. January's closing rate is corrected from 7.2 to 7.3 after
    February was consolidated: re-consolidating January changes its entries
    (A's CTA and P's share of it), so February must be consolidated again
    (its posting stands); re-consolidating January once more changes
    nothing and marks nothing."""
    g = held_40_percent(tmp_path)
    g.post(*PERIODS)
    g.consolidate("2026-01")
    g.consolidate("2026-02")
    g.consolidate("2026-01")  # the same entries: February stays valid
    status.require_step(g.con, "2026-02", "consolidated")
    g.con.execute("UPDATE fx_rate SET closing = 7.3 WHERE period = '2026-01'")
    g.consolidate("2026-01")
    with pytest.raises(PeriodError) as stale:
        status.require_step(g.con, "2026-02", "consolidated")
    assert str(stale.value) == (
        "period 2026-02 is stale (2026-01 was re-consolidated with different entries); "
        "consolidate it again"
    )
    # March was never consolidated: nothing to mark
    assert g.con.execute(
        "SELECT period FROM period_status WHERE stale_reason IS NOT NULL"
    ).fetchall() == [("2026-02",)]
    status.require_step(g.con, "2026-02", "posted")  # its posting stands
    g.consolidate("2026-02")
    status.require_step(g.con, "2026-02", "consolidated")


def transferred(tmp_path: Path, first: str, then: str) -> Group:
    """P (CNY; capital 20,000) holds all of H (capital 6,100, paid by P in
    January), H all of T (capital 100: H is a node). ``first`` holds 40% of
    A (USD, the common history) at a cost of 4,000 from the first period
    and at the start of March sells it to ``then``, at the same 40%, for
    6,000 CNY: Dr cash 6,000, Cr investment 4,000, Cr own gain 2,000 (4810);
    ``then`` Dr investment 6,000 with partner A, Cr cash 6,000."""
    g = Group(tmp_path).entity("P").entity("H", parent="P").entity("T", parent="H")
    g.entity("A", "USD", parent=first, pct="40", method="equity")
    g.account("4700", "revenue", "average").account("4800", "revenue", "average")
    g.account("4810", "revenue", "average", "", "disposal_gain")
    g.accounts(associate_result="4700", disposal_gain="4800")
    g.ownership("A", "2026-03", then, "40", "equity")
    for period, closing, average in zip(
        PERIODS, ("7.2", "7.5", "7.6"), ("7.1", "7.4", "7.55"), strict=True
    ):
        g.rate(period, "USD", closing, average)
    g.line("2026-01", "P", "1000", "20000").line("2026-01", "P", "3000", "-20000")
    g.line("2026-01", "P", "1500", "6100", partner="H").line("2026-01", "P", "1000", "-6100")
    g.line("2026-01", "H", "1000", "6100").line("2026-01", "H", "3000", "-6100")
    g.line("2026-01", "H", "1500", "100", partner="T").line("2026-01", "H", "1000", "-100")
    g.line("2026-01", "T", "1000", "100").line("2026-01", "T", "3000", "-100")
    g.line("2026-01", first, "1500", "4000", partner="A").line("2026-01", first, "1000", "-4000")
    g.line("2026-01", "A", "1000", "1000", module="opening")
    g.line("2026-01", "A", "3000", "-1000", amount_group="-7000", module="opening")
    for period, earned in zip(PERIODS, ("100", "200", "50"), strict=True):
        g.line(period, "A", "1000", earned).line(period, "A", "4000", f"-{earned}")
    g.line("2026-03", first, "1000", "6000").line("2026-03", first, "1500", "-4000", partner="A")
    g.line("2026-03", first, "4810", "-2000", partner="A")
    g.line("2026-03", then, "1500", "6000", partner="A").line("2026-03", then, "1000", "-6000")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    return consolidated(g)


# At P, holding both, nothing is sold or bought (IFRS 10.B86(c)): the equity
# method goes on and the seller's gain of 2,000 is eliminated from the
# buyer's cost. March's pickup at 40% of NA* 510 = 204.00: share of profit
# 40% x 377.50 = 151.00, OCI 40% x -132.50 = -53.00. Investment 6,000 -
# 2,000 + 1,100 (February's, frozen) + 204 = 5,304.00 = K1 5,100 + 204;
# share of profit 876 + 151 = 1,027.00; CTA -224 - 53 = -277.00; cash
# 20,000 - 4,000 + 6,000 - 6,000 = 16,000; no gain.
AT_P_IN_MARCH = {
    "1000": d("16000.00"),
    "1500": d("5304.00"),
    "3000": d("-20000.00"),
    "3300": d("-277.00"),
    "4700": d("-1027.00"),
}


def _statement_checks(g: Group) -> list[tuple[str, str]]:
    ctx = CheckContext(g.settings, g.con, "2026-03")
    return [(c.__name__, c(ctx).status) for c in STATEMENT_CHECKS]


def test_an_associate_passing_down_to_another_group_holder(tmp_path: Path) -> None:
    """P's stake passes to H. At P: AT_P_IN_MARCH. At H's node, which held
    no associate before, an equity start at H's cost (IAS 28.32): 6,000 +
    204 = 6,204.00, share of profit 151.00, OCI -53.00; cash T's 100."""
    g = transferred(tmp_path, "P", "H")
    assert event(g) == [("equity_change", d("5100.00"), d("6000.00"), None, d("0.00"))]
    assert node_tb(g, "2026-03") == AT_P_IN_MARCH
    assert node_tb(g, "2026-03", "H") == {
        "1000": d("100.00"),
        "1500": d("6204.00"),
        "3000": d("-6100.00"),
        "3300": d("-53.00"),
        "4700": d("-151.00"),
    }
    assert check(g) == ("pass", "equity_change of A measured")
    assert _statement_checks(g) == [(c.__name__, "pass") for c in STATEMENT_CHECKS]


def test_an_associate_passing_up_to_another_group_holder(tmp_path: Path) -> None:
    """H's stake passes to P. At P: AT_P_IN_MARCH, the same as if A had
    stayed where it was. At H's node the stake left (IAS 28.22, the end of
    equity accounting, f = 1): K1 5,100, X1 -224 recycled; gain = 6,000 -
    5,100 + 224 = 1,124.00 (H's own 2,000 reversed); January-February's
    share of profit 876 stays; cash 6,100 - 100 - 4,000 + 6,000 + T's 100
    = 8,100."""
    g = transferred(tmp_path, "H", "P")
    assert event(g) == [("equity_change", d("5100.00"), d("6000.00"), None, d("0.00"))]
    assert node_tb(g, "2026-03") == AT_P_IN_MARCH
    assert node_tb(g, "2026-03", "H") == {
        "1000": d("8100.00"),
        "3000": d("-6100.00"),
        "4700": d("-876.00"),
        "4800": d("-1124.00"),
    }
    assert check(g) == ("pass", "equity_change of A measured")
    assert _statement_checks(g) == [(c.__name__, "pass") for c in STATEMENT_CHECKS]

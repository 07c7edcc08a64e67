"""Group accounting over time, figures derived by hand (SPEC 14, 15, 17;
IFRS 3, IFRS 10, IAS 21.47). Every docstring is the derivation; the test
checks closekit reaches the same cents.

Accounts of the small chart (tests/test_consolidate_helpers.py): 1000 cash,
1500 investment, 1700 goodwill, 3000 share capital, 3200 retained earnings,
3300 CTA, 3900 NCI, 4000 revenue, 8900 NCI share of profit.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closekit.consolidation import node_trial_balance
from closekit.consolidation.measured import MissingEventAccount
from tests.statements_fixture import sold_in_march
from tests.test_consolidate_helpers import Group, amounts, d


def node_tb(g: Group, period: str, node: str = "P") -> dict[str, Decimal]:
    tb = amounts(node_trial_balance(g.con, g.settings, period, node, "ytd"))
    assert sum(tb.values()) == 0, tb
    return {account: amount for account, amount in tb.items() if amount}


def acquired_in_february(tmp_path: Path) -> Group:
    """P (CNY) buys 80% of S (USD) at the start of 2026-02 for 10,000 CNY.

    S before: capital 1,000 USD (6,500 CNY historical), retained earnings 500
    USD (3,200 CNY), cash 1,500 USD; it earns 200 USD in January (average
    6.9), 300 in February (7.1), 100 in March (7.4), 50 in January 2027
    (7.55). Closing rates: 7.0, 7.2, 7.5 and, in January 2027, 7.6.
    """
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P", pct="80")
    g.ownership("S", "2026-01", "", "0", "none").ownership("S", "2026-02", "P", "80")
    for period, closing, average in (
        ("2026-01", "7.0", "6.9"),
        ("2026-02", "7.2", "7.1"),
        ("2026-03", "7.5", "7.4"),
        ("2027-01", "7.6", "7.55"),
    ):
        g.rate(period, "USD", closing, average)
    g.line("2026-01", "P", "1000", "20000").line("2026-01", "P", "3000", "-20000")
    g.line("2026-01", "S", "1000", "1500", module="opening")
    g.line("2026-01", "S", "3000", "-1000", amount_group="-6500", module="opening")
    g.line("2026-01", "S", "3200", "-500", amount_group="-3200", module="opening")
    g.line("2026-02", "P", "1500", "10000", partner="S").line("2026-02", "P", "1000", "-10000")
    for period, earned in (("2026-01", "200"), ("2026-02", "300"), ("2026-03", "100")):
        g.line(period, "S", "1000", earned).line(period, "S", "4000", f"-{earned}")
    g.line("2027-01", "S", "1000", "50").line("2027-01", "S", "4000", "-50")
    g.post("2026-01", "2026-02", "2026-03", "2027-01")
    return g


def test_acquisition_with_pre_acquisition_reserves_in_a_foreign_currency(
    tmp_path: Path,
) -> None:
    """NA0 = S's net assets at the end of January: cash 1,700 USD x 7.0 =
    11,900.00 (NA0_fc 1,700): capital 6,500 + retained earnings 3,200 +
    January's result 200 x 6.9 = 1,380 + CTA 820.
    C = 10,000.00; C_fc = round(10,000 / 7.0) = 1,428.57.
    NCI at acquisition = 11,900 - round(0.8 x 11,900) = 2,380.00.
    GW_fc = 1,428.57 - round(0.8 x 1,700) = 68.57 USD; at the event it is
    C + NCI - NA0 = 480.00 CNY (68.57 x 7.0 = 479.99: the cent is FX after).

    February: goodwill 68.57 x 7.2 = 493.70; CTA on it 493.70 - 480.00 =
    13.70 (the cent of rounding included). S's February result 300 x 7.1 =
    2,130.00 is all the group's P&L shows (January's 1,380 is
    pre-acquisition); NCI in it 20% = 426.00. S's CTA -1,190 (14,400 - 6,500
    - 3,200 - 3,510) less the pre-acquisition 820 = -370, of which the NCI's
    74.00. NCI = 2,380 + 426 + 74 = 2,880.00 = 20% of S's 14,400.
    Group cash 10,000 + 14,400 = 24,400; CTA -370 + 74 - 13.70 = -309.70.
    """
    g = acquired_in_february(tmp_path)
    g.consolidate("2026-01")
    report = g.consolidate("2026-02")
    assert report.warnings == ()
    event = g.con.execute(
        "SELECT kind, holder, net_assets, net_assets_fc, consideration, consideration_fc, "
        "nci, goodwill_fc, goodwill_rate FROM consolidation_event WHERE entity = 'S'"
    ).fetchall()
    assert event == [
        (
            "acquisition",
            "P",
            d("11900.00"),
            d("1700.00"),
            d("10000.00"),
            d("1428.57"),
            d("2380.00"),
            d("68.57"),
            d("7.0"),
        )
    ]
    assert node_tb(g, "2026-02") == {
        "1000": d("24400.00"),
        "1700": d("493.70"),
        "3000": d("-20000.00"),
        "3300": d("-309.70"),
        "3900": d("-2880.00"),
        "4000": d("-2130.00"),
        "8900": d("426.00"),
    }


def test_goodwill_in_a_foreign_currency_over_two_periods(tmp_path: Path) -> None:
    """March: goodwill 68.57 x 7.5 = 514.275 -> 514.28; CTA on goodwill
    514.28 - 480.00 = 34.28. S's YTD result since acquisition 2,130 + 100 x
    7.4 = 2,870.00, NCI 574.00; S's CTA -1,800 (15,750 - 6,500 - 3,200 -
    4,250) + 820 = -980, NCI 196.00; NCI = 2,380 + 574 + 196 = 3,150.00 = 20%
    of 15,750. CTA: -980 + 196 - 34.28 = -818.28."""
    g = acquired_in_february(tmp_path)
    for period in ("2026-01", "2026-02", "2026-03"):
        g.consolidate(period)
    assert node_tb(g, "2026-03") == {
        "1000": d("25750.00"),
        "1700": d("514.28"),
        "3000": d("-20000.00"),
        "3300": d("-818.28"),
        "3900": d("-3150.00"),
        "4000": d("-2870.00"),
        "8900": d("574.00"),
    }


def test_group_retained_earnings_a_year_later(tmp_path: Path) -> None:
    """January 2027: S's 2026 result rolls into its retained earnings: 3,200
    + 4,250 = 7,450. The pre-acquisition keys are reversed where they sit
    now: capital 6,500, retained earnings 3,200 and January 2026's 1,380 (a
    P&L key of a closed year: on retained earnings), CTA 820. Group retained
    earnings = owners' 80% of the 2,870 S earned since acquisition =
    -2,296.00. NCI: 2,380 + 20% of 2027's 377.50 (75.50) + 20% of 2,870
    (574.00) + 20% of the CTA since acquisition (16,340 - 6,500 - 7,450 -
    377.50 = 2,012.50, less 820 = 1,192.50: 238.50) = 3,268.00 = 20% of
    16,340. Goodwill 68.57 x 7.6 = 521.13 (CTA 41.13); CTA -1,192.50 +
    238.50 - 41.13 = -995.13."""
    g = acquired_in_february(tmp_path)
    for period in ("2026-01", "2026-02", "2026-03", "2027-01"):
        g.consolidate(period)
    assert node_tb(g, "2027-01") == {
        "1000": d("26340.00"),
        "1700": d("521.13"),
        "3000": d("-20000.00"),
        "3200": d("-2296.00"),
        "3300": d("-995.13"),
        "3900": d("-3268.00"),
        "4000": d("-377.50"),
        "8900": d("75.50"),
    }


def bargain(tmp_path: Path) -> Group:
    """P (CNY) buys all of T (CNY) in February for 800; T's net assets at the
    end of January are its capital 1,000."""
    g = Group(tmp_path).entity("P").entity("T", parent="P")
    g.account("4800", "revenue", "average")
    g.ownership("T", "2026-01", "", "0", "none").ownership("T", "2026-02", "P", "100")
    g.line("2026-01", "P", "1000", "5000").line("2026-01", "P", "3000", "-5000")
    g.line("2026-01", "T", "1000", "1000").line("2026-01", "T", "3000", "-1000")
    g.line("2026-02", "P", "1500", "800", partner="T").line("2026-02", "P", "1000", "-800")
    g.post("2026-01", "2026-02")
    g.consolidate("2026-01")
    return g


def test_bargain_purchase_is_a_gain(tmp_path: Path) -> None:
    """GW = 800 - 1,000 = -200: a bargain purchase, a gain of 200.00 in
    profit or loss (IFRS 3.34) on [accounts] bargain_purchase, and a warning
    to reassess (IFRS 3.36). Group: cash 4,200 + 1,000; capital -5,000;
    gain -200."""
    g = bargain(tmp_path).accounts(bargain_purchase="4800")
    report = g.consolidate("2026-02")
    assert report.warnings == ("P: bargain purchase of T, gain 200.00",)
    assert node_tb(g, "2026-02") == {
        "1000": d("5200.00"),
        "3000": d("-5000.00"),
        "4800": d("-200.00"),
    }


def test_bargain_purchase_needs_its_account(tmp_path: Path) -> None:
    g = bargain(tmp_path)
    with pytest.raises(MissingEventAccount) as refused:
        g.consolidate("2026-02")
    assert str(refused.value) == (
        "the acquisition of T in 2026-02 is a bargain purchase (gain 200.00); "
        "set [accounts] bargain_purchase in closekit.toml"
    )


def test_dividend_through_an_80_percent_intermediate(tmp_path: Path) -> None:
    """P holds 80% of H, H all of T (CNY, members from the first period). T
    earns 2,000 and declares 1,000 to H (retained earnings debited); H earns
    500 of its own and books the 1,000 as dividend income (4500, role
    dividend_income, plug 3200). At P both results are 80% P's: NCI in
    profit = 20% x (H's 500 + T's 2,000) = 500.00. v1 took 20% x (1,500 +
    2,000) = 700, counting the intra-group dividend twice (SPEC 17). The
    eliminated dividend belongs to H: its reserves get +1,000 (NCI 200),
    T's lose 1,000 (NCI -200). NCI = 20% of H's capital 1,000 (200.00; T's
    capital is all H's) + 500 = 700.00; group cash 1,500 + 2,000."""
    g = Group(tmp_path).entity("P").entity("H", parent="P", pct="80").entity("T", parent="H")
    g.account("4500", "revenue", "average", "3200", "dividend_income")
    g.line("2026-01", "P", "1500", "800", partner="H").line("2026-01", "P", "3000", "-800")
    g.line("2026-01", "H", "1500", "1000", partner="T").line("2026-01", "H", "3000", "-1000")
    g.line("2026-01", "T", "1000", "1000").line("2026-01", "T", "3000", "-1000")
    g.line("2026-01", "T", "1000", "2000").line("2026-01", "T", "4000", "-2000")
    g.line("2026-01", "T", "3200", "1000", partner="H").line("2026-01", "T", "1000", "-1000")
    g.line("2026-01", "H", "1000", "1000").line("2026-01", "H", "4500", "-1000", partner="T")
    g.line("2026-01", "H", "1000", "500").line("2026-01", "H", "4000", "-500")
    g.post("2026-01").consolidate("2026-01")
    assert node_tb(g, "2026-01") == {
        "1000": d("3500.00"),
        "3000": d("-800.00"),
        "3900": d("-700.00"),
        "4000": d("-2500.00"),
        "8900": d("500.00"),
    }


def test_migration_of_a_subsidiary_acquired_before_the_first_period(tmp_path: Path) -> None:
    """S (USD) was bought for 5,400 CNY when its net assets were 1,000 USD
    at 6.0 (NA0 = 6,000.00), 80%, goodwill 100 USD; NCI at acquisition
    6,000 - 4,800 = 1,200.00. It now has capital 500 USD (3,000 CNY),
    retained earnings 900 USD (5,500 CNY) and cash 1,400 USD at 7.0 = 9,800:
    CTA -1,300. Pre-acquisition keys: capital 3,000, retained earnings the
    rest, 3,000. Goodwill 100 x 7.0 = 700.00, 100.00 of it CTA. NCI =
    1,200 + 20% x (5,500 - 3,000 = 2,500: 500.00) + 20% x 1,300 (260.00) =
    1,960.00 = 20% of 9,800. Group retained earnings -2,500 + 500 =
    -2,000.00; CTA -1,300 + 260 - 100 = -1,140.00; C + NCI - NA0 - goodwill
    = 5,400 + 1,200 - 6,000 - 600 = 0, so no warning."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P", pct="80")
    g.ownership(
        "S",
        "2026-01",
        "P",
        "80",
        pre_acquisition_equity="1000",
        acquisition_rate="6.0",
        goodwill="100",
    )
    g.rate("2026-01", "USD", "7.0", "7.0")
    g.line("2026-01", "P", "1500", "5400", partner="S").line("2026-01", "P", "1000", "600")
    g.line("2026-01", "P", "3000", "-6000")
    g.line("2026-01", "S", "1000", "1400", module="opening")
    g.line("2026-01", "S", "3000", "-500", amount_group="-3000", module="opening")
    g.line("2026-01", "S", "3200", "-900", amount_group="-5500", module="opening")
    report = g.post("2026-01").consolidate("2026-01")
    assert report.warnings == ()
    assert node_tb(g, "2026-01") == {
        "1000": d("10400.00"),
        "1700": d("700.00"),
        "3000": d("-6000.00"),
        "3200": d("-2000.00"),
        "3300": d("-1140.00"),
        "3900": d("-1960.00"),
    }


def test_step_up_from_60_to_80_percent_is_an_equity_transaction(tmp_path: Path) -> None:
    """P holds 60% of S (CNY, capital 1,000, cost 600: no goodwill, NCI at
    acquisition 400) from the first period. S earns 500 in January 2026, 300
    in February and 100 in January 2027. At the start of February P buys
    another 20% for 450 (IFRS 10.23, B96).

    NCI at the end of January = 400 + 40% x 500 = 600.00. The purchase takes
    20/40 of it: NCI -300.00; P paid 450, so 150.00 is debited to
    ownership_changes (3100) in equity, not to goodwill.
    February: NCI in results = 40% x 500 + 20% x 300 = 260.00 (January is
    not re-attributed); NCI = 400 - 300 + 260 = 360.00 = 20% x 1,800.
    January 2027: NCI in retained earnings = January 2026's 200 + 20% x (800
    - 500) = 260.00; NCI in results 20% x 100 = 20.00; NCI = 400 - 300 + 260
    + 20 = 380.00 = 20% x 1,900; group retained earnings -800 + 260 =
    -540.00, the owners' 300 + 240 of 2026."""
    g = Group(tmp_path).entity("P").entity("S", parent="P", pct="60")
    g.ownership("S", "2026-02", "P", "80").accounts(ownership_changes="3100")
    g.line("2026-01", "P", "1500", "600", partner="S").line("2026-01", "P", "1000", "1400")
    g.line("2026-01", "P", "3000", "-2000")
    g.line("2026-01", "S", "1000", "1000").line("2026-01", "S", "3000", "-1000")
    for period, earned in (("2026-01", "500"), ("2026-02", "300"), ("2027-01", "100")):
        g.line(period, "S", "1000", earned).line(period, "S", "4000", f"-{earned}")
    g.line("2026-02", "P", "1500", "450", partner="S").line("2026-02", "P", "1000", "-450")
    g.post("2026-01", "2026-02", "2027-01")
    g.consolidate("2026-01")
    g.consolidate("2026-02")
    event = g.con.execute(
        "SELECT ownership_before, ownership_after, consideration, nci, ownership_changes "
        "FROM consolidation_event WHERE kind = 'ownership_change'"
    ).fetchall()
    assert event == [(d("0.6"), d("0.8"), d("450.00"), d("-300.00"), d("150.00"))]
    assert node_tb(g, "2026-02") == {
        "1000": d("2750.00"),
        "3000": d("-2000.00"),
        "3100": d("150.00"),
        "3900": d("-360.00"),
        "4000": d("-800.00"),
        "8900": d("260.00"),
    }
    g.consolidate("2027-01")
    assert node_tb(g, "2027-01") == {
        "1000": d("2850.00"),
        "3000": d("-2000.00"),
        "3100": d("150.00"),
        "3200": d("-540.00"),
        "3900": d("-380.00"),
        "4000": d("-100.00"),
        "8900": d("20.00"),
    }


def test_disposal_of_a_foreign_subsidiary_recycles_its_cta(tmp_path: Path) -> None:
    """P holds 80% of S (USD, capital 1,000 USD at 7.0 = 7,000, cost 5,600:
    no goodwill, NCI 1,400) from the first period. S earns 100 USD in
    January (7.1), 200 in February (7.4), 50 in March; closing 7.2, 7.5,
    7.6. At the start of March P sells its 80% for 9,000 CNY and books an
    own gain of 3,400 (4810, role disposal_gain).

    At the end of February S's net assets are 1,300 USD x 7.5 = 9,750: its
    result 710 + 1,480 = 2,190, CTA 560 (credit). NCI = 1,400 + 20% x 2,190
    (438) + 20% x 560 (112) = 1,950. Owners' CTA 448 (credit) is recycled
    (IAS 21.48): gain = 9,000 + 1,950 - 9,750 - 0 + 448 = 1,648.00
    (= 9,000 - 80% x 9,750 + 448). March at P: S's January-February result
    2,190 stays with its NCI share 438 (IFRS 10.B88); P's own gain 3,400 is
    replaced by the group gain; profit 3,838 of which owners 3,400."""
    g = sold_in_march(tmp_path)
    event = g.con.execute(
        "SELECT kind, net_assets, consideration, nci, gain, cta_reclassified "
        "FROM consolidation_event WHERE period = '2026-03'"
    ).fetchall()
    assert event == [
        ("loss_of_control", d("9750.00"), d("9000.00"), d("1950.00"), d("1648.00"), d("-448.00"))
    ]
    assert node_tb(g, "2026-03") == {
        "1000": d("13400.00"),
        "3000": d("-10000.00"),
        "4000": d("-2190.00"),
        "4800": d("-1648.00"),
        "8900": d("438.00"),
    }


def associate(tmp_path: Path) -> Group:
    """P buys 30% of A (CNY) at the start of February 2026 for 3,000; A has
    capital 8,000, earns 500 in January and 1,000 in February and pays 400
    of dividends in February (120 to P)."""
    g = Group(tmp_path).entity("P").entity("A", parent="P", pct="30", method="equity")
    g.account("4500", "revenue", "average", "3200", "dividend_income")
    g.account("4700", "revenue", "average").accounts(associate_result="4700")
    g.ownership("A", "2026-01", "", "0", "none").ownership("A", "2026-02", "P", "30", "equity")
    g.line("2026-01", "P", "1000", "10000").line("2026-01", "P", "3000", "-10000")
    g.line("2026-01", "A", "1000", "8000").line("2026-01", "A", "3000", "-8000")
    for period, earned in (("2026-01", "500"), ("2026-02", "1000")):
        g.line(period, "A", "1000", earned).line(period, "A", "4000", f"-{earned}")
    g.line("2026-02", "A", "3200", "400").line("2026-02", "A", "1000", "-400")
    g.line("2026-02", "P", "1500", "3000", partner="A").line("2026-02", "P", "1000", "-3000")
    g.line("2026-02", "P", "1000", "120").line("2026-02", "P", "4500", "-120", partner="A")
    return g


def test_associate_carrying_amount_share_of_profit_and_dividend(tmp_path: Path) -> None:
    """P buys 30% of A (CNY) at the start of February 2026 for 3,000 (IAS 28).
    A: capital 8,000, earns 500 in January and 1,000 in February, and pays a
    dividend of 400 in February, 120 of it to P (4500, dividend income).

    NA* (net assets without share capital) end of January 500, end of
    February 500 + 1,000 - 400 = 1,100: the carrying amount is 3,000 + 30%
    x 600 = 3,180.00. Share of profit 30% x 1,000 = 300.00 (January is
    before the equity start); P's dividend income 120 is reversed (it is
    already out of A's net assets). Group: cash 10,000 - 3,000 + 120 =
    7,120; share of profit 300."""
    g = associate(tmp_path)
    g.post("2026-01", "2026-02")
    g.consolidate("2026-01")
    g.consolidate("2026-02")
    assert node_tb(g, "2026-02") == {
        "1000": d("7120.00"),
        "1500": d("3180.00"),
        "3000": d("-10000.00"),
        "4700": d("-300.00"),
    }


def test_associate_losses_stop_at_zero(tmp_path: Path) -> None:
    """A (30%, an associate from the first period, cost 3,000) loses 12,000
    in January: 30% is 3,600, but the carrying amount stops at zero (IAS
    28.38): 3,000.00 is recognised, 600.00 is not, and the structure check
    says so."""
    g = Group(tmp_path).entity("P").entity("A", parent="P", pct="30", method="equity")
    g.account("4700", "revenue", "average").accounts(associate_result="4700")
    g.line("2026-01", "P", "1500", "3000", partner="A").line("2026-01", "P", "1000", "7000")
    g.line("2026-01", "P", "3000", "-10000")
    g.line("2026-01", "A", "1000", "8000", module="opening")
    g.line("2026-01", "A", "3000", "-8000", module="opening")
    g.line("2026-01", "A", "6000", "12000").line("2026-01", "A", "1000", "-12000")
    report = g.post("2026-01").consolidate("2026-01")
    assert report.warnings == ("P: A: losses capped at zero (IAS 28.38): 600.00 not recognised",)
    assert node_tb(g, "2026-01") == {
        "1000": d("7000.00"),
        "3000": d("-10000.00"),
        "4700": d("3000.00"),
    }


def test_sale_to_nci_keeps_control_and_moves_cta(tmp_path: Path) -> None:
    """P holds 80% of S (USD; capital 1,000 USD at 7.0 = 7,000, cost 5,600:
    NCI 1,400) from the first period; S earns 100 USD in January (7.1) and
    200 in February (7.4); closing 7.2, 7.5. At the start of February P
    sells a quarter of its stake (80% -> 60%) for 2,000 CNY, booking an own
    gain of 600 (4810, role disposal_gain) on 1,400 of cost.

    End of January: S's net assets 1,100 x 7.2 = 7,920 (result 710, CTA 210
    credit); NCI 1,400 + 142 + 42 = 1,584. The sale moves 20% x 7,920 =
    1,584.00 into NCI; 2,000 - 1,584 = 416.00 is credited to
    ownership_changes (3100), P's own gain is reversed, and 20/80 of the
    owners' CTA (168 credit) = 42.00 moves from CTA to ownership_changes
    (IAS 21.48C). February: NCI in results 20% x 710 + 40% x 1,480 = 734.00;
    NCI in CTA 42 + 40% x (560 - 210) = 182.00; NCI = 1,400 + 1,584 + 734 +
    182 = 3,900.00 = 40% of 9,750. Owners' CTA 560 - 182 - 42 = 336.00: the
    126 kept of January's 168, plus 60% of February's 350."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P", pct="80")
    g.account("4810", "revenue", "average", "", "disposal_gain")
    g.accounts(ownership_changes="3100").ownership("S", "2026-02", "P", "60")
    g.rate("2026-01", "USD", "7.2", "7.1").rate("2026-02", "USD", "7.5", "7.4")
    g.line("2026-01", "P", "1500", "5600", partner="S").line("2026-01", "P", "1000", "4400")
    g.line("2026-01", "P", "3000", "-10000")
    g.line("2026-01", "S", "1000", "1000", module="opening")
    g.line("2026-01", "S", "3000", "-1000", amount_group="-7000", module="opening")
    for period, earned in (("2026-01", "100"), ("2026-02", "200")):
        g.line(period, "S", "1000", earned).line(period, "S", "4000", f"-{earned}")
    g.line("2026-02", "P", "1000", "2000").line("2026-02", "P", "1500", "-1400", partner="S")
    g.line("2026-02", "P", "4810", "-600", partner="S")
    g.post("2026-01", "2026-02")
    g.consolidate("2026-01")
    g.consolidate("2026-02")
    event = g.con.execute(
        "SELECT consideration, nci, gain, ownership_changes, cta_reclassified "
        "FROM consolidation_event WHERE kind = 'ownership_change'"
    ).fetchall()
    assert event == [(d("-1400.00"), d("1584.00"), d("600.00"), d("-416.00"), d("-42.00"))]
    assert node_tb(g, "2026-02") == {
        "1000": d("16150.00"),
        "3000": d("-10000.00"),
        "3100": d("-458.00"),
        "3300": d("-336.00"),
        "3900": d("-3900.00"),
        "4000": d("-2190.00"),
        "8900": d("734.00"),
    }

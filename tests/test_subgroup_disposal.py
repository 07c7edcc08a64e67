"""The disposal of a sub-group, derived by hand (SPEC 14, 16.1; IFRS 10.25,
10.B88, 10.B97-B99; IAS 21.48). Every docstring is the derivation.

Accounts of the small chart (tests/test_consolidate_helpers.py) plus 4800
group disposal gain and 4810 P's own gain (role disposal_gain).
"""

from __future__ import annotations

from pathlib import Path

from closekit.checks.base import CheckContext
from closekit.checks.structure import structure
from tests.test_acquisition import node_tb
from tests.test_consolidate_helpers import Group, d

PERIODS = ("2026-01", "2026-02", "2026-03")


def sub_group(tmp_path: Path, t_currency: str = "CNY") -> Group:
    """P holds all of S, S holds 80% of T, from the first period; P sells S
    (and with it T) at the start of March for 3,000 CNY, booking an own gain
    of 1,000 on S's cost of 2,000.

    T: capital 1,000, cash 1,000 (the test gives them, in T's currency).
    S: capital 2,000, investment in T 800 (NCI in T at acquisition 200, no
    goodwill), cash 1,200; earns 50 in January and 50 in February.
    P: capital 5,000, investment in S 2,000, cash 3,000."""
    g = Group(tmp_path).entity("P").entity("S", parent="P")
    g.entity("T", t_currency, parent="S", pct="80")
    g.account("4800", "revenue", "average")
    g.account("4810", "revenue", "average", "", "disposal_gain")
    g.accounts(disposal_gain="4800").ownership("S", "2026-03", "", "0", "none")
    g.line("2026-01", "P", "1500", "2000", partner="S").line("2026-01", "P", "1000", "3000")
    g.line("2026-01", "P", "3000", "-5000")
    g.line("2026-01", "S", "1500", "800", partner="T").line("2026-01", "S", "1000", "1200")
    g.line("2026-01", "S", "3000", "-2000")
    for period, earned in (("2026-01", "50"), ("2026-02", "50")):
        g.line(period, "S", "1000", earned).line(period, "S", "4000", f"-{earned}")
    g.line("2026-03", "P", "1000", "3000").line("2026-03", "P", "1500", "-2000", partner="S")
    g.line("2026-03", "P", "4810", "-1000", partner="S")
    return g


def disposed_in_march(g: Group) -> None:
    """T earns 100 in January and 200 in February (in its currency); every
    period is posted and consolidated."""
    for period, earned in (("2026-01", "100"), ("2026-02", "200")):
        g.line(period, "T", "1000", earned).line(period, "T", "4000", f"-{earned}")
    g.post(*PERIODS)
    for period in PERIODS:
        g.consolidate(period)


def test_disposal_of_a_sub_group_is_one_gain(tmp_path: Path) -> None:
    """End of February at P: T's net assets 1,300 (NCI 20% = 200 + 60 =
    260), S's 2,100 of which its investment in T 800, reversed at the node:
    the sub-group's NA = 1,300 + 2,100 - 800 = 2,600; no goodwill, no CTA.
    Gain = 3,000 + 260 - 2,600 = 660.00 (= 3,000 - the owners' 2,340).

    March at P: the members' January-February results stay (T 300 + S 100 =
    400) with the NCI's share of them (20% x 300 = 60, IFRS 10.B88); P's own
    gain 1,000 is replaced by the group gain 660; the sub-group's balance
    sheet leaves. Owners' profit 400 - 60 + 660 = 1,000, P's own gain; cash
    3,000 + 3,000 = 6,000."""
    g = sub_group(tmp_path)
    g.line("2026-01", "T", "1000", "1000").line("2026-01", "T", "3000", "-1000")
    disposed_in_march(g)
    event = g.con.execute(
        "SELECT entity, net_assets, consideration, nci, gain, cta_reclassified "
        "FROM consolidation_event WHERE period = '2026-03'"
    ).fetchall()
    assert event == [("S", d("2600.00"), d("3000.00"), d("260.00"), d("660.00"), d("0.00"))]
    assert node_tb(g, "2026-03") == {
        "1000": d("6000.00"),
        "3000": d("-5000.00"),
        "4000": d("-400.00"),
        "4800": d("-660.00"),
        "8900": d("60.00"),
    }
    result = structure(CheckContext(g.settings, g.con, "2026-03"))
    assert (result.status, result.detail) == (
        "pass",
        "loss_of_control of S, loss_of_control of T measured",
    )


def test_disposal_of_a_sub_group_recycles_its_members_cta(tmp_path: Path) -> None:
    """T in USD instead: capital 1,000 USD at 7.0 (7,000 CNY; S paid 5,600
    for 80%, NCI 1,400, no goodwill), cash 1,000 USD; earns 100 USD in
    January (average 7.1) and 200 in February (7.4); closing 7.2, 7.5. S's
    investment in T is 5,600 (cash 1,200 - 4,800 = -3,600 to pay for it).

    End of February: T's net assets 1,300 x 7.5 = 9,750 (result 710 + 1,480
    = 2,190, CTA 560 credit); NCI in T = 1,400 + 20% x 2,190 (438) + 20% x
    560 (112) = 1,950. S's net assets 2,100 (investment 5,600, cash -3,500),
    its investment in T reversed: NA = 9,750 + 2,100 - 5,600 = 6,250. The
    owners' CTA of T, 448 (credit), is recycled (IAS 21.48): gain = 3,000 +
    1,950 - 6,250 + 448 = -852.00, a loss (= 3,000 - the owners' 4,300 +
    448).

    March at P: results T 2,190 + S 100 = 2,290 with NCI 438; loss 852;
    cash 3,000 + 3,000; owners' profit 2,290 - 438 - 852 = 1,000."""
    g = sub_group(tmp_path, "USD")
    g.line("2026-01", "S", "1500", "4800", partner="T").line("2026-01", "S", "1000", "-4800")
    g.rate("2026-01", "USD", "7.2", "7.1").rate("2026-02", "USD", "7.5", "7.4")
    g.rate("2026-03", "USD", "7.6", "7.55")
    g.line("2026-01", "T", "1000", "1000", module="opening")
    g.line("2026-01", "T", "3000", "-1000", amount_group="-7000", module="opening")
    disposed_in_march(g)
    event = g.con.execute(
        "SELECT net_assets, nci, gain, cta_reclassified "
        "FROM consolidation_event WHERE period = '2026-03'"
    ).fetchall()
    assert event == [(d("6250.00"), d("1950.00"), d("-852.00"), d("-448.00"))]
    assert node_tb(g, "2026-03") == {
        "1000": d("6000.00"),
        "3000": d("-5000.00"),
        "4000": d("-2290.00"),
        "4800": d("852.00"),
        "8900": d("438.00"),
    }

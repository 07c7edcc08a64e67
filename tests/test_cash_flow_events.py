"""Acquisitions and disposals of subsidiaries in the flows and the statements
(SPEC 19.1, 19.2; IAS 7.39-42): one investing line each, the consideration
net of the subsidiary's cash, which never shows again as an exchange
difference or a working-capital movement. Figures derived by hand in
:func:`acquire_and_dispose`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closekit.checks.base import CheckContext
from closekit.checks.statements import CHECKS
from closekit.statements.cash_flow import cash_flow_statement
from closekit.statements.equity import equity_statement
from closekit.statements.rollforward import goodwill_rollforward, nci_rollforward
from tests.test_acquisition import associate
from tests.test_consolidate_helpers import Group, d


def acquire_and_dispose(tmp_path: Path) -> Group:
    """P (CNY) buys 80% of S (USD) at the start of February 2026 and sells T
    (CNY, 100% since the first period) at the start of March. Fiscal year
    from January, first period 2026-01. USD/CNY closing 2025-12 6.80;
    January 7.00 (average 6.90), February 7.20 (7.10), March 7.50 (7.40).

    Opening rows: P cash 20,000, investment in T 1,000, share capital
    -21,000; T cash 1,000, share capital -1,000; S cash USD 1,500, share
    capital USD -1,000 (CNY -6,500), retained earnings USD -500 (-3,200).
    S earns USD 200 in January, 300 in February, 100 in March; T earns 100
    a month; all in cash. Document ACQ (February): P pays 12,600 for S.
    Document DSP (March): P receives 1,500 for T, its investment of 1,000
    out and a gain of 500 in its own books (4810, role disposal_gain).

    Acquisition of S (SPEC 15.1): NA0 = S's cash at the end of January,
    USD 1,700 x 7.00 = 11,900.00; NCI 20% = 2,380.00; C_fc = 12,600 / 7.00
    = 1,800; GW_fc = 1,800 - 80% x 1,700 = 440, goodwill 3,080.00.
    Disposal of T (SPEC 16.1): NA at February = cash 1,200; proceeds 1,000
    + 500 = 1,500; gain = 1,500 - 1,200 = 300.00.

    Cash at the group: opening (first fiscal year: opening rows of members
    then) P 20,000 + T 1,000 = 21,000 (S was no member). End of February:
    P 7,400 + T 1,200 + S USD 2,000 x 7.20 = 14,400: 23,000. End of March:
    P 8,900 + S USD 2,100 x 7.50 = 15,750: 24,650.

    Cash flows, year to date:
    - February: profit 2,330.00 (T 200, S's February 300 x 7.10 = 2,130;
      its January is pre-acquisition); acquisition of S net of cash
      acquired -12,600 + 11,900 = -700.00; exchange difference on S's cash
      14,400 - 11,900 - 2,130 = 370.00. 2,330 - 700 + 370 = 2,000 = 23,000 -
      21,000.
    - March: profit 3,370.00 (T 200 before its disposal, S 2,130 + 100 x
      7.40 = 740, the group gain 300; P's own gain of 500 is reversed), less
      the gain 300 (not cash): operating 3,070.00; acquisition -700.00;
      disposal of T 1,500 - 1,200 = +300.00; exchange difference 15,750 -
      11,900 - 2,870 = 980.00. 3,070 - 700 + 300 + 980 = 3,650 = 24,650 -
      21,000.

    Equity at March: profit 3,370 of which NCI round(20% x 2,130) +
    round(20% x 740) = 574.00, owners 2,796.00. S's CTA moved from -820 (at
    acquisition: -(11,900 - 6,500 - 3,200 - 1,380)) to -1,800 (-(15,750 -
    6,500 - 3,200 - 4,250)): exchange differences 980, NCI 196.00, owners
    784 + goodwill's 440 x 7.50 - 3,080 = 220: 1,004.00. NCI: 2,380 at
    acquisition + 574 + 196 = 3,150.00. Closing: share capital 21,000,
    translation reserve 1,004, retained earnings 2,796, owners 24,800, NCI
    3,150, total 27,950 = cash 24,650 + goodwill 3,300.
    """
    g = Group(tmp_path).entity("P").entity("S", "USD", "P", "80").entity("T", "CNY", "P")
    g.account("4800", "revenue", "average").account(
        "4810", "revenue", "average", "", "disposal_gain"
    )
    g.accounts(disposal_gain="4800")
    g.ownership("S", "2026-01", "", "0", "none").ownership("S", "2026-02", "P", "80")
    g.ownership("T", "2026-03", "", "0", "none")
    g.rate("2025-12", "USD", "6.80", None)
    for period, closing, average in (
        ("2026-01", "7.00", "6.90"),
        ("2026-02", "7.20", "7.10"),
        ("2026-03", "7.50", "7.40"),
    ):
        g.rate(period, "USD", closing, average)
    o = "opening"
    g.line("2026-01", "P", "1000", "20000", module=o).line(
        "2026-01", "P", "1500", "1000", "T", module=o
    )
    g.line("2026-01", "P", "3000", "-21000", module=o)
    g.line("2026-01", "T", "1000", "1000", module=o).line("2026-01", "T", "3000", "-1000", module=o)
    g.line("2026-01", "S", "1000", "1500", module=o)
    g.line("2026-01", "S", "3000", "-1000", amount_group="-6500", module=o)
    g.line("2026-01", "S", "3200", "-500", amount_group="-3200", module=o)
    for period, earned in (("2026-01", "200"), ("2026-02", "300"), ("2026-03", "100")):
        g.line(period, "S", "1000", earned).line(period, "S", "4000", f"-{earned}")
        g.line(period, "T", "1000", "100").line(period, "T", "4000", "-100")
    g.line("2026-02", "P", "1500", "12600", "S", doc_id="ACQ")
    g.line("2026-02", "P", "1000", "-12600", doc_id="ACQ")
    g.line("2026-03", "P", "1000", "1500", doc_id="DSP")
    g.line("2026-03", "P", "1500", "-1000", "T", doc_id="DSP")
    g.line("2026-03", "P", "4810", "-500", "T", doc_id="DSP")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post("2026-01", "2026-02", "2026-03")
    for period in ("2026-01", "2026-02", "2026-03"):
        g.consolidate(period)
    return g


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Group:
    return acquire_and_dispose(tmp_path_factory.mktemp("events"))


def lines(g: Group, period: str) -> dict[str, Decimal]:
    statement = cash_flow_statement(g.con, g.settings, period, "P")
    assert statement.total() == statement.cash_closing - statement.cash_opening
    return {x.line: x.amount for x in statement.lines}


def test_the_events_as_measured(group: Group) -> None:
    events = group.con.execute(
        "SELECT period, entity, kind, net_assets, consideration, nci, gain "
        "FROM consolidation_event WHERE kind IN ('acquisition', 'loss_of_control') ORDER BY period"
    ).fetchall()
    assert events == [
        ("2026-02", "S", "acquisition", d("11900.00"), d("12600.00"), d("2380.00"), None),
        ("2026-03", "T", "loss_of_control", d("1200.00"), d("1500.00"), d("0.00"), d("300.00")),
    ]


def test_an_acquisition_is_one_investing_line_net_of_the_cash_acquired(group: Group) -> None:
    assert lines(group, "2026-02") == {
        "profit": d("2330.00"),
        "acquisition": d("-700.00"),
        "cash_translation": d("370.00"),
    }
    statement = cash_flow_statement(group.con, group.settings, "2026-02", "P")
    assert (statement.cash_opening, statement.cash_closing) == (d("21000.00"), d("23000.00"))


def test_a_disposal_is_one_investing_line_net_of_the_cash_disposed_of(group: Group) -> None:
    assert lines(group, "2026-03") == {
        "profit": d("3370.00"),
        "event_gains": d("-300.00"),
        "acquisition": d("-700.00"),
        "disposal": d("300.00"),
        "cash_translation": d("980.00"),
    }
    statement = cash_flow_statement(group.con, group.settings, "2026-03", "P")
    assert (statement.cash_opening, statement.cash_closing) == (d("21000.00"), d("24650.00"))


def test_the_equity_statement_and_roll_forwards_with_the_events(group: Group) -> None:
    statement = equity_statement(group.con, group.settings, "2026-03", "P")
    rows = {r.row: r.amounts for r in statement.rows}
    # share capital, other reserves, translation reserve, retained earnings,
    # owners, NCI, total
    assert rows == {
        "opening": (d("21000"), 0, 0, 0, d("21000"), 0, d("21000")),
        "profit": (0, 0, 0, d("2796.00"), d("2796.00"), d("574.00"), d("3370.00")),
        "translation": (0, 0, d("1004.00"), 0, d("1004.00"), d("196.00"), d("1200.00")),
        "comprehensive": (
            0,
            0,
            d("1004.00"),
            d("2796.00"),
            d("3800.00"),
            d("770.00"),
            d("4570.00"),
        ),
        "acquisition": (0, 0, 0, 0, 0, d("2380.00"), d("2380.00")),
        "closing": (
            d("21000"),
            0,
            d("1004.00"),
            d("2796.00"),
            d("24800.00"),
            d("3150.00"),
            d("27950.00"),
        ),
    }
    nci = nci_rollforward(group.con, group.settings, "2026-03", "P")
    assert nci.flows == ("opening", "profit", "translation", "acquisition")
    assert [(x.item, x.amounts) for x in nci.lines] == [
        ("S", (0, d("574.00"), d("196.00"), d("2380.00"), d("3150.00")))
    ]
    goodwill = goodwill_rollforward(group.con, group.settings, "2026-03", "P")
    assert [(x.item, x.detail, x.amounts) for x in goodwill.lines] == [
        ("S", "USD", (0, d("220.00"), d("3080.00"), d("3300.00")))
    ]


@pytest.mark.parametrize("period", ["2026-01", "2026-02", "2026-03"])
def test_the_checks_pass(group: Group, period: str) -> None:
    """flows_tie, equity_statement and cash_flow (SPEC 20)."""
    ctx = CheckContext(group.settings, group.con, period)
    assert [(c.__name__, check.status) for c in CHECKS if (check := c(ctx))] == [
        (c.__name__, "pass") for c in CHECKS
    ]


def test_the_share_of_profit_of_associates_is_no_cash(tmp_path: Path) -> None:
    """tests/test_acquisition.py's associate: P buys 30% of A (CNY) at the
    start of February 2026 for 3,000; A earns 1,000 in February and pays a
    dividend of 400, 120 of it to P. Group profit to February: P's share of
    A's result, 300.00 (P's dividend income of 120 is reversed). The
    carrying amount moves by 300 - 120 = 180 (the pickup).

    Cash flows: profit 300.00; share of profit of associates less the
    dividends received from them (180.00): operating 120.00, the dividend
    received. Investing: the investment in A (3,000.00). Financing: P's
    capital 10,000.00 (a movement). 120 - 3,000 + 10,000 = 7,120 = P's cash
    (no opening rows)."""
    g = associate(tmp_path)
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post("2026-01", "2026-02")
    g.consolidate("2026-01")
    g.consolidate("2026-02")
    assert lines(g, "2026-02") == {
        "profit": d("300.00"),
        "associates": d("-180.00"),
        "1500": d("-3000.00"),
        "equity": d("10000.00"),
    }
    statement = cash_flow_statement(g.con, g.settings, "2026-02", "P")
    assert statement.total("operating") == d("120.00")
    assert (statement.cash_opening, statement.cash_closing) == (0, d("7120.00"))

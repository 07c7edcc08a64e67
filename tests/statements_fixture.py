"""A parent and a foreign subsidiary over two months, for the flows and the
statements built on them (SPEC 19). The figures are derived by hand in
:func:`two_months`'s docstring."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.test_consolidate_helpers import Group


def two_months(tmp_path: Path) -> Group:
    """P (CNY, the group) holds 100% of S (USD), fiscal year from January,
    first period 2026-01. USD/CNY: closing 2025-12 6.80; January closing
    7.00, average 6.90; February closing 7.20, average 7.10.

    Opening rows (2026-01): S cash USD 100, share capital USD -100 at its
    historical CNY -650; P cash 1000, investment in S 650, share capital
    -1500, retained earnings -150.
    January: S sells for USD 50 cash, P for CNY 200.
    February: P subscribes USD 20 of new S shares for CNY 142 (flow capital,
    S's capital at 142 = 20 x 7.10); P pays its own shareholders a dividend
    of 300 (flow dividend); S sells for USD 30 cash.

    S translated (February, year to date):
      cash: opening 100 x 6.80 = 680.00; movements 50 x 6.90 + 30 x 7.10 =
      345.00 + 213.00 = 558.00; capital 20 x 7.10 = 142.00; closing
      200 x 7.20 = 1440.00, so translation = 1440 - 680 - 558 - 142 = 60.00.
      share capital: opening -650, capital -142, closing -792.
      result (on retained earnings): profit -558.00.
      CTA: opening -(680 - 650) = -30.00; closing -(1440 - 792 - 558) =
      -90.00, so translation -60.00 (the two translations cancel).
    January alone: cash closing 150 x 7.00 = 1050.00, translation
    1050 - 680 - 345 = 25.00; CTA closing -(1050 - 650 - 345) = -55.00.
    """
    g = Group(tmp_path).entity("P").entity("S", "USD", "P", "100")
    g.rate("2025-12", "USD", "6.80", None)
    g.rate("2026-01", "USD", "7.00", "6.90").rate("2026-02", "USD", "7.20", "7.10")
    o = "opening"
    g.line("2026-01", "S", "1000", "100", module=o)
    g.line("2026-01", "S", "3000", "-100", amount_group="-650", module=o)
    g.line("2026-01", "P", "1000", "1000", module=o).line(
        "2026-01", "P", "1500", "650", "S", module=o
    )
    g.line("2026-01", "P", "3000", "-1500", module=o).line("2026-01", "P", "3200", "-150", module=o)
    g.line("2026-01", "S", "1000", "50").line("2026-01", "S", "4000", "-50")
    g.line("2026-01", "P", "1000", "200").line("2026-01", "P", "4000", "-200")
    g.line("2026-02", "S", "1000", "20", flow="capital")
    g.line("2026-02", "S", "3000", "-20", amount_group="-142", flow="capital")
    g.line("2026-02", "P", "1500", "142", "S", flow="capital")
    g.line("2026-02", "P", "1000", "-142", flow="capital")
    g.line("2026-02", "P", "3200", "300", flow="dividend")
    g.line("2026-02", "P", "1000", "-300", flow="dividend")
    g.line("2026-02", "S", "1000", "30").line("2026-02", "S", "4000", "-30")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post("2026-01", "2026-02")
    g.consolidate("2026-01")
    g.consolidate("2026-02")
    return g


def money(value: str) -> Decimal:
    return Decimal(value)


def with_nci(tmp_path: Path) -> Group:
    """P (CNY) holds 80% of S (USD), one period 2026-01, rates as
    :func:`two_months`.

    Opening rows: S cash USD 100 (at 6.80: 680.00), share capital USD -100
    at -650; P cash 980, investment in S 520, share capital -1500.
    January: S sells for USD 50 cash (345.00 at 6.90).

    S translated: cash 680 + 345, closing 150 x 7.00 = 1050.00 (translation
    25.00); result -345.00; CTA opening -30.00, closing -55.00.
    At the group: the investment 520 against 80% of S's capital 650, NCI
    20% = 130, goodwill 0 (all opening). NCI in results round(0.2 x 345) =
    69.00; NCI's share of S's CTA: opening 6.00, closing round(0.2 x 55) =
    11.00, so NCI's exchange differences are 5.00 and the owners' 20.00.
    NCI: 130 + 6 = 136 at the opening, + 69 + 5 = 210 at January's end;
    equity 1500 + 44 + 276 + 210 = 2030 = net assets 980 + 1050.
    """
    g = Group(tmp_path).entity("P").entity("S", "USD", "P", "80")
    g.rate("2025-12", "USD", "6.80", None).rate("2026-01", "USD", "7.00", "6.90")
    o = "opening"
    g.line("2026-01", "S", "1000", "100", module=o)
    g.line("2026-01", "S", "3000", "-100", amount_group="-650", module=o)
    g.line("2026-01", "P", "1000", "980", module=o).line(
        "2026-01", "P", "1500", "520", "S", module=o
    )
    g.line("2026-01", "P", "3000", "-1500", module=o)
    g.line("2026-01", "S", "1000", "50").line("2026-01", "S", "4000", "-50")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post("2026-01")
    g.consolidate("2026-01")
    return g


def sold_in_march(tmp_path: Path) -> Group:
    """P holds 80% of S (USD, capital 1,000 USD at 7,000; P's cost 5,600)
    from the first period, 2026-01; S earns 100 USD in January (average
    7.1), 200 in February (7.4), 50 in March (7.55); closing 7.2, 7.5, 7.6.
    At the start of March P sells its 80% for 9,000 CNY cash (document
    SALE: its investment of 5,600 out, its own gain of 3,400 on 4810, role
    disposal_gain); ``[accounts] disposal_gain`` is 4800. The figures are
    derived in tests/test_acquisition.py (the disposal) and
    tests/test_comprehensive_income_events.py (its OCI)."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P", pct="80")
    g.account("4800", "revenue", "average").account(
        "4810", "revenue", "average", "", "disposal_gain"
    )
    g.accounts(disposal_gain="4800").ownership("S", "2026-03", "", "0", "none")
    for period, closing, average in (
        ("2026-01", "7.2", "7.1"),
        ("2026-02", "7.5", "7.4"),
        ("2026-03", "7.6", "7.55"),
    ):
        g.rate(period, "USD", closing, average)
    g.line("2026-01", "P", "1500", "5600", partner="S").line("2026-01", "P", "1000", "4400")
    g.line("2026-01", "P", "3000", "-10000")
    g.line("2026-01", "S", "1000", "1000", module="opening")
    g.line("2026-01", "S", "3000", "-1000", amount_group="-7000", module="opening")
    for period, earned in (("2026-01", "100"), ("2026-02", "200"), ("2026-03", "50")):
        g.line(period, "S", "1000", earned).line(period, "S", "4000", f"-{earned}")
    g.line("2026-03", "P", "1000", "9000", doc_id="SALE")
    g.line("2026-03", "P", "1500", "-5600", partner="S", doc_id="SALE")
    g.line("2026-03", "P", "4810", "-3400", partner="S", doc_id="SALE")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post("2026-01", "2026-02", "2026-03")
    for period in ("2026-01", "2026-02", "2026-03"):
        g.consolidate(period)
    return g

"""Two fiscal years of a small group, reported: the packs the site's
comparative figures link between (tests/test_site_comparatives.py,
tests/test_browser.py)."""

from __future__ import annotations

from pathlib import Path

from closekit.manage import manage_period
from closekit.pipeline import check
from closekit.report import write_reports
from tests.test_consolidate_helpers import Group

PERIODS = ("2025-01", "2025-02", "2026-01", "2026-02")
PRIOR, PERIOD = "2025-02", "2026-02"


def two_years(root: Path) -> Group:
    """P (CNY) holds 80% of S (CNY) from the first period, 2025-01; fiscal
    years are calendar years; the period folders are January and February
    of 2025 and 2026. Account 1000 is cash, 1100 trade receivables
    (operating, the default class).

    Opening rows: P cash 1,100, investment in S 400, share capital -1,500;
    S cash 500, share capital -500 (P's 80% = 400: no goodwill, NCI 100).
    January 2025: P earns 100 in cash. February 2025: P sells 60 on
    credit. January 2026: P earns 200 in cash. February 2026: P collects
    the 60; S earns 20 in cash.

    Cash flows, Jan-Feb 2025: profit 160.00, change in trade receivables
    (60.00), net 100.00: cash 1,600 -> 1,700. Jan-Feb 2026: profit 220.00
    (owners 200 + 80% x 20 = 216.00, NCI 4.00), receivables 60.00, net
    280.00: cash 1,700 -> 1,980. Feb 2026: profit 20.00, receivables
    60.00, net 80.00: cash 1,900 -> 1,980.
    """
    g = Group(root).entity("P").entity("S", parent="P", pct="80")
    g.account("1100", "asset", "closing")
    for period in PERIODS:
        g.rate(period, "CNY", "1", "1")
    o = "opening"
    g.line("2025-01", "P", "1000", "1100", module=o).line(
        "2025-01", "P", "1500", "400", "S", module=o
    )
    g.line("2025-01", "P", "3000", "-1500", module=o)
    g.line("2025-01", "S", "1000", "500", module=o).line("2025-01", "S", "3000", "-500", module=o)
    g.line("2025-01", "P", "1000", "100").line("2025-01", "P", "4000", "-100")
    g.line("2025-02", "P", "1100", "60").line("2025-02", "P", "4000", "-60")
    g.line("2026-01", "P", "1000", "200").line("2026-01", "P", "4000", "-200")
    g.line("2026-02", "P", "1000", "60").line("2026-02", "P", "1100", "-60")
    g.line("2026-02", "S", "1000", "20").line("2026-02", "S", "4000", "-20")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post(*PERIODS)
    for period in PERIODS:
        g.consolidate(period)
        manage_period(g.settings, g.con, period)
        check(g.settings, g.con, period)
    return g


def report(g: Group, *periods: str) -> Path:
    """Report ``periods`` in order; the last one's ``out/PERIOD``."""
    out = Path()
    for period in periods:
        out = write_reports(g.settings, g.con, period).out_dir
    return out

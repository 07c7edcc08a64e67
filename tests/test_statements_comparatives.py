"""Comparatives of the statement of changes in equity and of the
roll-forwards (IAS 1.38, IAS 34.20(c); SPEC 19.2, 10): the same months a
year earlier, each block labelled with the months it covers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from closekit.manage import manage_period
from closekit.report.excel import write_workbooks
from tests.test_consolidate_helpers import Group

PERIODS = ("2025-01", "2025-02", "2026-01", "2026-02")


def two_years(tmp_path: Path) -> Group:
    """P (CNY) holds 80% of S (CNY) from the first period, 2025-01; fiscal
    years are calendar years and the period folders are January and
    February of 2025 and 2026 (so 2025-02 is the prior year end of 2026).

    Opening rows: P cash 1,100, investment in S 400, share capital -1,500;
    S cash 500, share capital -500 (P's 80% = 400: no goodwill, NCI 100).
    P earns 100 in January 2025 and 200 in January 2026; S earns 50 in
    February 2025 and 20 in February 2026; P pays its shareholders a
    dividend of 30 in February 2025.

    Jan-Feb 2025 (from the opening rows): share capital 1,500; profit
    owners 100 + 80% x 50 = 140.00, NCI 10.00; dividends to owners (30.00);
    closing retained earnings 110.00, NCI 110.00.
    Jan-Feb 2026 (from the balance at 2025-02): profit owners 200 + 80% x
    20 = 216.00, NCI 4.00; closing retained earnings 326.00, NCI 114.00.
    NCI roll-forward of S: 2025 opening 100 + profit 10 = 110; 2026 opening
    110 + profit 4 = 114.
    """
    g = Group(tmp_path).entity("P").entity("S", parent="P", pct="80")
    for period in PERIODS:
        g.rate(period, "CNY", "1", "1")
    o = "opening"
    g.line("2025-01", "P", "1000", "1100", module=o).line(
        "2025-01", "P", "1500", "400", "S", module=o
    )
    g.line("2025-01", "P", "3000", "-1500", module=o)
    g.line("2025-01", "S", "1000", "500", module=o).line("2025-01", "S", "3000", "-500", module=o)
    g.line("2025-01", "P", "1000", "100").line("2025-01", "P", "4000", "-100")
    g.line("2025-02", "S", "1000", "50").line("2025-02", "S", "4000", "-50")
    g.line("2025-02", "P", "3200", "30", flow="dividend").line("2025-02", "P", "1000", "-30")
    g.line("2026-01", "P", "1000", "200").line("2026-01", "P", "4000", "-200")
    g.line("2026-02", "S", "1000", "20").line("2026-02", "S", "4000", "-20")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post(*PERIODS)
    for period in PERIODS:
        g.consolidate(period)
        manage_period(g.settings, g.con, period)
    return g


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("comparatives")
    g = two_years(root / "ws")
    paths = write_workbooks(g.settings, g.con, "2026-02", root / "out", draft=False)
    return openpyxl.load_workbook(paths[0])


def rows(ws: Any) -> list[list[Any]]:
    return [[v for v in row if v not in (None, "")] for row in ws.iter_rows(values_only=True)]


def test_the_equity_statement_of_the_year_and_of_the_same_months_a_year_earlier(
    book: Any,
) -> None:
    found = rows(book["Changes in Equity"])
    start = found.index(["Jan–Feb 2026"])
    earlier = found.index(["Jan–Feb 2025"])
    assert start < earlier
    # label, share capital, other reserves, translation reserve, retained
    # earnings, owners, NCI, total
    assert found[start + 1 : earlier - 1] == [
        ["Balance at 2025-02", 1500, 0, 0, 110, 1610, 110, 1720],
        ["Profit for the period", 0, 0, 0, 216, 216, 4, 220],
        ["Total comprehensive income", 0, 0, 0, 216, 216, 4, 220],
        ["Balance at 2026-02", 1500, 0, 0, 326, 1826, 114, 1940],
    ]
    assert found[earlier + 1 : earlier + 6] == [
        ["Opening balances (first period)", 1500, 0, 0, 0, 1500, 100, 1600],
        ["Profit for the period", 0, 0, 0, 140, 140, 10, 150],
        ["Total comprehensive income", 0, 0, 0, 140, 140, 10, 150],
        ["Dividends to owners of the parent", 0, 0, 0, -30, -30, 0, -30],
        ["Balance at 2025-02", 1500, 0, 0, 110, 1610, 110, 1720],
    ]


def test_each_roll_forward_of_the_year_and_of_the_same_months_a_year_earlier(
    book: Any,
) -> None:
    found = rows(book["Roll-forwards"])
    now = found.index(["Non-controlling interests per subsidiary — Jan–Feb 2026"])
    before = found.index(["Non-controlling interests per subsidiary — Jan–Feb 2025"])
    assert found[now + 1 : now + 3] == [
        ["opening", "profit", "closing"],
        ["S", "NCI 20.00%", 110, 4, 114],
    ]
    assert found[before + 1 : before + 3] == [
        ["opening", "profit", "closing"],
        ["S", "NCI 20.00%", 100, 10, 110],
    ]
    titles = [r[0] for r in found if r and str(r[0]).startswith(("Goodwill", "Cumulative"))]
    assert titles == [
        "Goodwill per acquisition — Jan–Feb 2026",
        "Goodwill per acquisition — Jan–Feb 2025",
        "Cumulative translation adjustment per entity — Jan–Feb 2026",
        "Cumulative translation adjustment per entity — Jan–Feb 2025",
    ]

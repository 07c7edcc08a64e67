"""Unrealised profit on transactions with an associate, derived by hand
(SPEC 16.2, 18.1; IAS 28.28). The docstring is the derivation.

P (CNY) holds 30% of A (CNY, an associate from the first period) at a cost
of 3,000. Margins (ic_margins.csv): P 25%, A 20%, from 2026-01. Accounts:
1400 inventory (role inventory), 4700 share of profit of associates, 6700
``[accounts] unrealised_profit``.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_acquisition import node_tb
from tests.test_consolidate_helpers import Group, d


def test_upstream_and_downstream_profit_with_an_associate(tmp_path: Path) -> None:
    """January: P sells goods costing 750 to A for 1,000 (downstream); A
    sells goods costing 1,600 to P for 2,000 (upstream); both still in
    stock. A's result 400, P's pickup 30% x 400 = 120.00.

    Upstream: P's stock from A 2,000 x 20% = 400; P's 30% = 120.00: Cr P's
    inventory, Dr share of profit of A (which falls to 0: all A's profit is
    in P's stock). Downstream: A's stock from P 1,000 x 25% = 250; 30% =
    75.00: Cr P's investment in A, Dr unrealised profit. Group profit 1,000
    - 750 - 75 = 175 (the other investors' 70% of P's margin is earned).
    Investment 3,000 + 120 - 75 = 3,045.00; inventory 2,000 - 120 =
    1,880.00.

    February: A sells half of P's goods to outsiders for 700 (result 200,
    pickup 60): A's stock from P 500, URP 125, 30% = 37.50 (the year's
    movement 75 - 37.50). Share of profit 30% x 600 - 120 = 60.00;
    investment 3,000 + 180 - 37.50 = 3,142.50."""
    g = Group(tmp_path).entity("P").entity("A", parent="P", pct="30", method="equity")
    g.account("1400", "asset", "closing", "", "inventory").account("4700", "revenue", "average")
    g.account("6700", "expense", "average")
    g.accounts(associate_result="4700", unrealised_profit="6700")
    g.con.executemany(
        "INSERT INTO ic_margin VALUES ('2026-01', ?, ?, 'master/ic_margins.csv', ?)",
        [("P", d("25"), 2), ("A", d("20"), 3)],
    )
    g.line("2026-01", "P", "1000", "6250", module="opening")
    g.line("2026-01", "P", "1400", "750", module="opening")
    g.line("2026-01", "P", "1500", "3000", partner="A", module="opening")
    g.line("2026-01", "P", "3000", "-10000", module="opening")
    g.line("2026-01", "P", "1000", "1000").line("2026-01", "P", "4000", "-1000")
    g.line("2026-01", "P", "5000", "750").line("2026-01", "P", "1400", "-750")
    g.line("2026-01", "P", "1400", "2000", partner="A").line("2026-01", "P", "1000", "-2000")
    g.line("2026-01", "A", "1000", "8400", module="opening")
    g.line("2026-01", "A", "1400", "1600", module="opening")
    g.line("2026-01", "A", "3000", "-10000", module="opening")
    g.line("2026-01", "A", "1400", "1000", partner="P").line("2026-01", "A", "1000", "-1000")
    g.line("2026-01", "A", "1000", "2000").line("2026-01", "A", "4000", "-2000")
    g.line("2026-01", "A", "5000", "1600").line("2026-01", "A", "1400", "-1600")
    g.line("2026-02", "A", "1000", "700").line("2026-02", "A", "4000", "-700")
    g.line("2026-02", "A", "5000", "500").line("2026-02", "A", "1400", "-500", partner="P")
    g.post("2026-01", "2026-02")
    g.consolidate("2026-01")
    assert node_tb(g, "2026-01") == {
        "1000": d("5250.00"),
        "1400": d("1880.00"),
        "1500": d("3045.00"),
        "3000": d("-10000.00"),
        "4000": d("-1000.00"),
        "5000": d("750.00"),
        "6700": d("75.00"),
    }
    g.consolidate("2026-02")
    assert node_tb(g, "2026-02") == {
        "1000": d("5250.00"),
        "1400": d("1880.00"),
        "1500": d("3142.50"),
        "3000": d("-10000.00"),
        "4000": d("-1000.00"),
        "4700": d("-60.00"),
        "5000": d("750.00"),
        "6700": d("37.50"),
    }

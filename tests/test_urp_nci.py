"""Upstream unrealised profit and NCI (SPEC 18.1, 17), on tests/test_urp.py's group.

T (60% owned) sells to P at 20%, 22.5% from 2027-01; the URP entry belongs
to T, so T's NCI (40%) bears 40% of it:

    2026-12  URP movement in P&L 1,000.00 (a loss of T for NCI):
             NCI in results 40% x 1,000 = 400.00: Cr 8900 400.00, Dr 3900 400.00
    2027-01  P&L 575.00: NCI in results 230.00 (Cr 8900, Dr 3900);
             the prior year's 1,000.00 on retained earnings: NCI in reserves
             40% x 1,000 = 400.00 (Cr 3200, Dr 3900)
             NCI equity: 400 + 230 = 630.00 = 40% x URP 1,575.00
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_consolidate_helpers import Group, d
from test_urp import _group


def _nci(g: Group, period: str) -> dict[tuple[str, str], Decimal]:
    rows = g.con.execute(
        "SELECT step, account, sum(amount_group) FROM consolidation_entry "
        "WHERE period = ? AND node = 'P' AND entity = 'T' AND step LIKE 'nci%' GROUP BY ALL",
        [period],
    ).fetchall()
    return {(s, a): Decimal(x) for s, a, x in rows}


def test_the_sellers_nci_bears_its_share_of_upstream_urp(tmp_path: Path) -> None:
    g = _group(tmp_path)
    g.consolidate("2026-12")
    assert _nci(g, "2026-12") == {
        ("nci_result", "8900"): d("-400.00"),
        ("nci_result", "3900"): d("400.00"),
    }
    g.consolidate("2027-01")
    assert _nci(g, "2027-01") == {
        ("nci_result", "8900"): d("-230.00"),
        ("nci_result", "3900"): d("230.00"),
        ("nci_reserves", "3200"): d("-400.00"),
        ("nci_reserves", "3900"): d("400.00"),
    }

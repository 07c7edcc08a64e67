"""NCI in the statements when NCI's result includes node entries that belong
to a subsidiary (SPEC 17, 19.1): the flows give NCI the same share of profit
as the NCI-in-results entries, and an intra-group dividend is no dividend to
NCI."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from closekit.checks.base import CheckContext
from closekit.checks.statements import CHECKS
from closekit.statements.cash_flow import cash_flow_statement
from closekit.statements.equity import equity_statement
from closekit.statements.income import comprehensive_income
from closekit.statements.rollforward import nci_rollforward
from tests.test_consolidate_helpers import Group

D = Decimal


def dividend_through_an_intermediate(tmp_path: Path) -> Group:
    """P holds 80% of H, H all of T (CNY, members from the first period,
    2026-01; capital as opening rows: P's investment 800 in H, H's 1,000 in
    T, T's cash 1,000). T earns 2,000 and declares 1,000 to H (retained
    earnings debited, flow dividend); H earns 500 of its own and books the
    1,000 as dividend income (4500, role dividend_income, plug 3200).

    What NCI (20% of H, and through H of T) shares in (SPEC 17): H's result
    without the eliminated dividend, 500, and T's 2,000: NCI in profit =
    0.2 x 500 + 0.2 x 2,000 = 500.00, as the NCI-in-results entries say.
    The eliminated dividend belongs to H: its reserves get +1,000 (the plug,
    flow dividend: NCI's share 200 more), T's lose 1,000 (NCI's share 200
    less), so dividends to NCI are nil: nothing left the group. NCI: 20% of
    H's capital 1,000 (200.00, opening) + 500 = 700.00.

    Equity statement (credit positive): opening share capital 800, NCI 200;
    profit 2,500 = owners 2,000 + NCI 500; no dividend row; closing share
    capital 800, retained earnings 2,000, NCI 700, total 3,500 = cash
    (T 1,000 + 2,000 - 1,000, H 1,000 + 500). Cash flows: profit 2,500 =
    the change in cash 3,500 - 1,000. Before this was right the statements
    took NCI's profit from the subsidiaries' own books, 0.2 x (1,500 +
    2,000) = 700, and showed 200 of dividends paid to NCI."""
    g = Group(tmp_path).entity("P").entity("H", parent="P", pct="80").entity("T", parent="H")
    g.account("4500", "revenue", "average", "3200", "dividend_income")
    o = "opening"
    g.line("2026-01", "P", "1500", "800", partner="H", module=o)
    g.line("2026-01", "P", "3000", "-800", module=o)
    g.line("2026-01", "H", "1500", "1000", partner="T", module=o)
    g.line("2026-01", "H", "3000", "-1000", module=o)
    g.line("2026-01", "T", "1000", "1000", module=o).line("2026-01", "T", "3000", "-1000", module=o)
    g.line("2026-01", "T", "1000", "2000").line("2026-01", "T", "4000", "-2000")
    g.line("2026-01", "T", "3200", "1000", partner="H", flow="dividend")
    g.line("2026-01", "T", "1000", "-1000", flow="dividend")
    g.line("2026-01", "H", "1000", "1000").line("2026-01", "H", "4500", "-1000", partner="T")
    g.line("2026-01", "H", "1000", "500").line("2026-01", "H", "4000", "-500")
    g.con.execute("UPDATE account SET cash_flow = 'cash' WHERE account = '1000'")
    g.post("2026-01").consolidate("2026-01")
    return g


def test_nci_profit_in_the_statements_is_nci_in_results(tmp_path: Path) -> None:
    g = dividend_through_an_intermediate(tmp_path)
    rows = {r.row: r.amounts for r in equity_statement(g.con, g.settings, "2026-01").rows}
    # share capital, other reserves, translation reserve, retained earnings,
    # owners, NCI, total
    assert rows == {
        "opening": (D(800), D(0), D(0), D(0), D(800), D(200), D(1000)),
        "profit": (D(0), D(0), D(0), D(2000), D(2000), D(500), D(2500)),
        "comprehensive": (D(0), D(0), D(0), D(2000), D(2000), D(500), D(2500)),
        "closing": (D(800), D(0), D(0), D(2000), D(2800), D(700), D(3500)),
    }
    income = comprehensive_income(g.con, g.settings, "2026-01")
    assert [(x.line, x.owners, x.nci, x.total) for x in income.lines] == [
        ("profit", D(2000), D(500), D(2500)),
        ("oci", D(0), D(0), D(0)),
        ("comprehensive", D(2000), D(500), D(2500)),
    ]
    (nci_in_profit,) = g.con.execute(
        "SELECT sum(amount_group) FROM consolidation_entry "
        "WHERE period = '2026-01' AND node = 'P' AND step = 'nci_result' AND account = '8900'"
    ).fetchone()
    assert nci_in_profit == D("500.00")


def test_an_intra_group_dividend_is_no_dividend_to_nci(tmp_path: Path) -> None:
    g = dividend_through_an_intermediate(tmp_path)
    statement = cash_flow_statement(g.con, g.settings, "2026-01")
    assert [(line.section, line.line, line.amount) for line in statement.lines] == [
        ("operating", "profit", D("2500.00")),
    ]
    assert (statement.cash_opening, statement.cash_closing) == (D("1000.00"), D("3500.00"))
    # per subsidiary: H's NCI gains its share of the dividend it received,
    # T's loses its share of the dividend it paid; no exchange differences
    nci = nci_rollforward(g.con, g.settings, "2026-01")
    assert nci.flows == ("opening", "profit", "dividend")
    assert [(x.item, x.amounts) for x in nci.lines] == [
        ("H", (D(200), D(100), D(200), D(500))),
        ("T", (D(0), D(400), D(-200), D(200))),
    ]
    ctx = CheckContext(g.settings, g.con, "2026-01")
    assert [(c.__name__, c(ctx).status) for c in CHECKS] == [(c.__name__, "pass") for c in CHECKS]

"""Entity trial balances: cumulative balance sheet, YTD P&L, the fiscal-year roll, drill."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closekit import db
from closekit.errors import PeriodError, UnknownCode
from closekit.ledger import balance_query, drill, ledger_lines_query, trial_balance
from closekit.periods import fiscal_year_start
from closekit.post import post_period, write_totals
from tests.inline import DEFAULT_TOML
from tests.test_post_fixture import books, money, source, tb

DECEMBER = {
    "sales": """
        doc_id,line,date,entity,currency,kind,profit_center,net_amount,tax_amount
        S1,1,2025-12-10,P,CNY,goods,PC1,1000.00,
    """,
    "expenses": """
        doc_id,line,date,entity,currency,kind,cost_center,net_amount,tax_amount
        E1,1,2025-12-20,P,CNY,travel,CC1,300.00,
    """,
}
JANUARY_SALES = """
    doc_id,line,date,entity,currency,kind,profit_center,net_amount,tax_amount
    S9,1,2026-01-10,P,CNY,goods,PC2,200.00,
"""


@pytest.fixture
def year_end(tmp_path: Path):  # type: ignore[no-untyped-def]
    """December 2025 (a profit of 700) and January 2026, fiscal year = calendar year."""
    settings, con = books(tmp_path, periods=("2025-12", "2026-01"))
    for module, text in DECEMBER.items():
        source(con, "2025-12", module, text)
    post_period(settings, con, "2025-12")
    source(con, "2026-01", "sales", JANUARY_SALES)
    post_period(settings, con, "2026-01")
    return settings, con


def test_at_the_fiscal_year_start_last_years_result_rolls_into_retained_earnings(
    year_end,  # type: ignore[no-untyped-def]
) -> None:
    settings, con = year_end
    # December: Dr 1100 1000 / Cr 4000 1000; Dr 6100 300 / Cr 2000 300. Profit 700.
    assert tb(con, settings, "2025-12", "P") == money(
        {"1100": "1000.00", "2000": "-300.00", "4000": "-1000.00", "6100": "300.00"}
    )
    # January YTD: P&L restarts; December's -1000 + 300 = -700 stands on retained earnings.
    assert tb(con, settings, "2026-01", "P") == money(
        {"1100": "1200.00", "2000": "-300.00", "3200": "-700.00", "4000": "-200.00"}
    )
    # January's movement: balance(Jan) - balance(Dec after its roll); the roll itself
    # is no movement of January.
    assert tb(con, settings, "2026-01", "P", basis="period") == money(
        {"1100": "200.00", "4000": "-200.00"}
    )
    # Before the first period every balance is zero: December's movement is its balance.
    assert tb(con, settings, "2025-12", "P", basis="period") == tb(con, settings, "2025-12", "P")


def test_the_roll_carries_empty_dimensions(year_end) -> None:  # type: ignore[no-untyped-def]
    settings, con = year_end
    rows = con.execute(
        f"SELECT * FROM ({balance_query(settings, '2026-01')}) ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("P", "1100", "", "PC1", "", Decimal("1000.00")),
        ("P", "1100", "", "PC2", "", Decimal("200.00")),
        ("P", "2000", "", "", "CC1", Decimal("-300.00")),
        ("P", "3200", "", "", "", Decimal("-700.00")),
        ("P", "4000", "", "PC2", "", Decimal("-200.00")),
    ]


def test_drill_lists_the_lines_behind_a_balance_with_their_source(year_end) -> None:  # type: ignore[no-untyped-def]
    settings, con = year_end
    receivable = drill(con, settings, "2026-01", "1100", "P")
    assert [(d.period, d.amount, d.source) for d in receivable] == [
        ("2025-12", Decimal("1000.00"), "ledgers/2025-12/sales.csv:2"),
        ("2026-01", Decimal("200.00"), "ledgers/2026-01/sales.csv:2"),
    ]
    # Retained earnings: the closed year's P&L lines, each on its own account
    # (in source order: expenses.csv before sales.csv).
    retained = drill(con, settings, "2026-01", "3200", "P")
    assert [(d.account, d.amount) for d in retained] == [
        ("6100", Decimal("300.00")),
        ("4000", Decimal("-1000.00")),
    ]
    assert sum(d.amount for d in retained) == Decimal("-700.00")
    # P&L: the year in progress only; filters by dimension; a limit.
    assert [d.doc_id for d in drill(con, settings, "2026-01", "4000", "P")] == ["S9"]
    assert [d.doc_id for d in drill(con, settings, "2026-01", "1100", "P", "PC2")] == ["S9"]
    assert drill(con, settings, "2026-01", "1100", "P", cost_center="CC1") == []
    assert len(drill(con, settings, "2026-01", "1100", "P", limit=1)) == 1


def test_a_fiscal_year_starting_in_april_rolls_in_april(tmp_path: Path) -> None:
    toml = DEFAULT_TOML.replace("fiscal_year_start = 1", "fiscal_year_start = 4")
    settings, con = books(tmp_path, periods=("2026-03", "2026-04"), toml=toml)
    source(con, "2026-03", "sales", JANUARY_SALES.replace("2026-01", "2026-03"))
    post_period(settings, con, "2026-03")
    source(con, "2026-04", "sales", JANUARY_SALES.replace("2026-01", "2026-04"))
    post_period(settings, con, "2026-04")
    assert tb(con, settings, "2026-04", "P") == money(
        {"1100": "400.00", "3200": "-200.00", "4000": "-200.00"}
    )


def test_unknown_codes_and_unposted_periods_are_refused(year_end) -> None:  # type: ignore[no-untyped-def]
    settings, con = year_end
    with pytest.raises(UnknownCode, match="unknown entity 'X'"):
        trial_balance(con, settings, "2026-01", "X")
    with pytest.raises(UnknownCode, match="unknown account '9999'"):
        drill(con, settings, "2026-01", "9999", "P")
    # the first step missing: 2026-02 was never loaded
    with pytest.raises(PeriodError, match="period 2026-02 is not loaded yet"):
        trial_balance(con, settings, "2026-02", "P")


# Lines over three fiscal years (calendar years), on balance-sheet and P&L
# accounts (3200 is retained earnings), with and without dimensions and
# group amounts.
_PERIODS = ("2024-11", "2024-12", "2025-01", "2025-06", "2025-12", "2026-01", "2026-02")
_LINE = st.tuples(
    st.sampled_from(_PERIODS),
    st.sampled_from(["P", "U"]),
    st.sampled_from(["1000", "1100", "2000", "3200", "4000", "4100", "6000", "6100"]),
    st.sampled_from(["", "U"]),
    st.sampled_from(["", "PC1"]),
    st.sampled_from(["", "CC1"]),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.none() | st.decimals(min_value=-(10**9), max_value=10**9, places=2),
)


@pytest.mark.slow
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(_LINE, min_size=1, max_size=40))
def test_balances_from_the_period_totals_are_those_of_the_lines(
    tmp_path: Path, lines: list[tuple[Any, ...]]
) -> None:
    """balance_query sums journal_total; summing the lines themselves, as
    drill-down assigns them to balances (ledger_lines_query), gives the same
    balances at every period, fiscal-year roll included."""
    config, con = books(tmp_path, periods=_PERIODS)
    con.executemany(
        "INSERT INTO journal (period, date, entity, account, partner, profit_center, cost_center, "
        "module, doc_id, line, currency, amount_doc, amount, amount_group) "
        "VALUES (?, CAST(? || '-01' AS DATE), ?, ?, ?, ?, ?, 'journals', 'J', '1', 'CNY', ?, ?, ?)",
        [(p, p, e, a, pa, pc, cc, x, x, g) for p, e, a, pa, pc, cc, x, g in lines],
    )
    write_totals(con)
    for period in _PERIODS:
        year_start = fiscal_year_start(period, config.fiscal_year_start)
        by_lines = f"""
            SELECT entity, b_account, b_partner, b_profit_center, b_cost_center,
                   sum(amount)::DECIMAL(18, 2)
            FROM ({ledger_lines_query(config, period, year_start)})
            GROUP BY ALL HAVING sum(amount) <> 0 ORDER BY ALL"""
        by_totals = f"SELECT * FROM ({balance_query(config, period)}) ORDER BY ALL"
        assert con.execute(by_totals).fetchall() == con.execute(by_lines).fetchall()
    con.close()


def test_a_journal_posted_before_the_period_totals_gets_them_from_migration_009() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE schema_migration (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for name, sql in db.migrations():
        if name < "009":
            con.execute(sql)
            con.execute("INSERT INTO schema_migration VALUES (?, now())", [name])
    con.executemany(
        "INSERT INTO journal (period, date, entity, account, partner, module, doc_id, line, "
        "currency, amount_doc, amount, amount_group) "
        "VALUES (?, DATE '2026-01-31', 'P', ?, ?, 'journals', 'J', '1', 'CNY', ?, ?, ?)",
        [
            ("2026-01", "1000", "", 5, 5, None),
            ("2026-01", "1000", "", 7, 7, None),
            ("2026-01", "1000", "U", 1, 1, 2),
            ("2026-02", "4000", "", -3, -3, None),
        ],
    )
    db.migrate(con)
    assert con.execute("SELECT * FROM journal_total ORDER BY ALL").fetchall() == [
        # (080 then splits them by flow: these lines are all movements)
        ("2026-01", "P", "1000", "", "", "", False, Decimal("12.00"), None, "movement"),
        ("2026-01", "P", "1000", "U", "", "", True, Decimal("1.00"), Decimal("2.00"), "movement"),
        ("2026-02", "P", "4000", "", "", "", False, Decimal("-3.00"), None, "movement"),
    ]

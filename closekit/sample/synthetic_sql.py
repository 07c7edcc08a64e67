"""The SQL that generates one synthetic period in an in-memory DuckDB: the
order of the month's steps, then its payroll, travel claims and month-end
journals, and the month's results that size the opening balances.

Rows come from ``range(n)``; every pseudo-random choice is DuckDB's ``hash``
of (row, stream, seed), so the same options give the same rows. The lookup
tables and output columns are :mod:`closekit.sample.synthetic_tables`'s; the
month's trade is :mod:`closekit.sample.synthetic_trade`'s.

Working tables, one row per source row: ``sales``, ``purchasing``,
``inventory``, ``expenses`` (with ``net_cents``, ``tax_cents`` or
``value_cents``, the entity's ``functional`` currency, ``third_party`` and
``seq`` for file order) and ``journals`` (``amount_cents`` signed).
"""

from __future__ import annotations

from decimal import Decimal

import duckdb

from closekit.sample import chart
from closekit.sample.synthetic_master import Master, Size, days_in
from closekit.sample.synthetic_trade import (
    intercompany,
    purchases,
    stock_issues,
    third_party_sales,
)


def generate_period(
    con: duckdb.DuckDBPyConnection, m: Master, size: Size, k: int, period: str
) -> None:
    """(Re)build the working tables of period number ``k``."""
    days = days_in(period)
    con.execute(f"CREATE OR REPLACE MACRO rnd(i, stream) AS hash(i, stream, {size.seed}, {k})")
    con.execute(
        f"CREATE OR REPLACE MACRO day_of(i, stream) AS "
        f"DATE '{period}-01' + (rnd(i, stream) % {days})::INTEGER"
    )
    con.execute(f"CREATE OR REPLACE MACRO month_end() AS DATE '{period}-01' + {days - 1}")
    code = period[2:4] + period[5:]
    sellers = sum(1 for e in m.entities if e.role in ("operating", "factory"))
    n_sales = size.lines * 48 // 100
    third_party_sales(con, code, n_sales, sellers, len(m.profit_centers) - 1)
    intercompany(
        con,
        code,
        max(1, size.lines // 20_000),
        len(m.profit_centers) - 1,
        m.corporate_profit_center,
    )
    stock_issues(con)
    purchases(con, code, size.lines * 6 // 100, sellers)
    pay = max(100, 18_000 * size.lines // 250_000)
    travel = max(size.lines * 46 // 100 - n_sales * 85 // 100 - len(m.cost_centers), 0)
    _expenses(con, code, pay, travel, len(m.entities))
    _journals(con, code)


def _expenses(
    con: duckdb.DuckDBPyConnection, code: str, pay: int, travel: int, entities: int
) -> None:
    """Payroll for every cost center (``pay`` CNY a head, +-5%); travel claims
    on random cost centers with the entity's service tax."""
    con.execute(f"""
        INSERT INTO expenses
        SELECT cc.entity || '-PY-{code}-' || lpad(cidx::VARCHAR, 5, '0'), 1, month_end(),
            cc.entity, e.currency,
               'salaries', 'Payroll', NULL, NULL, cost_center, 'Salaries of the month',
               whole(headcount::BIGINT * {pay * 100} * (95 + rnd(cidx, 21) % 10)::BIGINT *
                   factor_e4 // 1000000,
                     e.minor),
               0, e.currency, true, cidx
        FROM cc JOIN ent e USING (entity) JOIN conv ON conv.from_currency = 'CNY' AND
            conv.to_currency = e.currency
    """)
    con.execute(f"""
        INSERT INTO expenses
        WITH pick AS (
            SELECT range AS i, e.entity, e.currency, e.minor, e.services_pct,
                   (rnd(range, 22) % e.cost_centers)::INTEGER AS k
            FROM range({travel}) JOIN ent e ON e.eidx = (range * {entities} // {
        max(travel, 1)
    })::INTEGER
        ), claim AS (
            SELECT pick.*, cc.cost_center,
                   whole((30000 + rnd(i, 23) % 1200000)::BIGINT * factor_e4 // 10000, pick.minor)
                       AS net_cents
            FROM pick JOIN cc USING (entity, k)
                 JOIN conv ON conv.from_currency = 'CNY' AND conv.to_currency = pick.currency
        )
        SELECT entity || '-TR-{code}-' || lpad(i::VARCHAR, 7, '0'), 1, day_of(i, 24), entity,
            currency, 'travel',
               'Employee expense claim', NULL, NULL, cost_center, 'Business travel', net_cents,
               tax_of(net_cents, services_pct, minor), currency, true, i
        FROM claim
    """)


def _journals(con: duckdb.DuckDBPyConnection, code: str) -> None:
    """Month-end journals per entity: depreciation; customer collections and
    supplier payments of 80% of the month's functional-currency invoices;
    payroll and travel claims paid."""
    con.execute(f"""
        CREATE OR REPLACE TABLE cash_move AS
        SELECT entity, 'COL' AS what, '{chart.RECEIVABLES}' AS account,
               -(sum(net_cents + tax_cents) * 8 // 10) AS cents
        FROM sales WHERE third_party AND currency = functional GROUP BY entity
        UNION ALL
        SELECT entity, 'PAY', '{chart.PAYABLES}', sum(net_cents + tax_cents) * 8 // 10
        FROM purchasing WHERE third_party AND currency = functional GROUP BY entity
        UNION ALL
        SELECT entity, 'SAL', '{chart.ACCRUED_PAYROLL}', sum(net_cents) FROM expenses
        WHERE kind = 'salaries' GROUP BY entity
        UNION ALL
        SELECT entity, 'EXP', '{chart.ACCRUALS}', sum(net_cents + tax_cents) FROM expenses
        WHERE kind = 'travel' GROUP BY entity
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE journals AS
        WITH line AS (
            SELECT entity || '-DEP-{code}' AS doc_id, 1 AS line, entity, currency,
                   '{chart.DEPRECIATION}' AS account, finance_cc AS cost_center, depreciation_cents
                       AS amount_cents
            FROM ent
            UNION ALL
            SELECT entity || '-DEP-{code}', 2, entity, currency,
                '{chart.ACCUMULATED_DEPRECIATION}', NULL,
                   -depreciation_cents
            FROM ent
            UNION ALL
            SELECT entity || '-' || what || '-{code}', 1, entity, e.currency, account, NULL,
                   whole(cents, e.minor)
            FROM cash_move JOIN ent e USING (entity)
            UNION ALL
            SELECT entity || '-' || what || '-{code}', 2, entity, e.currency, '{chart.CASH}', NULL,
                   -whole(cents, e.minor)
            FROM cash_move JOIN ent e USING (entity)
        )
        SELECT doc_id, line, month_end() AS date, entity, currency, account, NULL::VARCHAR AS
            partner,
               NULL::VARCHAR AS profit_center, cost_center, amount_cents,
               CASE WHEN account = '{chart.DEPRECIATION}' THEN 'Depreciation of the month'
                    ELSE 'Cash of the month' END AS description,
               0::BIGINT AS seq
        FROM line WHERE amount_cents <> 0
    """)


def month_results(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str, Decimal]]:
    """The month's third-party results and open items in functional currency
    (entity, account, profit center, cost center, amount), to size the
    opening balances from."""
    rows = con.execute(f"""
        SELECT entity, CASE kind WHEN 'goods' THEN '{chart.REVENUE_GOODS}' ELSE
            '{chart.REVENUE_SERVICES}' END,
               profit_center, '', -sum(net_cents * factor_e4 // 10000)
        FROM sales JOIN conv ON conv.from_currency = sales.currency AND conv.to_currency =
            sales.functional
        WHERE third_party GROUP BY ALL
        UNION ALL
        SELECT entity, '{chart.COST_OF_SALES}', profit_center, '', sum(value_cents)
        FROM inventory WHERE third_party GROUP BY ALL
        UNION ALL
        SELECT entity, CASE kind WHEN 'salaries' THEN '{chart.SALARIES}' ELSE '{chart.TRAVEL}' END,
            '',
               cost_center, sum(net_cents)
        FROM expenses WHERE third_party GROUP BY ALL
        UNION ALL
        SELECT entity, '{chart.RECEIVABLES}', '', '', sum(net_cents + tax_cents)
        FROM sales WHERE third_party AND currency = functional GROUP BY entity
        UNION ALL
        SELECT entity, '{chart.PAYABLES}', '', '', -sum(net_cents + tax_cents)
        FROM purchasing WHERE third_party AND currency = functional GROUP BY entity
        ORDER BY ALL
    """).fetchall()
    return [(e, a, pc or "", cc or "", Decimal(int(c)) / 100) for e, a, pc, cc, c in rows]

"""The SQL that generates one synthetic period in an in-memory DuckDB.

Rows come from ``range(n)``; every pseudo-random choice is DuckDB's ``hash``
of (row, stream, seed), so the same options give the same rows. Amounts are
computed as integer cents (BIGINT) and only turned into DECIMAL(18,2) when
written: integer arithmetic is exact and ten times faster than DECIMAL(38).
List prices are CNY; ``conv.factor_e4`` is the list-price ratio between two
currencies times 10,000, computed exactly in Python.

Working tables, one row per source row: ``sales``, ``purchasing``,
``inventory``, ``expenses`` (with ``net_cents``, ``tax_cents`` or
``value_cents``, the entity's ``functional`` currency, ``third_party`` and
``seq`` for file order) and ``journals`` (``amount_cents`` signed).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import duckdb
import pyarrow as pa

from closekit.sample import chart
from closekit.sample.chart import cents
from closekit.sample.synthetic_master import CURRENCIES, Master, Size, SynthEntity, days_in

# What each working table writes: SPEC's columns, money from integer cents.
_COLUMNS = {
    module: tuple(c for c in columns if c not in chart.DEMO_ONLY_COLUMNS)
    for module, columns in (
        ("sales", chart.SALES_COLUMNS),
        ("purchasing", chart.PURCHASING_COLUMNS),
        ("inventory", chart.INVENTORY_COLUMNS),
        ("expenses", chart.EXPENSES_COLUMNS),
        ("journals", chart.JOURNAL_COLUMNS),
    )
}
_MONEY = {
    "net_amount": "money_of(net_cents)",
    "tax_amount": "money_of(tax_cents)",
    "value": "money_of(value_cents)",
    "debit": "money_of(CASE WHEN amount_cents > 0 THEN amount_cents END)",
    "credit": "money_of(CASE WHEN amount_cents < 0 THEN -amount_cents END)",
    "amount_group": "NULL::DECIMAL(18,2)",
}
OUTPUT = {
    module: ", ".join(f"{_MONEY[c]} AS {c}" if c in _MONEY else c for c in columns)
    for module, columns in _COLUMNS.items()
}

_MACROS = """
CREATE MACRO money_of(c) AS (c::DECIMAL(18,0) * 0.01)::DECIMAL(18,2);
-- currencies without a minor unit (JPY, KRW) invoice whole units
CREATE MACRO whole(c, minor) AS CASE WHEN minor = 0 THEN (c + 50) // 100 * 100 ELSE c END;
-- indirect tax at a whole percentage, rounded half up to the minor unit
CREATE MACRO tax_of(net, pct, minor) AS
    CASE WHEN minor = 0 THEN (net * pct + 5000) // 10000 * 100 ELSE (net * pct + 50) // 100 END;
"""


def _create(
    con: duckdb.DuckDBPyConnection, name: str, columns: str, rows: Sequence[Sequence[object]]
) -> None:
    """Create table ``name`` (``columns``: "name TYPE, ...") from Python rows in one go."""
    names = [c.split()[0] for c in columns.split(", ")]
    types = [c.split(maxsplit=1)[1] for c in columns.split(", ")]
    arrow = pa.table(
        {
            n: pa.array([None if r[i] is None else str(r[i]) for r in rows], pa.string())
            for i, n in enumerate(names)
        }
    )
    con.register("python_rows", arrow)
    casts = ", ".join(f"CAST({n} AS {t}) AS {n}" for n, t in zip(names, types, strict=True))
    con.execute(f"CREATE TABLE {name} AS SELECT {casts} FROM python_rows")
    con.unregister("python_rows")


def depreciation_cents(e: SynthEntity) -> int:
    """A month of straight-line depreciation on PPE of twice the share
    capital over ten years, in cents of the entity's currency."""
    return int(cents(e.share_capital * 2 / 120, CURRENCIES[e.currency].minor) * 100)


def reference_tables(con: duckdb.DuckDBPyConnection, m: Master) -> None:
    """Lookup tables the period SQL joins to, keyed by dense indexes."""
    con.execute(_MACROS)
    centers: dict[str, list[str]] = {}
    cc_rows: list[tuple[object, ...]] = []
    for i, c in enumerate(m.cost_centers):
        # k: the cost center's number within its entity, to pick one at random;
        # an entity's first cost center is its finance department
        k = len(centers.setdefault(c.entity, []))
        centers[c.entity].append(c.cost_center)
        cc_rows.append((i, c.cost_center, c.entity, k, c.headcount))
    ent_rows: list[tuple[object, ...]] = []
    for i, e in enumerate(m.entities):
        cur = CURRENCIES[e.currency]
        ent_rows.append(
            (
                i,
                e.entity,
                e.currency,
                e.role,
                e.parent,
                centers[e.entity][0],
                len(centers[e.entity]),
                cur.minor,
                int(cur.goods * 100),
                int(cur.services * 100),
                depreciation_cents(e),
            )
        )
    _create(
        con,
        "ent",
        "eidx INTEGER, entity VARCHAR, currency VARCHAR, role VARCHAR, parent VARCHAR, "
        "finance_cc VARCHAR, cost_centers INTEGER, minor INTEGER, goods_pct BIGINT, "
        "services_pct BIGINT, depreciation_cents BIGINT",
        ent_rows,
    )
    con.execute(
        "CREATE TABLE seller AS SELECT (row_number() OVER (ORDER BY eidx) - 1)::INTEGER AS sidx, * "
        "FROM ent WHERE role IN ('operating', 'factory')"
    )
    _create(
        con,
        "cc",
        "cidx INTEGER, cost_center VARCHAR, entity VARCHAR, k INTEGER, headcount INTEGER",
        cc_rows,
    )
    pc_rows = [
        (i, p.profit_center, p.product, int(p.price * 100), p.max_quantity, p.kind)
        for i, p in enumerate(m.profit_centers[1:])
    ]
    _create(
        con,
        "pc",
        "pidx INTEGER, profit_center VARCHAR, product VARCHAR, price_cents BIGINT, "
        "max_quantity INTEGER, kind VARCHAR",
        pc_rows,
    )
    codes = sorted(CURRENCIES)
    conv_rows = [
        (a, b, int(cents(CURRENCIES[a].rate / CURRENCIES[b].rate * 10_000, 0)), CURRENCIES[b].minor)
        for a in codes
        for b in codes
    ]
    _create(
        con,
        "conv",
        "from_currency VARCHAR, to_currency VARCHAR, factor_e4 BIGINT, minor INTEGER",
        conv_rows,
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
    _third_party_sales(con, code, n_sales, sellers, len(m.profit_centers) - 1)
    _intercompany(
        con,
        code,
        max(1, size.lines // 20_000),
        len(m.profit_centers) - 1,
        m.corporate_profit_center,
    )
    _stock_issues(con)
    _purchases(con, code, size.lines * 6 // 100, sellers)
    pay = max(100, 18_000 * size.lines // 250_000)
    travel = max(size.lines * 46 // 100 - n_sales * 85 // 100 - len(m.cost_centers), 0)
    _expenses(con, code, pay, travel, len(m.entities))
    _journals(con, code)


def _third_party_sales(
    con: duckdb.DuckDBPyConnection, code: str, n: int, sellers: int, pcs: int
) -> None:
    """Three lines per invoice, each seller a block of invoice numbers (so the
    table is in entity order and each entity's file is one scan); one invoice
    in ten is in USD whatever the seller's currency (exports); domestic
    invoices carry the seller's tax."""
    con.execute(f"""
        CREATE OR REPLACE TABLE sales AS
        WITH pick AS (
            SELECT range AS i, range // 3 AS doc, (range % 3 + 1)::INTEGER AS line,
                   (range // 3 * {sellers} // {(n + 2) // 3})::INTEGER AS sidx,
                   rnd(range // 3, 2) % 10 = 0 AS in_usd, (rnd(range, 3) % {pcs})::INTEGER AS pidx
            FROM range({n})
        ), priced AS (
            SELECT pick.*, s.entity, s.currency AS functional, s.goods_pct, s.services_pct,
                   pc.profit_center, pc.product, pc.kind, pc.price_cents,
                   CASE WHEN in_usd THEN 'USD' ELSE s.currency END AS currency,
                   (1 + rnd(i, 4) % pc.max_quantity)::BIGINT AS quantity,
                   (90 + rnd(i, 5) % 20)::BIGINT AS price_level
            FROM pick JOIN seller s USING (sidx) JOIN pc USING (pidx)
        ), net AS (
            SELECT priced.*, conv.minor,
                   whole(quantity * price_cents * price_level * factor_e4 // 1000000, conv.minor)
                       AS net_cents
            FROM priced JOIN conv ON conv.from_currency = 'CNY' AND conv.to_currency =
                priced.currency
        )
        SELECT entity || '-SI-{code}-' || lpad(doc::VARCHAR, 7, '0') AS doc_id, line,
               day_of(doc, 6) AS date, entity, currency, kind,
               'Customer ' || lpad((rnd(doc, 7) % 20000)::VARCHAR, 5, '0') AS customer,
               NULL::VARCHAR AS partner, profit_center, product, quantity, net_cents,
               CASE WHEN currency <> functional THEN 0
                    ELSE tax_of(net_cents, CASE kind WHEN 'goods' THEN goods_pct ELSE services_pct
                        END, minor)
               END AS tax_cents,
               functional, true AS third_party, doc AS seq
        FROM net
    """)


def _intercompany(
    con: duckdb.DuckDBPyConnection, code: str, docs: int, pcs: int, corporate: str
) -> None:
    """Factories sell goods to every other operating company, invoiced in the
    buyer's currency at 85% of list; every parent charges each subsidiary a
    management fee of CNY 500,000 in the parent's currency. Seller: a sales
    row with the buyer as partner; buyer: a purchasing (stock) or expenses
    (mgmt_fee) row with the seller as partner, same currency and amounts.
    Only same-currency (domestic) trade carries tax."""
    con.execute("""
        CREATE OR REPLACE TABLE ic_pair AS
        SELECT (row_number() OVER (ORDER BY b.eidx, f.eidx) - 1)::INTEGER AS pair, f.entity AS
            seller,
               f.currency AS seller_currency, f.goods_pct, b.entity AS buyer, b.currency AS currency
        FROM ent f JOIN ent b ON f.role = 'factory' AND b.role = 'operating'
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE ic_goods AS
        WITH pick AS (
            SELECT range AS i, range // 2 AS doc, (range % 2 + 1)::INTEGER AS line,
                   (range // {2 * docs})::INTEGER AS pair, (rnd(range, 31) % {pcs})::INTEGER AS pidx
            FROM range((SELECT count(*) FROM ic_pair) * {2 * docs})
        ), priced AS (
            SELECT pick.*, p.*, pc.profit_center, pc.product, conv.minor,
                   (1 + rnd(i, 33) % pc.max_quantity)::BIGINT AS quantity,
                   whole((1 + rnd(i, 33) % pc.max_quantity)::BIGINT * pc.price_cents * 85 *
                       factor_e4 // 1000000,
                         conv.minor) AS net_cents
            FROM pick JOIN ic_pair p USING (pair) JOIN pc USING (pidx)
                 JOIN conv ON conv.from_currency = 'CNY' AND conv.to_currency = p.currency
            WHERE pc.kind = 'goods'
        )
        SELECT seller || '-IC-{code}-' || buyer || '-' || lpad((doc % {docs})::VARCHAR, 5, '0') AS
            doc_id,
               line, day_of(doc, 32) AS date, seller, seller_currency, buyer, currency,
                   profit_center,
               product, quantity, net_cents,
               CASE WHEN currency = seller_currency THEN tax_of(net_cents, goods_pct, minor) ELSE 0
                   END
                   AS tax_cents,
               doc AS seq
        FROM priced
    """)
    con.execute("""
        INSERT INTO sales
        SELECT doc_id, line, date, seller, currency, 'goods', buyer, buyer, profit_center, product,
            quantity,
               net_cents, tax_cents, seller_currency, false, seq
        FROM ic_goods
    """)
    con.execute("""
        CREATE OR REPLACE TABLE purchasing AS
        SELECT doc_id, line, date, buyer AS entity, currency, 'stock' AS kind, seller AS supplier,
               seller AS partner, profit_center, NULL::VARCHAR AS cost_center, product AS item,
                   quantity,
               net_cents, tax_cents, currency AS functional, false AS third_party, seq
        FROM ic_goods
    """)
    con.execute("""
        CREATE OR REPLACE TABLE fee AS
        SELECT p.entity AS seller, p.currency, c.entity AS buyer, c.currency AS functional,
               c.finance_cc, whole(50000000 * factor_e4 // 10000, conv.minor) AS net_cents,
               conv.minor, p.services_pct, p.currency = c.currency AS domestic
        FROM ent c JOIN ent p ON p.entity = c.parent
             JOIN conv ON conv.from_currency = 'CNY' AND conv.to_currency = p.currency
    """)
    con.execute(f"""
        INSERT INTO sales
        SELECT seller || '-SV-{code}-' || buyer, 1, month_end(), seller, currency, 'service',
            buyer, buyer,
               '{corporate}', 'Management services', 1, net_cents,
               CASE WHEN domestic THEN tax_of(net_cents, services_pct, minor) ELSE 0 END, currency,
                   false, 0
        FROM fee
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE expenses AS
        SELECT seller || '-SV-{code}-' || buyer AS doc_id, 1 AS line, month_end() AS date, buyer AS
            entity,
               currency, 'mgmt_fee' AS kind, seller AS payee, seller AS partner, NULL::VARCHAR AS
                   profit_center,
               finance_cc AS cost_center, 'Management fee' AS description, net_cents,
               CASE WHEN domestic THEN tax_of(net_cents, services_pct, minor) ELSE 0 END AS
                   tax_cents,
               functional, false AS third_party, 0::BIGINT AS seq
        FROM fee
    """)


def _stock_issues(con: duckdb.DuckDBPyConnection) -> None:
    """Every goods line issues stock at 70-85% of its value, in the seller's
    functional currency (inventory module); the delivery keeps the invoice's
    number."""
    con.execute("""
        CREATE OR REPLACE TABLE inventory AS
        SELECT doc_id, line, date, entity,
               functional AS currency, 'sale_issue' AS kind, NULL::VARCHAR AS partner,
                   profit_center,
               NULL::VARCHAR AS cost_center, product AS item, quantity,
               whole(net_cents * factor_e4 * (70 + rnd(seq * 4 + line, 41) % 16)::BIGINT //
                   1000000, conv.minor)
                   AS value_cents,
               third_party, seq
        FROM sales JOIN conv ON conv.from_currency = sales.currency AND conv.to_currency =
            sales.functional
        WHERE kind = 'goods'
    """)


def _purchases(con: duckdb.DuckDBPyConnection, code: str, n: int, buyers: int) -> None:
    """Two lines per invoice, one in seven in USD; one line in seven is a
    service on a cost center of the buyer, the rest components into stock."""
    con.execute(f"""
        INSERT INTO purchasing
        WITH pick AS (
            SELECT range AS i, range // 2 AS doc, (range % 2 + 1)::INTEGER AS line,
                   (range // 2 * {buyers} // {(n + 1) // 2})::INTEGER AS sidx,
                   rnd(range // 2, 12) % 7 = 0 AS in_usd, rnd(range, 13) % 7 = 0 AS is_service
            FROM range({n})
        ), priced AS (
            SELECT pick.*, s.entity, s.currency AS functional, s.goods_pct, s.services_pct,
                   CASE WHEN in_usd THEN 'USD' ELSE s.currency END AS currency,
                   (20 + rnd(i, 14) % 2000)::BIGINT AS quantity, (5000 + rnd(i, 15) %
                       240000)::BIGINT AS unit_cents,
                   (rnd(i, 18) % s.cost_centers)::INTEGER AS k
            FROM pick JOIN seller s USING (sidx)
        ), net AS (
            SELECT priced.*, conv.minor,
                   whole(quantity * unit_cents * factor_e4 // 10000, conv.minor) AS net_cents
            FROM priced JOIN conv ON conv.from_currency = 'CNY' AND conv.to_currency =
                priced.currency
        )
        SELECT entity || '-PI-{code}-' || lpad(doc::VARCHAR, 7, '0'), line, day_of(doc, 16),
            entity, currency,
               CASE WHEN is_service THEN 'service' ELSE 'stock' END,
               'Supplier ' || lpad((rnd(doc, 17) % 3000)::VARCHAR, 4, '0'), NULL, NULL,
               CASE WHEN is_service THEN cc.cost_center END,
               CASE WHEN is_service THEN 'Logistics and advisory services' ELSE 'Component lot' END,
               quantity, net_cents,
               CASE WHEN currency <> functional THEN 0
                    ELSE tax_of(net_cents, CASE WHEN is_service THEN services_pct ELSE goods_pct
                        END, minor) END,
               functional, true, doc
        FROM net JOIN cc USING (entity, k)
    """)


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

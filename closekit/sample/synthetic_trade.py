"""The trade of one synthetic month (closekit sample): third-party sales,
intragroup goods and management fees (both sides), stock issues and
purchases, as working tables ``sales``, ``purchasing``, ``inventory`` and
``expenses`` (the fees; payroll and travel are added by
:mod:`closekit.sample.synthetic_sql`).

Rows come from ``range(n)``; every pseudo-random choice is the ``rnd``
macro (DuckDB's ``hash`` of row, stream, seed and period), so the same
options give the same rows. Each seller is a block of document numbers, so
the tables are in entity order and each entity's file is one scan.
"""

from __future__ import annotations

import duckdb


def third_party_sales(
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


def intercompany(
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


def stock_issues(con: duckdb.DuckDBPyConnection) -> None:
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


def purchases(con: duckdb.DuckDBPyConnection, code: str, n: int, buyers: int) -> None:
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

"""The synthetic generator's fixed tables and output columns (closekit
sample): the lookup tables every period's SQL joins to (entities, sellers,
cost centers, profit centers, currency conversion factors), the money
macros, and what each working table writes (SPEC section 4's columns, money
from integer cents).

Amounts are computed as integer cents (BIGINT) and only turned into
DECIMAL(18,2) when written: integer arithmetic is exact and ten times faster
than DECIMAL(38). List prices are CNY; ``conv.factor_e4`` is the list-price
ratio between two currencies times 10,000, computed exactly in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from closekit.sample import file_columns
from closekit.sample.chart import cents
from closekit.sample.synthetic_master import CURRENCIES, Master, SynthEntity

# What each working table writes: SPEC's columns, money from integer cents.
_COLUMNS = {
    module: tuple(c for c in columns if c not in file_columns.DEMO_ONLY_COLUMNS)
    for module, columns in (
        ("sales", file_columns.SALES_COLUMNS),
        ("purchasing", file_columns.PURCHASING_COLUMNS),
        ("inventory", file_columns.INVENTORY_COLUMNS),
        ("expenses", file_columns.EXPENSES_COLUMNS),
        ("journals", file_columns.JOURNAL_COLUMNS),
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


def create_table(
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
    create_table(
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
    create_table(
        con,
        "cc",
        "cidx INTEGER, cost_center VARCHAR, entity VARCHAR, k INTEGER, headcount INTEGER",
        cc_rows,
    )
    pc_rows = [
        (i, p.profit_center, p.product, int(p.price * 100), p.max_quantity, p.kind)
        for i, p in enumerate(m.profit_centers[1:])
    ]
    create_table(
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
    create_table(
        con,
        "conv",
        "from_currency VARCHAR, to_currency VARCHAR, factor_e4 BIGINT, minor INTEGER",
        conv_rows,
    )

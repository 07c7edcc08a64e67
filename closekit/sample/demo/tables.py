"""The demo's files as tables: master data, and each period's ledgers with
amounts written to their currency's minor unit."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample import chart, file_columns, posting_rules
from closekit.sample.demo.events import CURRENCY, OWNERSHIP
from closekit.sample.demo.master import (
    BUSINESS_UNITS,
    FX_RATES,
    PROFIT_CENTERS,
    allocations,
)
from closekit.sample.demo.newcomers import GROUP_COST_CENTERS, GROUP_ENTITIES
from closekit.sample.demo.period import Period
from closekit.sample.demo.scenario import money
from closekit.sample.files import MONEY_COLUMNS, Cell, Table


def minor_units(table: Table) -> Table:
    """Amounts written to their currency's minor unit (``0.00`` for a zero
    tax, no decimals for yen); ``amount_group`` is always CNY, an opening
    ``amount`` the entity's currency."""
    currency, entity = table.columns.index("currency"), table.columns.index("entity")
    money_columns = [i for i, name in enumerate(table.columns) if name in MONEY_COLUMNS]
    # an opening row's ``amount`` is functional even when it names the
    # foreign currency it is held in (``amount_doc``)
    functional = {"amount_group": "CNY"}
    if "amount_doc" in table.columns:
        functional["amount"] = ""

    def fix(row: tuple[Cell, ...]) -> tuple[Cell, ...]:
        cells = list(row)
        for i in money_columns:
            value = cells[i]
            if isinstance(value, Decimal):
                unit = functional.get(table.columns[i], str(row[currency]))
                cells[i] = money(value, unit or CURRENCY[str(row[entity])])
        return tuple(cells)

    return Table(table.path, table.columns, [fix(row) for row in table.rows], table.fmt)


def period_tables(p: Period) -> list[Table]:
    folder = f"ledgers/{p.period}"
    return [
        Table(f"{folder}/sales.csv", file_columns.SALES_COLUMNS, p.sales),
        Table(f"{folder}/sales-JP01.xlsx", file_columns.SALES_COLUMNS, p.sales_xlsx, "xlsx"),
        Table(f"{folder}/purchasing.csv", file_columns.PURCHASING_COLUMNS, p.purchasing),
        Table(
            f"{folder}/inventory.parquet", file_columns.INVENTORY_COLUMNS, p.inventory, "parquet"
        ),
        Table(f"{folder}/expenses.csv", file_columns.EXPENSES_COLUMNS, p.expenses),
        Table(
            f"{folder}/expenses-CN01.csv", file_columns.EXPENSES_COLUMNS, p.expenses_zh, "gb18030"
        ),
        Table(f"{folder}/journals.csv", file_columns.JOURNAL_COLUMNS, p.journals),
        Table(f"{folder}/journals-bank.csv", file_columns.JOURNAL_COLUMNS, p.bank),
    ]


def master_tables() -> list[Table]:
    entities = [
        (
            e.entity,
            e.name,
            e.name_zh,
            e.currency,
            e.parent,
            e.ownership_pct,
            _method(e.entity, e.parent),
        )
        for e in GROUP_ENTITIES
    ]
    centers = [
        (c.cost_center, c.name, c.name_zh, c.entity, c.department, c.profit_center)
        for c in GROUP_COST_CENTERS
    ]
    return [
        Table("master/entities.csv", file_columns.ENTITY_COLUMNS, entities),
        Table(
            "master/accounts.csv", file_columns.ACCOUNT_COLUMNS, [tuple(a) for a in chart.ACCOUNTS]
        ),
        Table("master/business_units.csv", file_columns.BU_COLUMNS, list(BUSINESS_UNITS)),
        Table("master/profit_centers.csv", file_columns.PC_COLUMNS, list(PROFIT_CENTERS)),
        Table("master/cost_centers.csv", file_columns.CC_COLUMNS, centers),
        Table("master/fx_rates.csv", file_columns.FX_COLUMNS, list(FX_RATES)),
        Table(
            "master/posting_rules.csv",
            file_columns.RULE_COLUMNS,
            [tuple(r) for r in posting_rules.POSTING_RULES],
        ),
        Table("master/allocations.csv", file_columns.ALLOCATION_COLUMNS, list(allocations())),
        Table(
            "master/ownership.csv",
            file_columns.OWNERSHIP_COLUMNS,
            list(OWNERSHIP),
        ),
        Table(
            "master/statement_layout.csv", file_columns.LAYOUT_COLUMNS, list(chart.STATEMENT_LAYOUT)
        ),
    ]


def _method(entity: str, parent: str) -> str:
    """entities.csv's method: the last one the entity's ownership rows give
    it other than ``none`` (CN04 an associate), else ``full`` below the top.
    For DE01 that is its state before it is sold; for SG01 and CN04 the
    ownership rows cover every period."""
    methods = [h.method for h in OWNERSHIP if h.entity == entity and h.method != "none"]
    return methods[-1] if methods else ("full" if parent else "")

"""The vertical view's pages of the audit site: business units and cost centers.

Figures come from :mod:`closekit.vertical` (the finished management ledger);
this module only lays them out. Cost-center lines link down to the entity's
account page, where the journal lines and source rows are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

from closekit.report import html_rows, queries
from closekit.report.html_site import Site
from closekit.report.names import slug
from closekit.report.sources import LedgerBalances


def _table(
    title: str, header: list[str], text_columns: int, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"title": title, "header": header, "text_columns": text_columns,
            "rows": html_rows.management_rows(rows)}  # fmt: skip


def _row(
    text: list[str], amounts: list[Decimal], level: int = 0, bold: bool = False, href: str = ""
) -> dict[str, Any]:
    return {"text": text, "amounts": amounts, "level": level, "bold": bold, "href": href}


def write_pages(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    entity_pages: set[tuple[str, str]],
    ledger: LedgerBalances,
) -> None:
    t, settings, period = site.t, site.settings, site.period
    bu_rows = [
        _row(
            [line.code or line.name, line.name if line.code else ""],
            [line.month.result, line.ytd.revenue, line.ytd.expense, line.ytd.allocations,
             line.ytd.result, line.prior_month.result],
            level=line.level,
            bold=line.kind in ("business_unit", "total"),
        )
        for line in queries.shared_bu_pnl(ledger, con, settings, period)
    ]  # fmt: skip
    result = t("result")
    site.write(
        "business_units.html",
        "management.html",
        t("management_pnl"),
        note=t("management_note"),
        tables=[
            _table(
                f"{t('business_unit')} / {t('profit_center')}",
                [t("code"), t("name"), f"{t('month')}: {result}", f"{t('ytd')}: {t('revenue')}",
                 f"{t('ytd')}: {t('expense_cost')}", f"{t('ytd')}: {t('allocations')}",
                 f"{t('ytd')}: {result}", f"{t('prior_month')}: {result}"],
                2,
                bu_rows,
            ),
        ],
    )  # fmt: skip

    def drill(entity: str, account: str) -> str:
        if (entity, account) in entity_pages:
            return f"entities/{slug(entity)}/{slug(account)}.html"
        return ""

    cc_rows = [
        _row(
            [line.account, line.account_name, line.department, line.cost_center,
             line.cost_center_name, line.entity],
            [line.month, line.ytd, line.prior_month],
            href=drill(line.entity, line.account),
        )
        for line in queries.shared_cost_centers(ledger, con, settings, period)
    ]  # fmt: skip
    allocation_rows = [
        _row(
            [a.cycle, a.sender, a.sender_entity, a.receiver, a.basis, f"{a.share:f}"],
            [a.sender_cost, a.amount, a.ytd_amount],
        )
        for a in queries.shared_allocations(ledger, con, settings, period)
    ]
    site.write(
        "cost_centers.html",
        "management.html",
        t("cost_by_department"),
        note=t("cost_note"),
        tables=[
            _table(
                f"{t('department')} / {t('cost_center')} / {t('account')}",
                [t("account"), t("name"), t("department"), t("cost_center"), t("name"),
                 t("entity"), t("month"), t("ytd"), t("prior_month")],
                6,
                cc_rows,
            ),
            _table(
                t("allocations"),
                [t("cycle"), t("sender"), t("entity"), t("receiver"), t("basis"), t("share"),
                 t("sender_cost"), t("month"), t("ytd")],
                6,
                allocation_rows,
            ),
        ],
    )  # fmt: skip

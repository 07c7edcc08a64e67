"""The vertical view's pages of the audit site: business units and cost centers.

Figures come from :mod:`closekit.vertical` (the finished management ledger);
this module only lays them out. Cost-center lines link down to the entity's
account page, where the journal lines and source rows are.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby
from typing import Any

import duckdb

from closekit.report import html_rows, queries
from closekit.report.chart import ZERO
from closekit.report.html_site import Site
from closekit.report.names import slug
from closekit.report.sources import LedgerBalances
from closekit.report.vertical_columns import vertical_columns
from closekit.vertical import CostCenterLine


def _table(
    title: str, header: list[str], text_columns: int, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"title": title, "header": header, "text_columns": text_columns,
            "rows": html_rows.management_rows(rows)}  # fmt: skip


def _row(
    text: list[str],
    amounts: Sequence[Decimal | None],
    level: int = 0,
    bold: bool = False,
    href: str = "",
) -> dict[str, Any]:
    return {"text": text, "amounts": amounts, "level": level, "bold": bold, "href": href}


def write_pages(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    entity_pages: set[tuple[str, str]],
    ledger: LedgerBalances,
) -> None:
    """The business-unit and cost-center pages, with the columns and
    subtotals of business_units.xlsx."""
    t, settings, period, language = site.t, site.settings, site.period, site.settings.language
    columns = vertical_columns(con, settings, ledger, period)
    month, ytd, prior = columns.columns
    measures = [t(m) for m in ("revenue", "expense_cost", "allocations", "result")]

    def known(figures: list[Decimal], ok: bool) -> list[Decimal | None]:
        return list(figures) if ok else [None] * len(figures)

    bu_rows = [
        _row(
            [line.code or line.name, line.name if line.code else ""],
            [*known([line.month.revenue, line.month.expense, line.month.allocations,
                     line.month.result], columns.month_known),
             line.ytd.revenue, line.ytd.expense, line.ytd.allocations, line.ytd.result,
             *known([line.prior_month.result], columns.prior_known)],
            level=line.level,
            bold=line.kind in ("business_unit", "total"),
        )
        for line in queries.shared_bu_pnl(ledger, con, settings, period)
    ]  # fmt: skip
    site.write(
        "business_units.html",
        "management.html",
        t("management_pnl"),
        note=t("management_note"),
        notes=columns.notes(language),
        tables=[
            _table(
                f"{t('business_unit')} / {t('profit_center')}",
                [t("code"), t("name"),
                 *(f"{t('month')} {month.span(language)}: {m}" for m in measures),
                 *(f"{t('ytd')} {ytd.span(language)}: {m}" for m in measures),
                 f"{t('prior_month')} {prior.span(language)}: {t('result')}"],
                2,
                bu_rows,
            ),
        ],
    )  # fmt: skip

    def drill(entity: str, account: str) -> str:
        if (entity, account) in entity_pages:
            return f"entities/{slug(entity)}/{slug(account)}.html"
        return ""

    cc_rows: list[dict[str, Any]] = []
    cost_lines = queries.shared_cost_centers(ledger, con, settings, period)
    flags = columns.known

    def figures(lines: Sequence[CostCenterLine]) -> list[Decimal | None]:
        sums = [sum((getattr(x, f) for x in lines), ZERO) for f in ("month", "ytd", "prior_month")]
        return [value if ok else None for value, ok in zip(sums, flags, strict=True)]

    for department, in_department in groupby(cost_lines, key=lambda x: x.department):
        dept_lines = list(in_department)
        cc_rows.append(_row([department, "", ""], figures(dept_lines), bold=True))
        for _cc, in_cc in groupby(dept_lines, key=lambda x: x.cost_center):
            lines = list(in_cc)
            head = lines[0]
            cc_rows.append(_row([head.cost_center, head.cost_center_name, head.entity],
                                figures(lines), level=1, bold=True))  # fmt: skip
            for line in lines:
                text = [line.account, line.account_name, line.entity]
                href = drill(line.entity, line.account)
                cc_rows.append(_row(text, figures([line]), level=2, href=href))
    if cost_lines:
        cc_rows.append(_row([t("total"), "", ""], figures(cost_lines), bold=True))
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
        notes=columns.notes(language),
        tables=[
            _table(
                f"{t('department')} / {t('cost_center')} / {t('account')}",
                [f"{t('department')} / {t('cost_center')} / {t('account')}", t("name"),
                 t("entity"), *(f"{t(c.key)} {c.span(language)}" for c in columns.columns)],
                3,
                cc_rows,
            ),
            _table(
                t("allocations"),
                [t("cycle"), t("sender"), t("entity"), t("receiver"), t("basis"), t("share"),
                 t("sender_cost"), f"{t('month')} {month.span(language)}",
                 f"{t('ytd')} {ytd.span(language)}"],
                6,
                allocation_rows,
            ),
        ],
    )  # fmt: skip

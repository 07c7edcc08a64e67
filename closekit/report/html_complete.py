"""The complete statements' page of each node on the audit site
(``nodes/N-statements.html``, template ``complete.html``): comprehensive
income, changes in equity, cash flows, roll-forwards and the flows, fiscal
year to date, with the workbook's columns (:mod:`closekit.report.complete_columns`):
the month and the same months a year earlier beside the year to date, the
equity statement and the roll-forwards of a year earlier below.

An account's cash-flow line and flow link to the node's page of that
account, which lists the journal lines and entries behind it; where the node
has no page of the account (no balance at the period end: a receivable
collected in full), a flow links to its entity's page of the account, with
the journal lines, and the cash-flow line to the account's first flow. A comparative
figure links to the pack of its period (:mod:`closekit.report.prior_packs`):
a cash-flow line to that pack's page of the account, the other statements to
that pack's statements page, where the figure is the year to date and links
down in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

import duckdb

from closekit.periods import fiscal_year_start, period_folders
from closekit.report import labels, line_pages
from closekit.report.complete_columns import (
    CASH_TOTALS,
    StatementColumn,
    cash_figure,
    cash_keys,
    complete_columns,
    each,
    income_figure,
    years,
)
from closekit.report.html_site import Site
from closekit.report.names import slug
from closekit.report.node_statements import NodeStatements
from closekit.report.prior_packs import PriorPacks
from closekit.report.statement_labels import ROLL_TITLES, StatementWords, statement_words
from closekit.statements.cash_flow import SECTION_LABELS, CashFlowStatement
from closekit.statements.equity import COLUMNS, HEADINGS
from closekit.statements.flows import prior_year_end
from closekit.statements.queries import Flow


def statements_href(node: str) -> str:
    """The page's path under ``html/``."""
    return f"nodes/{slug(node)}-statements.html"


def write_statement_pages(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    statements: NodeStatements,
    nodes: list[str],
    account_href: Callable[[str, str], str],
    entity_pages: set[tuple[str, str]],
    packs: PriorPacks,
) -> None:
    """One page per node; ``account_href(node, account)`` is the node's
    account page relative to ``nodes/`` ('' when there is none);
    ``entity_pages`` the (entity, account) pages of the balances;
    ``statements`` keeps the statements the workbooks show too; ``packs``
    the other periods' packs the comparatives link to."""
    settings, period = site.settings, site.period
    start = fiscal_year_start(period, settings.fiscal_year_start)
    first = max([start, *period_folders(settings.ledgers_dir)[:1]])
    words = statement_words(con, settings.language)
    nodes = [n for n in nodes if statements.has_flows(period, n)]  # else the prior year end
    # is not consolidated. The entity pages of flows on accounts the node has no page of:
    # written, with their lines, when the balance is zero too.
    wanted = {
        (f.entity, f.account)
        for n in nodes
        for f in statements.flows(period, n)
        if not account_href(n, f.account) and (f.entity, f.account) not in entity_pages
    }
    pages = entity_pages | line_pages.pages_with_lines(con, settings, period, wanted)

    def entity_href(entity: str, account: str) -> str:
        linked = (entity, account) in pages
        return f"../entities/{slug(entity)}/{slug(account)}.html" if linked else ""

    for node in nodes:
        site.write(
            statements_href(node),
            "complete.html",
            f"{node} — {words('title', 'page', 'statements')}",
            node=node,
            node_href=f"{slug(node)}.html",
            months=labels.months(settings.language, first, period),
            w=words,
            **_page(site, statements, node, partial(account_href, node), entity_href, packs, words),
        )


LinkTo = dict[str, Callable[..., str]]


def _page(
    site: Site,
    statements: NodeStatements,
    node: str,
    account_href: Callable[[str], str],
    entity_href: Callable[[str, str], str],
    packs: PriorPacks,
    words: StatementWords,
) -> dict[str, Any]:
    """The statements of ``node`` in the page's columns."""
    settings, period = site.settings, site.period
    columns = complete_columns(statements, settings, period, node)
    page = statements_href(node)
    # Per year-earlier column, the link of its figures to its pack's page
    # (relative to html/) at an anchor.
    to_prior: LinkTo = {
        c.period: partial(packs.href, c.period) for c in columns if c.kind == "prior_year"
    }
    cash = each(columns, lambda p: statements.cash_flow(p, node))
    income = each(columns, lambda p: statements.income(p, node))
    year_blocks = years(columns)
    flows, anchored = _flow_rows(statements.flows(period, node), account_href, entity_href)

    def line_href(account: str) -> str:
        return account_href(account) or (f"#fl-{slug(account)}" if account in anchored else "")

    return {
        "labelled": len(columns) > 1,
        "before": [c.heading for c in columns if c.kind == "month"],
        "after": [c.heading for c in columns if c.kind == "prior_year"],
        "ytd_heading": next(c.heading for c in columns if c.kind == "ytd"),
        "unlinked": [
            site.t("unlinked").format(months=c.heading, period=c.period)
            for c in columns
            if c.period in to_prior and not packs.exists(c.period)
        ],
        "income": _income_rows(columns, income, to_prior, page),
        "equity_blocks": [
            {"heading": c.heading, "equity": statements.equity(c.period, node),
             "prior": prior_year_end(settings, c.period),
             "href": to_prior[c.period](page, "#equity") if c.period in to_prior else ""}
            for c in year_blocks
        ],
        "equity_headings": list(zip(COLUMNS, HEADINGS, strict=True)),
        "cash_sections": _cash_sections(columns, cash, words, to_prior, page, line_href, node),
        "cash_totals": [
            {"key": key, "label": english,
             "cells": _cells(columns, [of(now, b) for now, b in cash], to_prior, page, "#cash")}
            for key, english, of in CASH_TOTALS
        ],
        "roll_blocks": _roll_blocks(statements, node, year_blocks, to_prior, page),
        "flows": flows,
    }  # fmt: skip


def _flow_rows(
    flows: Sequence[Flow],
    account_href: Callable[[str], str],
    entity_href: Callable[[str, str], str],
) -> tuple[list[dict[str, Any]], set[str]]:
    """The flows, each linking to the node's page of its account, else to
    its entity's; the first flow of an account linked so is anchored
    ``fl-ACCOUNT``, the accounts so anchored returned with the rows."""
    rows, anchored = [], set()
    for f in flows:
        href, anchor = account_href(f.account), ""
        if not href:
            href = entity_href(f.entity, f.account)
            if href and f.account not in anchored:
                anchored.add(f.account)
                anchor = f"fl-{slug(f.account)}"
        rows.append({**f.__dict__, "href": href, "anchor": anchor})
    return rows, anchored


def _cells(
    columns: Sequence[StatementColumn],
    amounts: Sequence[Decimal],
    to_prior: LinkTo,
    page: str,
    anchor: str,
) -> dict[str, list[dict[str, Any]]]:
    """The figures of one row by place: ``before`` the year to date (the
    month), ``ytd``, ``after`` it (a year earlier, linked to its pack's
    ``page`` at ``anchor``)."""
    out: dict[str, list[dict[str, Any]]] = {"before": [], "ytd": [], "after": []}
    for column, amount in zip(columns, amounts, strict=True):
        href = to_prior[column.period](page, anchor) if column.period in to_prior else ""
        place = {"month": "before", "ytd": "ytd"}.get(column.kind, "after")
        out[place].append({"amount": amount, "href": href})
    return out


def _income_rows(
    columns: Sequence[StatementColumn],
    income: Sequence[tuple[Any, Any]],
    to_prior: LinkTo,
    page: str,
) -> list[dict[str, Any]]:
    """The year to date's lines (owners, NCI, total) with each column's total."""
    ytd = next(n for n, c in enumerate(columns) if c.kind == "ytd")
    return [
        {"line": line.line, "label": line.label, "total": line.total,
         "owners": line.owners, "nci": line.nci,
         "cells": _cells(columns, [income_figure(now, b, line.line) for now, b in income],
                         to_prior, page, "#income")}
        for line in income[ytd][0].lines
    ]  # fmt: skip


def _cash_sections(
    columns: Sequence[StatementColumn],
    cash: Sequence[tuple[CashFlowStatement, CashFlowStatement | None]],
    words: StatementWords,
    to_prior: LinkTo,
    page: str,
    account_href: Callable[[str], str],
    node: str,
) -> list[dict[str, Any]]:
    """Each section's lines and total in every column. A year earlier's
    figure of an account's line links to that pack's page of the account
    (else to its statements page's line), as this year's line links to this
    pack's."""
    keys = cash_keys(cash)
    sections = []
    for section, heading in SECTION_LABELS.items():
        lines = []
        for (s, line), label in keys.items():
            if s != section:
                continue
            cells = _cells(columns, [cash_figure(n, b, s, line) for n, b in cash], to_prior,
                           page, f"#cf-{slug(line)}")  # fmt: skip
            account_page = f"nodes/{slug(node)}/{slug(line)}.html"
            for cell, column in zip(cells["after"], [c for c in columns if c.period in to_prior],
                                    strict=True):  # fmt: skip
                cell["href"] = to_prior[column.period](account_page) or cell["href"]
            lines.append({"line": line, "label": words.cash_line(section, line, label),
                          "href": account_href(line), "cells": cells})  # fmt: skip
        if lines:
            sections.append({
                "section": section,
                "heading": "" if section == "fx" else heading,
                "lines": lines,
                "total": None if section == "fx" else _cells(
                    columns, [cash_figure(n, b, section, None) for n, b in cash], to_prior,
                    page, "#cash"),
                "total_label": f"Net cash from {section} activities",
            })  # fmt: skip
    return sections


def _roll_blocks(
    statements: NodeStatements,
    node: str,
    year_blocks: Sequence[StatementColumn],
    to_prior: LinkTo,
    page: str,
) -> list[dict[str, Any]]:
    """Each roll-forward of the year, then of a year earlier (its figures
    linked to its pack's roll-forwards)."""
    blocks = [
        (c, roll)
        for n in range(3)
        for c in year_blocks
        for roll in statements.rollforwards(c.period, node)[n : n + 1]
    ]
    return [
        {"kind": roll.kind, "title": ROLL_TITLES[roll.kind], "months": c.heading,
         "flows": roll.flows, "lines": roll.lines,
         "href": to_prior[c.period](page, "#rollforwards") if c.period in to_prior else ""}
        for c, roll in blocks
    ]  # fmt: skip

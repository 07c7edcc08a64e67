"""The complete statements' page of each node on the audit site
(``nodes/N-statements.html``, template ``complete.html``): comprehensive
income, changes in equity, cash flows, roll-forwards and the flows, fiscal
year to date. An account's cash-flow line and flow link to the node's page of
that account, which lists the journal lines and entries behind it."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from closekit.periods import fiscal_year_start, period_folders
from closekit.report import labels
from closekit.report.html_site import Site
from closekit.report.names import slug
from closekit.report.node_statements import NodeStatements
from closekit.report.statement_labels import ROLL_TITLES, statement_words
from closekit.statements.cash_flow import SECTION_LABELS
from closekit.statements.equity import COLUMNS, HEADINGS
from closekit.statements.flows import prior_year_end


def statements_href(node: str) -> str:
    """The page's path under ``html/``."""
    return f"nodes/{slug(node)}-statements.html"


def write_statement_pages(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    statements: NodeStatements,
    nodes: list[str],
    account_href: Callable[[str, str], str],
) -> None:
    """One page per node; ``account_href(node, account)`` is the node's
    account page relative to ``nodes/`` ('' when there is none);
    ``statements`` keeps the statements the workbooks show too."""
    settings, period = site.settings, site.period
    start = fiscal_year_start(period, settings.fiscal_year_start)
    first = max([start, *period_folders(settings.ledgers_dir)[:1]])
    words = statement_words(con, settings.language)
    for node in nodes:
        if not statements.has_flows(period, node):
            continue  # flows not written (the prior fiscal year end not consolidated)
        cash = statements.cash_flow(period, node)
        sections = []
        for section, heading in SECTION_LABELS.items():
            lines = [
                {"line": x.line, "label": x.label, "amount": x.amount,
                 "href": account_href(node, x.line)}
                for x in cash.lines if x.section == section
            ]  # fmt: skip
            if lines:
                sections.append({
                    "section": section,
                    "heading": "" if section == "fx" else heading,
                    "lines": lines,
                    "total": None if section == "fx" else cash.total(section),
                    "total_label": f"Net cash from {section} activities",
                })  # fmt: skip
        rolls = [
            {"kind": r.kind, "title": ROLL_TITLES[r.kind], "flows": r.flows, "lines": r.lines}
            for r in statements.rollforwards(period, node)
        ]
        flows = [
            {**f.__dict__, "href": account_href(node, f.account)}
            for f in statements.flows(period, node)
        ]
        site.write(
            statements_href(node),
            "complete.html",
            f"{node} — statements",
            node=node,
            node_href=f"{slug(node)}.html",
            months=labels.months(settings.language, first, period),
            income=statements.income(period, node),
            equity=statements.equity(period, node),
            equity_headings=list(zip(COLUMNS, HEADINGS, strict=True)),
            prior=prior_year_end(settings, period),
            w=words,
            cash=cash,
            cash_sections=sections,
            rolls=rolls,
            flows=flows,
        )

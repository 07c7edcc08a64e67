"""The horizontal workbooks: ``group.xlsx`` and ``nodes/NODE.xlsx`` (SPEC section 10).

Summary, Balance Sheet, Income Statement, Worksheet, Consolidation Entries,
Intercompany, FX Translation and Checks of one consolidation node, in group
currency. The Worksheet's totals and Consolidated column are Excel formulas
(with their cached values), so a controller can audit how the consolidated
figures add up; the Consolidation Entries sheet lists every entry with its
basis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from closekit.consolidation.translation_summary import TranslationLine
from closekit.report import labels
from closekit.report.chart import Account
from closekit.report.entry_basis import node_entry_basis
from closekit.report.excel_complete import write_complete_statements
from closekit.report.excel_entries import write_entries
from closekit.report.excel_format import PERCENT, Sheet, new_workbook
from closekit.report.excel_fx import write_translation
from closekit.report.excel_ic_documents import write_ic_documents
from closekit.report.excel_intercompany import write_intercompany
from closekit.report.excel_page import Page
from closekit.report.excel_statement import write_statement
from closekit.report.excel_worksheet import write_worksheet
from closekit.report.fx_months import Key, TranslationMonth
from closekit.report.node_checks import CheckFinding, listing, subtree_checks
from closekit.report.node_statements import node_statements
from closekit.report.queries import (
    Entry,
    Member,
    shared_ic_reconciliation,
    shared_intercompany_pairs,
)
from closekit.report.scope import EntityScope, entity_status, node_scope
from closekit.report.sources import LedgerBalances, node_source
from closekit.report.statements import Statement, balance_sheet, income_statement
from closekit.report.worksheet import consolidation_worksheet, node_members
from closekit.workspace import Settings


@dataclass(frozen=True)
class PeriodData:
    """What every node's workbook reads, fetched once per report run.

    checks: (check id, status, detail) in SPEC order: what group.xlsx shows.
    findings: every finding of those checks, with what it is about;
        subtrees: each intermediate node's subtree. A node's workbook shows
        the findings about its subtree (:mod:`closekit.report.node_checks`).
    balances / entries: every node's member balances and consolidation entries.
    translations: every entity's FX translation lines; fx_months: the
        months behind their average- and historical-rate balances.
    books: the entities with journal lines through the period.
    ledger: the report run's shared queries (also the site's).
    """

    settings: Settings
    con: duckdb.DuckDBPyConnection
    period: str
    tree: tuple[Account, ...]
    checks: tuple[tuple[str, str, str], ...]
    findings: tuple[CheckFinding, ...]
    subtrees: Mapping[str, set[str]]
    balances: tuple[Member, ...]
    entries: tuple[Entry, ...]
    translations: tuple[TranslationLine, ...]
    fx_months: Mapping[Key, list[TranslationMonth]]
    books: frozenset[str]
    draft: bool
    ledger: LedgerBalances

    @property
    def language(self) -> str:
        return self.settings.language

    def t(self, key: str) -> str:
        return labels.text(self.settings.language, key)

    def names(self) -> dict[str, str]:
        """Account names in the report language."""
        return {a.account: labels.name(self.language, a.name, a.name_zh) for a in self.tree}


def write_node_workbook(data: PeriodData, node: str, path: Path, is_group: bool) -> Path:
    """One consolidation node's workbook (the group's is ``group.xlsx``)."""
    settings, period, language = data.settings, data.period, data.language
    members = node_members(data.con, period, node)
    head = next(m for m in members if m.entity == node)
    name = labels.name(language, head.name, head.name_zh)
    source = node_source(data.con, settings, node, period, data.ledger)
    bs = balance_sheet(data.tree, source, period, language, True, settings.accounts)
    pnl = income_statement(data.tree, source, period, language, settings.accounts.nci_profit, True)
    title = settings.group_name if is_group else f"{node} {name}"
    workbook, formats = new_workbook(path, f"{title} {period}", period)
    subtitle = f"{data.t('period')} {period} · {settings.currency} · {data.t('node')} {node} {name}"
    page = Page(title, subtitle, language, data.draft)
    names = data.names()

    def sheet(key: str) -> Sheet:
        return Sheet(workbook, formats, data.t(key))

    scope = node_scope(data.con, period, node, data.books)
    checks = data.checks if is_group else _node_checks(data, node, page)
    _summary(sheet("summary"), page, data, bs, pnl, scope, checks, is_group)
    for statement in (bs, pnl):
        write_statement(workbook, formats, statement, language=language, draft=data.draft,
                        title=f"{title} — {data.t(statement.kind)}",
                        subtitle=f"{subtitle} · {data.t('presented_note')}")  # fmt: skip
    write_complete_statements(
        workbook, formats, page, data.con, settings, period, node,
        node_statements(data.ledger, data.con, settings),
    )  # fmt: skip
    balances = [b for b in data.balances if b.node == node]
    entries = [e for e in data.entries if e.node == node]
    lines = consolidation_worksheet(
        data.tree,
        language,
        [m.entity for m in members],
        ((b.entity, b.account, b.amount_group) for b in balances),
        ((e.step, e.account, e.amount_group) for e in entries),
    )
    write_worksheet(sheet("worksheet"), page, members, lines)
    basis = node_entry_basis(data.ledger, data.con, settings, period, node)
    write_entries(sheet("consolidation_entries"), page, entries, basis, names)
    pairs = shared_intercompany_pairs(data.ledger, data.con, settings, period, node)
    tolerance = f"{settings.ic_tolerance:,.2f} {settings.currency}"
    write_intercompany(sheet("intercompany"), page, pairs, names, tolerance)
    if is_group:  # SPEC 20: the group's intercompany documents, pair by pair
        reconciled = shared_ic_reconciliation(data.ledger, data.con, settings, period, node)
        write_ic_documents(sheet("ic_documents"), page, reconciled, names)
    in_node = {m.entity for m in members}
    fx = [t for t in data.translations if t.entity in in_node]
    write_translation(
        sheet("fx_translation"), page, fx, members, data.fx_months, names, period,
        settings.fiscal_year_start, settings.currency,
    )  # fmt: skip
    _checks(sheet("checks"), page, checks, is_group)
    workbook.close()
    return path


def _node_checks(data: PeriodData, node: str, page: Page) -> tuple[tuple[str, str, str], ...]:
    """The checks as an intermediate node shows them: every check's status,
    the findings about its subtree as the detail (docs/reports.md)."""
    shown = subtree_checks(data.checks, data.findings, data.subtrees[node])
    return tuple(
        (
            c.check,
            c.status,
            listing(c.findings) if c.findings else "" if c.status == "pass" else page.t("not_here"),
        )
        for c in shown
    )


# ---- Summary ------------------------------------------------------------------


def _summary(
    sheet: Sheet,
    page: Page,
    data: PeriodData,
    bs: Statement,
    pnl: Statement,
    scope: Sequence[EntityScope],
    checks: Sequence[tuple[str, str, str]],
    is_group: bool,
) -> None:
    """Key figures, the checks, and every entity below the node with its
    method and whether (and why not) its statements are consolidated."""
    t = page.t
    page.banner(sheet, "summary")
    sheet.header([[t("key_figures"), "", bs.columns[0].span(page.language)]], right_from=2)
    figures = [
        (bs.total("total_assets"), 0),
        (bs.total("total_liabilities"), 0),
        (bs.total("total_equity"), 0),
        (pnl.total("profit_for_period"), 1),
        (pnl.total("attributable_owners"), 1),
        (pnl.total("attributable_nci"), 1),
    ]
    for line, column in figures:
        span = pnl.columns[1].span(page.language)
        label = line.label if column == 0 else f"{line.label} ({t('ytd')} {span})"
        sheet.label(sheet.row, 0, ("  " * line.level) + label)
        sheet.money(sheet.row, 2, line.amounts[column])
        sheet.row += 1

    sheet.row += 1
    _check_rows(sheet, page, checks, is_group, detail_to=7)

    sheet.row += 1
    keys = ("entity", "name", "currency", "parent_entity", "ownership", "effective_ownership",
            "method", "status")  # fmt: skip
    for col, key in enumerate(keys):
        sheet.wrapped(sheet.row, col, t(key), bold=True, bottom=1, bg_color="#DCE6F1")
    sheet.row += 1
    for e in scope:
        row = sheet.row
        sheet.text(row, 0, e.entity, indent=e.depth)
        sheet.wrapped(row, 1, labels.name(page.language, e.name, e.name_zh))
        sheet.text(row, 2, e.currency)
        sheet.text(row, 3, e.parent)
        sheet.number(row, 4, e.ownership, PERCENT)
        sheet.number(row, 5, e.effective, PERCENT)
        sheet.text(row, 6, e.method)
        sheet.wrapped(row, 7, entity_status(page.language, e, data.period),
                      bold=e.status != "member" or not e.has_books)  # fmt: skip
        sheet.row += 1
    sheet.finish(
        freeze_cols=0,
        min_widths={0: 12, 1: 40, 2: 20, 3: 9, 4: 11, 5: 11, 6: 9, 7: 44},
        one_page=True,
    )


def _check_rows(
    sheet: Sheet,
    page: Page,
    checks: Sequence[tuple[str, str, str]],
    is_group: bool,
    detail_to: int = 2,
) -> None:
    """Check, status and detail (across the columns up to ``detail_to``;
    amounts in the detail shown as money); at a node below the group, a line
    pointing to group.xlsx for the group's details."""
    t = page.t
    head = {"bold": True, "bottom": 1, "bg_color": "#DCE6F1"}
    sheet.wrapped(sheet.row, 0, t("check"), **head)
    sheet.wrapped(sheet.row, 1, t("status"), **head)
    sheet.merged(sheet.row, 2, detail_to, t("detail"), **head)
    sheet.row += 1
    if not checks:
        sheet.text(sheet.row, 0, t("no_checks"), italic=True)
        sheet.row += 1
    for check, status, detail in checks:
        sheet.text(sheet.row, 0, check)
        sheet.wrapped(sheet.row, 1, _status(page, status), **_status_style(status))
        sheet.merged(sheet.row, 2, detail_to, labels.readable_detail(detail))
        sheet.row += 1
    if not is_group and checks:
        sheet.text(sheet.row, 0, t("checks_in_group"), italic=True)
        sheet.row += 1


def _status(page: Page, status: str) -> str:
    return page.t(status) if status in ("pass", "warn", "fail") else status


def _status_style(status: str) -> dict[str, object]:
    colour = {"pass": "#006100", "warn": "#9C5700", "fail": "#C00000"}.get(status, "#000000")
    return {"bold": status != "pass", "font_color": colour}


# ---- Checks ----------------------------------------------------------------------


def _checks(
    sheet: Sheet, page: Page, checks: Sequence[tuple[str, str, str]], is_group: bool
) -> None:
    page.banner(sheet, "checks")
    _check_rows(sheet, page, checks, is_group)
    sheet.finish(freeze_cols=1, min_widths={0: 22, 1: 10, 2: 70})

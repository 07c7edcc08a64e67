"""The horizontal workbooks: ``group.xlsx`` and ``nodes/NODE.xlsx`` (SPEC section 10).

Summary, Balance Sheet, Income Statement, Worksheet, Intercompany, FX
Translation and Checks of one consolidation node, in group currency. The
Worksheet's totals and Consolidated column are Excel formulas (with their
cached values), so a controller can audit how the consolidated figures add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from closekit.consolidation import ICPair
from closekit.consolidation.translation import TranslationLine
from closekit.report import labels
from closekit.report.chart import ZERO, Account
from closekit.report.excel_format import PERCENT, RATE, Sheet, cell, col_range, new_workbook
from closekit.report.excel_statement import write_statement
from closekit.report.queries import Entry, Member, shared_intercompany_pairs
from closekit.report.sources import LedgerBalances, node_source
from closekit.report.statements import Statement, balance_sheet, income_statement
from closekit.report.worksheet import (
    NodeMember,
    WorksheetLine,
    consolidation_worksheet,
    node_members,
)
from closekit.workspace import Settings


@dataclass(frozen=True)
class PeriodData:
    """What every node's workbook reads, fetched once per report run.

    checks: (check id, status, detail) in SPEC order.
    balances / entries: every node's member balances and consolidation entries.
    translations: every entity's FX translation lines.
    ledger: the report run's shared queries (also the site's).
    """

    settings: Settings
    con: duckdb.DuckDBPyConnection
    period: str
    tree: tuple[Account, ...]
    checks: tuple[tuple[str, str, str], ...]
    balances: tuple[Member, ...]
    entries: tuple[Entry, ...]
    translations: tuple[TranslationLine, ...]
    draft: bool
    ledger: LedgerBalances

    @property
    def language(self) -> str:
        return self.settings.language

    def t(self, key: str) -> str:
        return labels.text(self.settings.language, key)


def write_node_workbook(data: PeriodData, node: str, path: Path, is_group: bool) -> Path:
    """One consolidation node's workbook (the group's is ``group.xlsx``)."""
    members = node_members(data.con, data.period, node)
    head = next(m for m in members if m.entity == node)
    name = labels.name(data.language, head.name, head.name_zh)
    source = node_source(data.con, data.settings, node, data.period, data.ledger)
    bs = balance_sheet(data.tree, source, data.period, data.language, consolidated=True)
    pnl = income_statement(
        data.tree, source, data.period, data.language, data.settings.accounts.nci_profit, True
    )
    title = data.settings.group_name if is_group else f"{node} {name}"
    workbook, formats = new_workbook(path, f"{title} {data.period}")
    subtitle = (
        f"{data.t('period')} {data.period} · {data.settings.currency} · "
        f"{data.t('node')} {node} {name}"
    )

    _summary(Sheet(workbook, formats, data.t("summary")), data, title, subtitle, bs, pnl, members)
    for statement in (bs, pnl):
        write_statement(workbook, formats, statement, language=data.language, draft=data.draft,
                        title=f"{title} — {data.t(statement.kind)}",
                        subtitle=f"{subtitle} · {data.t('presented_note')}")  # fmt: skip
    lines = consolidation_worksheet(
        data.tree,
        data.language,
        [m.entity for m in members],
        ((b.entity, b.account, b.amount_group) for b in data.balances if b.node == node),
        ((e.step, e.account, e.amount_group) for e in data.entries if e.node == node),
    )
    _worksheet(Sheet(workbook, formats, data.t("worksheet")), data, title, subtitle, members, lines)
    pairs = shared_intercompany_pairs(data.ledger, data.con, data.settings, data.period, node)
    _intercompany(Sheet(workbook, formats, data.t("intercompany")), data, title, subtitle, pairs)
    in_node = {m.entity for m in members}
    fx = [t for t in data.translations if t.entity in in_node]
    _translation(
        Sheet(workbook, formats, data.t("fx_translation")), data, title, subtitle, fx, members
    )
    _checks(Sheet(workbook, formats, data.t("checks")), data, title, subtitle)
    workbook.close()
    return path


def _banner(sheet: Sheet, data: PeriodData, title: str, subtitle: str, what: str) -> None:
    sheet.banner(data.draft, data.t("draft"), f"{title} — {data.t(what)}", subtitle)


# ---- Summary ------------------------------------------------------------------


def _summary(
    sheet: Sheet,
    data: PeriodData,
    title: str,
    subtitle: str,
    bs: Statement,
    pnl: Statement,
    members: Sequence[NodeMember],
) -> None:
    _banner(sheet, data, title, subtitle, "summary")
    sheet.header([[data.t("key_figures"), bs.columns[0].period]], right_from=1)
    figures = [
        (bs.total("total_assets"), 0),
        (bs.total("total_liabilities"), 0),
        (bs.total("total_equity"), 0),
        (pnl.total("profit_for_period"), 1),
        (pnl.total("attributable_owners"), 1),
        (pnl.total("attributable_nci"), 1),
    ]
    for line, column in figures:
        label = line.label if column == 0 else f"{line.label} ({data.t('ytd')})"
        sheet.text(sheet.row, 0, label, indent=line.level)
        sheet.money(sheet.row, 1, line.amounts[column])
        sheet.row += 1

    sheet.row += 1
    for col, key in enumerate(("check", "status", "detail")):
        sheet.text(sheet.row, col, data.t(key), bold=True, bottom=1, bg_color="#DCE6F1")
    sheet.row += 1
    if not data.checks:
        sheet.text(sheet.row, 0, data.t("no_checks"), italic=True)
        sheet.row += 1
    for check, status, detail in data.checks:
        sheet.text(sheet.row, 0, check)
        sheet.text(sheet.row, 1, _status(data, status), **_status_style(status))
        sheet.text(sheet.row, 2, detail)
        sheet.row += 1

    sheet.row += 1
    keys = ("entity", "name", "currency", "parent_entity", "ownership", "effective_ownership")
    for col, key in enumerate(keys):
        sheet.text(sheet.row, col, data.t(key), bold=True, bottom=1, bg_color="#DCE6F1")
    sheet.row += 1
    for m in members:
        sheet.text(sheet.row, 0, m.entity, indent=m.depth)
        sheet.text(sheet.row, 1, labels.name(data.language, m.name, m.name_zh))
        sheet.text(sheet.row, 2, m.currency)
        sheet.text(sheet.row, 3, m.direct_parent)
        sheet.number(sheet.row, 4, m.ownership, PERCENT)
        sheet.number(sheet.row, 5, m.effective, PERCENT)
        sheet.row += 1
    sheet.finish(freeze_cols=0, min_widths={0: 44, 1: 18, 2: 30})


def _status(data: PeriodData, status: str) -> str:
    return data.t(status) if status in ("pass", "warn", "fail") else status


def _status_style(status: str) -> dict[str, object]:
    colour = {"pass": "#006100", "warn": "#9C5700", "fail": "#C00000"}.get(status, "#000000")
    return {"bold": status != "pass", "font_color": colour}


# ---- Worksheet ---------------------------------------------------------------


def _worksheet(
    sheet: Sheet,
    data: PeriodData,
    title: str,
    subtitle: str,
    members: Sequence[NodeMember],
    lines: Sequence[WorksheetLine],
) -> None:
    """Accounts down, members across (translated), then Members total,
    Eliminations, NCI and Consolidated. Leaf rows: Members total = SUM of the
    members, Consolidated = Members total + Eliminations + NCI. Summary rows
    and the bottom line: SUBTOTAL(9, ...) of the rows below, which skips
    nested subtotals, so every figure is counted once. Signed debit positive,
    so every column's bottom line is zero when its entries balance."""
    _banner(sheet, data, title, f"{subtitle} · {data.t('signed_note')}", "worksheet")
    n = len(members)
    total_col, elim_col, nci_col, cons_col = 2 + n, 3 + n, 4 + n, 5 + n
    sheet.header(
        [
            [data.t("account"), data.t("name"), *(m.entity for m in members),
             data.t("members_total"), data.t("eliminations"), data.t("nci"),
             data.t("consolidated")],
            ["", "", *(labels.name(data.language, m.name, m.name_zh) for m in members),
             "", "", "", ""],
        ],
        right_from=2,
    )  # fmt: skip
    first = sheet.row
    last = first + len(lines) - 1
    for i, line in enumerate(lines):
        row = first + i
        bold = line.is_summary
        sheet.text(row, 0, line.account, bold=bold)
        sheet.text(row, 1, line.label, indent=line.level, bold=bold)
        values = [*line.members, line.members_total, line.eliminations, line.nci, line.consolidated]
        if line.is_summary:
            end = _subtree_end(lines, i) + first
            for col, value in enumerate(values, start=2):
                if end > row:
                    rng = col_range(row + 1, end, col)
                    sheet.formula(row, col, f"=SUBTOTAL(9,{rng})", value, bold=True)
                else:
                    sheet.money(row, col, value, bold=True)
        else:
            for col, value in enumerate(line.members, start=2):
                sheet.money(row, col, value)
            members_sum = f"=SUM({cell(row, 2)}:{cell(row, 1 + n)})" if n else "=0"
            sheet.formula(row, total_col, members_sum, line.members_total)
            sheet.money(row, elim_col, line.eliminations)
            sheet.money(row, nci_col, line.nci)
            consolidated = f"={cell(row, total_col)}+{cell(row, elim_col)}+{cell(row, nci_col)}"
            sheet.formula(row, cons_col, consolidated, line.consolidated, bold=True)
        sheet.group(row, line.level)
    row = first + len(lines)
    sheet.text(row, 1, data.t("total"), bold=True, top=1, bottom=6)
    leaves = [x for x in lines if not x.is_summary]
    totals = [
        *(sum((x.members[i] for x in leaves), ZERO) for i in range(n)),
        sum((x.members_total for x in leaves), ZERO),
        sum((x.eliminations for x in leaves), ZERO),
        sum((x.nci for x in leaves), ZERO),
        sum((x.consolidated for x in leaves), ZERO),
    ]
    for col, value in enumerate(totals, start=2):
        if lines:
            sheet.formula(row, col, f"=SUBTOTAL(9,{col_range(first, last, col)})", value,
                          bold=True, top=1, bottom=6)  # fmt: skip
        else:
            sheet.money(row, col, value, bold=True, top=1, bottom=6)
    sheet.row = row + 1
    sheet.finish(
        freeze_cols=2, min_widths={0: 10, 1: 32, **dict.fromkeys(range(2, cons_col + 1), 15)}
    )


def _subtree_end(lines: Sequence[WorksheetLine], index: int) -> int:
    """Index of the last line below ``lines[index]`` in the tree (depth-first
    order keeps an account's descendants right after it)."""
    end = index
    while end + 1 < len(lines) and lines[end + 1].level > lines[index].level:
        end += 1
    return end


# ---- Intercompany --------------------------------------------------------------


def _intercompany(
    sheet: Sheet, data: PeriodData, title: str, subtitle: str, pairs: Sequence[ICPair]
) -> None:
    """Each pair of members on each plug account: what each side put on the
    plug and what remains (SPEC 7.2); the difference is a formula."""
    tolerance = f"{data.t('tolerance')} {data.settings.ic_tolerance:,.2f} {data.settings.currency}"
    _banner(
        sheet, data, title, f"{subtitle} · {tolerance} · {data.t('signed_note')}", "intercompany"
    )
    names = {a.account: labels.name(data.language, a.name, a.name_zh) for a in data.tree}
    sheet.header(
        [[data.t(k) for k in ("entity", "partner", "plug_account", "name", "side_entity",
                               "side_partner", "difference", "checked", "within_tolerance")]],
        right_from=4,
    )  # fmt: skip
    for pair in pairs:
        row = sheet.row
        flagged = pair.checked and not pair.within_tolerance
        sheet.text(row, 0, pair.entity)
        sheet.text(row, 1, pair.partner)
        sheet.text(row, 2, pair.plug_account)
        sheet.text(row, 3, names.get(pair.plug_account, ""))
        sheet.money(row, 4, pair.entity_side)
        sheet.money(row, 5, pair.partner_side)
        sheet.formula(row, 6, f"={cell(row, 4)}+{cell(row, 5)}", pair.difference, bold=flagged,
                      font_color="#C00000" if flagged else "#000000")  # fmt: skip
        sheet.text(row, 7, data.t("yes" if pair.checked else "no"))
        if pair.checked:
            sheet.text(row, 8, data.t("yes" if pair.within_tolerance else "no"), bold=flagged)
        sheet.row += 1
    sheet.finish(freeze_cols=2, min_widths={0: 10, 1: 10, 2: 12, 3: 28, 4: 16, 5: 16, 6: 16})


# ---- FX Translation -------------------------------------------------------------


def _translation(
    sheet: Sheet,
    data: PeriodData,
    title: str,
    subtitle: str,
    lines: Sequence[TranslationLine],
    members: Sequence[NodeMember],
) -> None:
    """Per member: each account's functional balance, rate kind and rate, and
    translated balance, the CTA last; the entity's row above them totals its
    detail with SUBTOTAL, which is zero when the CTA closes the translated TB."""
    _banner(sheet, data, title, f"{subtitle} · {data.t('signed_note')}", "fx_translation")
    names = {a.account: labels.name(data.language, a.name, a.name_zh) for a in data.tree}
    sheet.header(
        [[data.t(k) for k in ("entity", "account", "name", "currency", "rate_kind",
                               "rate", "functional", "translated")]],
        right_from=5,
    )  # fmt: skip
    by_entity: dict[str, list[TranslationLine]] = {}
    for line in lines:
        by_entity.setdefault(line.entity, []).append(line)
    for member in members:
        detail = by_entity.get(member.entity, [])
        if not detail:
            continue
        head = sheet.row
        first, last = head + 1, head + len(detail)
        sheet.text(head, 0, member.entity, bold=True)
        sheet.text(head, 2, labels.name(data.language, member.name, member.name_zh), bold=True)
        sheet.text(head, 3, member.currency, bold=True)
        functional = sum((x.functional for x in detail), ZERO)
        translated = sum((x.translated for x in detail), ZERO)
        sheet.formula(head, 6, f"=SUBTOTAL(9,{col_range(first, last, 6)})", functional, bold=True)
        sheet.formula(head, 7, f"=SUBTOTAL(9,{col_range(first, last, 7)})", translated, bold=True)
        for row, line in enumerate(detail, start=first):
            sheet.text(row, 0, line.entity)
            sheet.text(row, 1, line.account)
            sheet.text(row, 2, names.get(line.account, line.name), indent=1)
            sheet.text(row, 3, line.currency)
            sheet.text(row, 4, labels.rate_kind(data.language, line.rate_kind))
            sheet.number(row, 5, line.rate, RATE)
            sheet.money(row, 6, line.functional)
            sheet.money(row, 7, line.translated, bold=line.rate_kind == "cta")
            sheet.group(row, 1)
        sheet.row = last + 1
    sheet.finish(freeze_cols=3, min_widths={0: 10, 1: 10, 2: 32, 3: 9, 4: 11, 5: 14, 6: 16, 7: 16})


# ---- Checks ----------------------------------------------------------------------


def _checks(sheet: Sheet, data: PeriodData, title: str, subtitle: str) -> None:
    _banner(sheet, data, title, subtitle, "checks")
    sheet.header([[data.t("check"), data.t("status"), data.t("detail")]], right_from=3)
    if not data.checks:
        sheet.text(sheet.row, 0, data.t("no_checks"), italic=True)
        sheet.row += 1
    for check, status, detail in data.checks:
        sheet.text(sheet.row, 0, check)
        sheet.text(sheet.row, 1, _status(data, status), **_status_style(status))
        sheet.text(sheet.row, 2, detail)
        sheet.row += 1
    sheet.finish(freeze_cols=1, min_widths={0: 22, 1: 10, 2: 60})

"""The Consolidation Entries sheet of a node's workbook: every entry of the
node (eliminations, investment, NCI, and whatever steps consolidation adds),
by step, with its basis where known (:mod:`closekit.report.entry_basis`),
so that a controller can tick them. Each step's entries balance: its
subtotal row (a SUBTOTAL formula) is zero."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby

from closekit.report import labels
from closekit.report.chart import ZERO
from closekit.report.entry_basis import Basis
from closekit.report.excel_format import PERCENT, Sheet, col_range
from closekit.report.excel_page import Page
from closekit.report.queries import Entry

_COLUMNS = ("entity", "partner", "account", "name", "detail", "share", "basis_amount", "amount")


def write_entries(
    sheet: Sheet,
    page: Page,
    entries: Sequence[Entry],
    basis: Mapping[Entry, Basis],
    names: Mapping[str, str],
) -> None:
    t = page.t
    page.banner(sheet, "consolidation_entries", t("signed_note"))
    sheet.header([[t("step"), *(t(k) for k in _COLUMNS)]], right_from=6)
    if not entries:
        sheet.text(sheet.row, 0, t("no_node_entries"), italic=True)
        sheet.row += 1
    ordered = sorted(entries, key=lambda e: (e.step, e.entity, e.partner, e.account, e.note))
    for step, in_step in groupby(ordered, key=lambda e: e.step):
        rows = list(in_step)
        head = sheet.row
        sheet.text(head, 0, labels.step(page.language, step), bold=True)
        sheet.row += 1
        for entry in rows:
            row = sheet.row
            sheet.text(row, 1, entry.entity)
            sheet.text(row, 2, entry.partner)
            sheet.text(row, 3, entry.account)
            sheet.text(row, 4, names.get(entry.account, ""))
            sheet.wrapped(row, 5, entry.note)
            found = basis.get(entry)
            sheet.number(row, 6, found.share if found else None, PERCENT)
            sheet.money(row, 7, found.base if found else None)
            sheet.money(row, 8, entry.amount_group)
            sheet.group(row, 1)
            sheet.row += 1
        total = sum((e.amount_group for e in rows), ZERO)
        rng = col_range(head + 1, sheet.row - 1, 8)
        sheet.formula(head, 8, f"=SUBTOTAL(9,{rng})", total, bold=True)
    sheet.notes([t("entries_note")])
    sheet.finish(
        freeze_cols=1,
        min_widths={0: 22, 1: 8, 2: 8, 3: 8, 4: 26, 5: 34, 6: 9, 7: 16, 8: 16},
    )

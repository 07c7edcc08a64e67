"""The Intercompany sheet of a node's workbook (SPEC section 7.2).

Each pair of members on each plug account: what each side put on the plug
and what remains (the difference is a formula). Only plugs with role
``ic_difference`` are matching accounts, checked against the tolerance; on
any other plug (cost of sales receiving intercompany goods revenue while
the buyer holds the goods, retained earnings receiving dividend income) the
remainder is the elimination itself, not a difference, and every such row
says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from closekit.consolidation import ICPair
from closekit.report import labels
from closekit.report.excel_format import Sheet, cell
from closekit.report.excel_page import Page


def ic_note(language: str, pair: ICPair) -> str:
    """Why a pair's row is what it is, in the report language."""
    one_sided = not pair.partner_side or not pair.entity_side
    return labels.ic_note(language, pair.checked, one_sided, pair.within_tolerance)


def write_intercompany(
    sheet: Sheet,
    page: Page,
    pairs: Sequence[ICPair],
    names: Mapping[str, str],
    tolerance: str,
) -> None:
    """``names``: account names; ``tolerance``: as the subtitle shows it."""
    t = page.t
    page.banner(sheet, "intercompany", f"{t('tolerance')} {tolerance} · {t('signed_note')}")
    sheet.header(
        [[t(k) for k in ("entity", "partner", "plug_account", "name", "side_entity",
                         "side_partner", "difference", "ic_checked", "within_tolerance",
                         "ic_explanation")]],
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
        sheet.wrapped(row, 7, t("yes" if pair.checked else "no"), align="right")
        if pair.checked:
            sheet.wrapped(row, 8, t("yes" if pair.within_tolerance else "no"), bold=flagged,
                          align="right")  # fmt: skip
        sheet.wrapped(row, 9, ic_note(page.language, pair))
        sheet.row += 1
    sheet.notes([t("ic_sheet_note")])
    sheet.finish(
        freeze_cols=2,
        min_widths={0: 10, 1: 10, 2: 10, 3: 28, 4: 16, 5: 16, 6: 16, 7: 10, 8: 10, 9: 44},
    )

"""The IC documents sheet of the group workbook (SPEC section 20).

Per intercompany pair of the group and matching plug account: the pair's
remainder on the plug, then every intra-group document of either side by
``ic_ref`` (matched, amount differs, one side only, with date and age at the
period end, each side's own document numbers and amounts in document and
group currency), then the lines not based on a document (journals, opening,
revaluation, rounding). The lines' differences add up to the remainder: the
pair's total row is a SUM formula a controller can check against it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from closekit.consolidation.reconciliation_records import ICReconciliation
from closekit.report.excel_format import Sheet, col_range
from closekit.report.excel_page import Page

_HEAD = (
    "entity", "partner", "plug_account", "ic_ref", "ic_status", "ic_date", "ic_age",
    "ic_entity_docs", "ic_partner_docs", "currency", "ic_entity_doc_amount",
    "ic_partner_doc_amount", "ic_difference_doc", "side_entity", "side_partner", "difference",
)  # fmt: skip


def write_ic_documents(
    sheet: Sheet, page: Page, pairs: Sequence[ICReconciliation], names: Mapping[str, str]
) -> None:
    """``pairs``: the group's reconciliation (closekit.consolidation);
    ``names``: account names."""
    t = page.t
    page.banner(sheet, "ic_documents", t("signed_note"))
    sheet.header([[t(k) for k in _HEAD]], right_from=5)
    for rec in pairs:
        for plug in rec.plugs:
            lines = rec.lines_of(plug.plug_account)
            first = sheet.row
            for line in lines:
                row = sheet.row
                sheet.text(row, 0, rec.entity)
                sheet.text(row, 1, rec.partner)
                sheet.text(row, 2, plug.plug_account)
                # a document's reference, else the module the line comes from
                sheet.text(row, 3, line.ic_ref or line.source)
                status = line.status
                if line.missing_side:
                    status = f"{status} ({t('ic_missing')} {line.missing_side})"
                sheet.text(row, 4, status)
                sheet.text(row, 5, line.date.isoformat() if line.date else "")
                if line.age_days is not None:
                    sheet.number(row, 6, Decimal(line.age_days), "0")
                sheet.text(row, 7, line.entity_doc_ids)
                sheet.text(row, 8, line.partner_doc_ids)
                currencies = {c for c in (line.entity_currency, line.partner_currency) if c}
                sheet.text(row, 9, "/".join(sorted(currencies)))
                sheet.money(row, 10, line.entity_amount_doc)
                sheet.money(row, 11, line.partner_amount_doc)
                sheet.money(row, 12, line.difference_doc)
                sheet.money(row, 13, line.entity_amount)
                sheet.money(row, 14, line.partner_amount)
                sheet.money(row, 15, line.difference)
                sheet.row += 1
            row = sheet.row
            name = names.get(plug.plug_account, "")
            label = f"{t('total')} {rec.entity}/{rec.partner} {plug.plug_account} {name}"
            sheet.label(row, 0, label.strip(), bold=True, top=1)
            for col, value in ((13, plug.entity_side), (14, plug.partner_side)):
                sheet.money(row, col, value, bold=True, top=1)
            if lines:
                sheet.formula(row, 15, f"=SUM({col_range(first, row - 1, 15)})", plug.difference,
                              bold=True, top=1)  # fmt: skip
            else:
                sheet.money(row, 15, plug.difference, bold=True, top=1)
            sheet.row += 2
    sheet.notes([t("ic_documents_note")])
    sheet.finish(freeze_cols=2, min_widths={0: 10, 1: 10, 2: 10, 3: 16, 4: 22, 7: 16, 8: 16})

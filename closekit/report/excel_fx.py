"""The FX Translation sheet of a node's workbook (SPEC section 7.1).

Per member in a foreign currency: each account's rate kind, the months it
covers, the rate, its functional and translated balance, the CTA last; the
member's row totals its detail with SUBTOTAL, zero when the CTA closes the
translated trial balance. Below every average- and historical-rate account
its months (folded): each month's movement at that month's average rate and
the lines that keep their own group amount (opening rows, journals with
``amount_group``), so that every translated figure can be recomputed:
closing-rate balances as functional x closing rate, the others as the sum
of their months (to the cent of rounding per balance key).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from closekit.consolidation.translation_summary import TranslationLine
from closekit.periods import fiscal_year_start
from closekit.report import labels
from closekit.report.chart import ZERO
from closekit.report.excel_format import RATE, Sheet, col_range
from closekit.report.excel_page import Page
from closekit.report.fx_months import Key, TranslationMonth
from closekit.report.worksheet import NodeMember

_COLUMNS = ("entity", "account", "name", "currency", "rate_kind", "months", "rate",
            "functional", "translated")  # fmt: skip


def write_translation(
    sheet: Sheet,
    page: Page,
    lines: Sequence[TranslationLine],
    members: Sequence[NodeMember],
    months: Mapping[Key, list[TranslationMonth]],
    names: Mapping[str, str],
    period: str,
    fiscal_year_start_month: int,
    group_currency: str,
) -> None:
    t, language = page.t, page.language
    page.banner(sheet, "fx_translation", t("signed_note"))
    sheet.header([[t(k) for k in _COLUMNS]], right_from=6)
    by_entity: dict[str, list[TranslationLine]] = {}
    for line in lines:
        by_entity.setdefault(line.entity, []).append(line)
    year = labels.months(language, fiscal_year_start(period, fiscal_year_start_month), period)
    # Members in the group currency are not translated (SPEC 7.1): named in a note.
    at_par = [m.entity for m in members if m.currency == group_currency]
    at_end = labels.month_end(language, period)
    for member in members:
        detail = by_entity.get(member.entity, [])
        if not detail or member.currency == group_currency:
            continue
        head = sheet.row
        sheet.row += 1
        for line in detail:
            row = sheet.row
            spans = {"closing": at_end, "average": year}
            sheet.text(row, 0, line.entity)
            sheet.text(row, 1, line.account)
            sheet.text(row, 2, names.get(line.account, line.name), indent=1)
            sheet.text(row, 3, line.currency)
            sheet.text(row, 4, labels.rate_kind(language, line.rate_kind))
            sheet.text(row, 5, spans.get(line.rate_kind, ""))
            sheet.number(row, 6, line.rate if line.rate_kind == "closing" else None, RATE)
            sheet.group(row, 1)
            sheet.row += 1
            shown = months.get((line.entity, line.account), [])
            if shown and _ties(line, shown):
                # The account is the sum of its months: SUBTOTAL formulas a
                # controller can follow (the member's SUBTOTAL skips them).
                for month in shown:
                    _month_rows(sheet, page, month)
                for col, value in ((7, line.functional), (8, line.translated)):
                    rng = col_range(row + 1, sheet.row - 1, col)
                    sheet.formula(row, col, f"=SUBTOTAL(9,{rng})", value)
            else:
                sheet.money(row, 7, line.functional)
                sheet.money(row, 8, line.translated, bold=line.rate_kind == "cta")
        last = sheet.row - 1
        sheet.text(head, 0, member.entity, bold=True)
        sheet.text(head, 2, labels.name(language, member.name, member.name_zh), bold=True)
        sheet.text(head, 3, member.currency, bold=True)
        functional = sum((x.functional for x in detail), ZERO)
        translated = sum((x.translated for x in detail), ZERO)
        sheet.formula(head, 7, f"=SUBTOTAL(9,{col_range(head + 1, last, 7)})", functional,
                      bold=True)  # fmt: skip
        sheet.formula(head, 8, f"=SUBTOTAL(9,{col_range(head + 1, last, 8)})", translated,
                      bold=True)  # fmt: skip
    notes = [t("fx_sheet_note")]
    if at_par:
        notes.append(t("fx_at_par").format(group_currency, ", ".join(at_par)))
    sheet.notes(notes)
    sheet.finish(
        freeze_cols=3,
        min_widths={0: 10, 1: 10, 2: 32, 3: 9, 4: 11, 5: 14, 6: 14, 7: 16, 8: 16},
    )


def _ties(line: TranslationLine, months: Sequence[TranslationMonth]) -> bool:
    """The months add up to the account's balance (every month's translated
    movement known): only then are they shown, as its detail."""
    functional = sum((m.functional + m.own_functional for m in months), ZERO)
    if functional != line.functional or any(m.translated is None for m in months):
        return False
    return sum((m.translated or ZERO for m in months), ZERO) == line.translated


def _month_rows(sheet: Sheet, page: Page, month: TranslationMonth) -> None:
    """A month of an account (outline level 2): its movement at the month's
    average rate, then the lines that keep their own group amount."""
    span = labels.months(page.language, month.period, month.period)
    own = bool(month.own_functional or month.own_group)
    parts = [(page.t("at_rate"), month.rate, month.functional,
              (month.translated or ZERO) - month.own_group)]  # fmt: skip
    if own:
        parts.append((page.t("own_amounts"), None, month.own_functional, month.own_group))
    for kind, rate, functional, translated in parts:
        if kind == page.t("at_rate") and own and not functional and not translated:
            continue
        row = sheet.row
        sheet.text(row, 4, kind, italic=True)
        sheet.text(row, 5, span, italic=True)
        sheet.number(row, 6, rate, RATE, italic=True)
        sheet.money(row, 7, functional, italic=True)
        sheet.money(row, 8, translated, italic=True)
        sheet.group(row, 2)
        sheet.row += 1

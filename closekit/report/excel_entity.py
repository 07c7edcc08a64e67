"""``entities/ENTITY.xlsx``: a legal entity's balance sheet, income statement
and trial balance in its functional currency (SPEC section 10)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

import duckdb

from closekit.ledger import TBLine
from closekit.report import labels
from closekit.report.chart import Account
from closekit.report.excel_format import new_workbook
from closekit.report.excel_statement import write_statement, write_trial_balance
from closekit.report.sources import LedgerBalances, entity_source
from closekit.report.statements import balance_sheet, income_statement
from closekit.workspace import Settings


def write_entity_workbook(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    tree: tuple[Account, ...],
    entity: tuple[str, str, str, str],
    path: Path,
    draft: bool,
    ledger: LedgerBalances,
    has_books: bool = True,
) -> Path:
    """entity: (code, name, name_zh, functional currency); ``ledger`` is
    shared by every entity's workbook (one ledger query per period). An
    entity without books (no journal line through the period: a holding
    company whose ledgers are not loaded) says so under every statement."""
    code, name, name_zh, currency = entity
    language = settings.language
    t = partial(labels.text, language)
    title = f"{code} {labels.name(language, name, name_zh)}"
    subtitle = f"{t('period')} {period} · {currency} ({t('functional')})"
    source = entity_source(con, settings, code, period, ledger)
    workbook, formats = new_workbook(path, f"{title} {period}", period)
    statements = [
        balance_sheet(tree, source, period, language, accounts=settings.accounts),
        income_statement(tree, source, period, language, settings.accounts.nci_profit, False),
    ]
    if not has_books:
        note = f"{code}: {t('no_books').format(period)}"
        statements = [replace(s, notes=(note, *s.notes)) for s in statements]
    for statement in statements:
        write_statement(workbook, formats, statement, language=language, draft=draft,
                        title=f"{title} — {t(statement.kind)}",
                        subtitle=f"{subtitle} · {t('presented_note')}")  # fmt: skip
    names = {a.account: labels.name(language, a.name, a.name_zh) for a in tree}
    # The trial balance as ``closekit tb --entity`` lists it: posting accounts
    # with a balance, by account code.
    kinds = {a.account: a.type for a in tree}
    lines = [
        TBLine(account, names.get(account, account), kinds.get(account, ""), amount)
        for account, amount in sorted(ledger.at(period, code).items())
    ]
    write_trial_balance(
        workbook, formats, lines, names,
        language=language, draft=draft, title=f"{title} — {t('trial_balance')}",
        subtitle=f"{subtitle} · {t('ytd')}",
    )  # fmt: skip
    workbook.close()
    return path

"""The statement layout (``master/statement_layout.csv``, optional).

Statements are drawn from the account tree (SPEC section 3); the layout adds
what a controller expects of a printed income statement and the tree alone
cannot say:

- ``positive``: which balance of an income-statement account shows
  positive, ``credit`` or ``debit``. By default revenue shows positive when
  credit and expense when debit (SPEC section 1); a section of gains and
  losses typed ``expense`` is marked ``credit`` so that a net gain shows
  positive. An account without a value takes its nearest ancestor's.
- ``subtotal`` (and ``subtotal_zh``): a running subtotal of the income
  statement printed after the account's subtree: everything above it, as
  profit (``Gross profit`` after cost of sales, ``Operating profit`` after
  operating expenses).

Only revenue and expense accounts take either column: balance-sheet totals
are fixed (total assets, liabilities, equity), and a sign flipped inside a
balance-sheet section would no longer add up to its subtotal.
"""

from __future__ import annotations

from closekit.master.records import MasterRows, check_enum, unique_codes

FILE = "statement_layout"
COLUMNS = (("account",), ("positive", "subtotal", "subtotal_zh"))
INCOME_TYPES = ("revenue", "expense")


def statement_layout(m: MasterRows, accounts: dict[str, str]) -> list[tuple[object, ...]]:
    """The layout rows as stored; ``accounts`` maps every account code to its type."""
    rows, problems = m.rows.get(FILE, []), m.problems
    out: list[tuple[object, ...]] = []
    for code, row in unique_codes(rows, "account", problems).items():
        kind = accounts.get(code)
        if kind is None:
            problems.append(
                row.problem("account", f'unknown account "{code}"; see master/accounts.csv')
            )
            continue
        positive = check_enum(row, "positive", ("", "credit", "debit"), problems)
        subtotal, subtotal_zh = row.get("subtotal"), row.get("subtotal_zh")
        for column, value in (("positive", positive), ("subtotal", subtotal)):
            if value and kind not in INCOME_TYPES:
                message = (
                    "applies to income-statement accounts (revenue or expense); "
                    f'account "{code}" is {kind}'
                )
                problems.append(row.problem(column, message))
        if subtotal_zh and not subtotal:
            problems.append(row.problem("subtotal_zh", "is given without a subtotal"))
        out.append((code, positive, subtotal, subtotal_zh))
    return out

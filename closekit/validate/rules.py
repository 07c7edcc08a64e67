"""The rules of SPEC section 4, each small and named.

A :class:`RowRule` looks at one row: ``when`` is a SQL condition over the
row ``s`` and its master data (``e`` the entity, ``pe`` the partner entity,
``pc`` the profit center, ``cc`` the cost center, ``a`` the account, ``dr``
the document currency's rate, ``x`` the cross rate to the functional
currency); ``message`` says what is wrong. All row rules run in one pass
over the staged rows.

A :class:`SetRule` needs other rows (duplicates, documents, rule sets): a SQL
query yielding ``(path, row_no, column_name, message)``.

Parameters: ``$first`` (first period folder), ``$group`` (group
currency). ``ok`` is the staged rows the reader could split; each row's
``period`` is its file's folder, so one pass validates several periods, and
the rules that compare rows (duplicates, documents) compare rows of one
period.
"""

from __future__ import annotations

from typing import NamedTuple

from closekit.validate.columns import AMOUNT_COLUMNS, JOURNAL_FLOWS, NON_EMPTY, SUBLEDGERS


class RowRule(NamedTuple):
    name: str
    column: str
    when: str
    message: str


class SetRule(NamedTuple):
    name: str
    sql: str


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _quoted(column: str) -> str:
    return f"""'"' || s.{column} || '"'"""


# SPEC section 1: plain decimals, no thousands separators, no exponent.
NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
IS_DATE = (
    f"regexp_full_match(s.date, '{ISO_DATE}') AND try_strptime(s.date, '%Y-%m-%d') IS NOT NULL"
)
IS_CURRENCY = "regexp_full_match(s.currency, '[A-Za-z]{3}')"


def _required() -> list[RowRule]:
    """Values every row of a module must have (SPEC sections 1 and 4)."""
    modules_by_column: dict[str, list[str]] = {}
    for module, columns in NON_EMPTY.items():
        for column in columns:
            modules_by_column.setdefault(column, []).append(module)
    return [
        RowRule(
            f"required_{column}",
            column,
            f"s.{column} = '' AND s.module IN {_in(tuple(modules))}",
            "'is required'",
        )
        for column, modules in modules_by_column.items()
    ]


# The largest amount one row may carry (SPEC section 1 keeps amounts in
# DECIMAL(18, 2), whose largest value is 9999999999999999.99): 14 integer
# digits leave room for a hundred such rows in one balance, for net + tax and
# for translation at a rate above 1. A total that still outgrows DECIMAL(18, 2)
# stops the step with a clear error (closekit.db.amounts_fit), never a traceback.
AMOUNT_DIGITS = 14
QUANTITY_DIGITS = 12


def largest(places: int, integer_digits: int) -> str:
    """The largest plain number with these digits: ``99.99`` for (2, 2)."""
    return "9" * integer_digits + ("." + "9" * places if places else "")


def _number(column: str, what: str, places: int, integer_digits: int) -> RowRule:
    """A plain number with at most ``places`` decimals and ``integer_digits``
    digits before the point (leading zeros aside)."""
    valid = rf"[+-]?(0*\d{{1,{integer_digits}}}(\.\d{{0,{places}}})?|\.\d{{1,{places}}})"
    few_places = rf"[+-]?\d*(\.\d{{0,{places}}})?"
    value = _quoted(column)
    return RowRule(
        f"number_{column}",
        column,
        f"s.{column} <> '' AND NOT regexp_full_match(s.{column}, '{valid}')",
        f"""CASE WHEN NOT regexp_full_match(s.{column}, '{NUMBER}')
          THEN {value} || ' is not a number'
     WHEN NOT regexp_full_match(s.{column}, '{few_places}')
          THEN {value} || ' has more than {places} decimal places'
     ELSE '{what} is too large (max {largest(places, integer_digits)})' END""",
    )


# Excel keeps at most 32,767 characters in a cell and cuts the rest without a
# word; a text the workbooks would cut is rejected here instead. strlen (bytes,
# constant time) spares counting the characters of every ordinary value.
EXCEL_TEXT = 32767
FREE_TEXT = ("doc_id", "customer", "supplier", "payee", "product", "item", "description")


def _excel_text(column: str) -> RowRule:
    return RowRule(
        f"excel_text_{column}",
        column,
        f"strlen(s.{column}) > {EXCEL_TEXT} AND length(s.{column}) > {EXCEL_TEXT}",
        f"'text is ' || length(s.{column}) || ' characters long;"
        f" an Excel cell holds at most {EXCEL_TEXT}'",
    )


ROW_RULES: list[RowRule] = [
    *_required(),
    *(_excel_text(column) for column in FREE_TEXT),
    *(_number(column, "amount", 2, AMOUNT_DIGITS) for column in AMOUNT_COLUMNS),
    _number("quantity", "quantity", 6, QUANTITY_DIGITS),
    RowRule(
        "date_iso",
        "date",
        f"s.date <> '' AND NOT ({IS_DATE})",
        f"{_quoted('date')} || ' is not a date (YYYY-MM-DD)'",
    ),
    RowRule(
        "date_in_period",
        "date",
        # the cheap comparison first: DuckDB evaluates the rest of an AND
        # only for the rows it leaves, so IS_DATE (a regular expression and
        # a strptime, already paid by date_iso) runs for the few rows
        # dated outside their folder, not again for every row
        f"left(s.date, 7) <> s.period AND {IS_DATE}",
        "s.date || ' is outside period ' || s.period",
    ),
    RowRule(
        "currency_code",
        "currency",
        f"s.currency <> '' AND NOT {IS_CURRENCY}",
        f"{_quoted('currency')} || ' is not a three-letter currency code'",
    ),
    RowRule(
        "entity_exists",
        "entity",
        "s.entity <> '' AND e.entity IS NULL",
        """'unknown entity "' || s.entity || '"'""",
    ),
    RowRule(
        "partner_exists",
        "partner",
        "s.partner <> '' AND pe.entity IS NULL",
        """'unknown entity "' || s.partner || '"'""",
    ),
    RowRule(
        "partner_not_entity",
        "partner",
        "s.partner <> '' AND s.partner = s.entity",
        """'partner "' || s.partner || '" is the entity itself'""",
    ),
    RowRule(
        "profit_center_exists",
        "profit_center",
        "s.profit_center <> '' AND pc.profit_center IS NULL",
        """'unknown profit center "' || s.profit_center || '"'""",
    ),
    RowRule(
        "cost_center_exists",
        "cost_center",
        "s.cost_center <> '' AND cc.cost_center IS NULL",
        """'unknown cost center "' || s.cost_center || '"'""",
    ),
    RowRule(
        # SPEC section 3: a cost center belongs to one legal entity; postings
        # to it from another entity are rejected.
        "cost_center_entity",
        "cost_center",
        "e.entity IS NOT NULL AND cc.entity <> s.entity",
        """'cost center "' || s.cost_center || '" belongs to entity ' || cc.entity ||
       ', not ' || s.entity""",
    ),
    RowRule(
        "account_exists",
        "account",
        "s.module IN ('journals', 'opening') AND s.account <> '' AND a.account IS NULL",
        """'unknown account "' || s.account || '"'""",
    ),
    RowRule(
        # SPEC section 3: accounts that are parents are summary accounts.
        "account_posting",
        "account",
        "s.module IN ('journals', 'opening') AND a.is_summary",
        """'account "' || s.account || '" is a summary account; nothing posts to it'""",
    ),
    RowRule(
        # SPEC section 4: a document currency without an average rate for the
        # period cannot be converted to the functional currency.
        "document_rate",
        "currency",
        # (the currency compared before its regular expression: see date_in_period)
        f"s.module <> 'opening' AND upper(s.currency) <> e.currency AND {IS_CURRENCY} "
        "AND x.ratio IS NULL",
        """'no average rate for ' ||
       CASE WHEN dr.average IS NULL THEN upper(s.currency) ELSE e.currency END ||
       ' in ' || s.period ||
       ' (needed to convert ' || upper(s.currency) || ' to ' || e.currency || ')'""",
    ),
    RowRule(
        # SPEC 19.1: the flow of a journal line's movement.
        "journal_flow",
        "flow",
        f"s.module = 'journals' AND s.flow <> '' AND lower(s.flow) NOT IN {_in(JOURNAL_FLOWS)}",
        f"{_quoted('flow')} || ' is not one of {' | '.join(JOURNAL_FLOWS)}'",
    ),
    RowRule(
        "opening_flow",
        "flow",
        "s.module = 'opening' AND s.flow <> '' AND lower(s.flow) <> 'opening'",
        f"{_quoted('flow')} || ' is not the flow of an opening row: "
        "opening rows are balances brought forward (opening)'",
    ),
    RowRule(
        "opening_first_period",
        "",
        "s.module = 'opening' AND s.period <> $first",
        "'opening balances belong in the first period ' || $first",
    ),
    RowRule(
        # SPEC section 4: opening rows of a foreign-currency entity bring in the
        # translated balance on historical- and average-rate accounts.
        "opening_amount_group",
        "amount_group",
        "s.module = 'opening' AND s.amount_group = '' AND e.currency <> $group "
        "AND a.rate IN ('historical', 'average')",
        """'is required: entity ' || s.entity || ' keeps its books in ' || e.currency ||
       ' and account ' || s.account || ' is translated at the ' || a.rate || ' rate'""",
    ),
]

# The master data each row rule may look at, joined once per row.
ROW_CONTEXT = """
FROM ok s
LEFT JOIN entity e ON e.entity = s.entity
LEFT JOIN entity pe ON pe.entity = s.partner
LEFT JOIN profit_center pc ON pc.profit_center = s.profit_center
LEFT JOIN cost_center cc ON cc.cost_center = s.cost_center
LEFT JOIN account a ON a.account = s.account
LEFT JOIN fx_rate dr ON dr.period = s.period AND dr.currency = upper(s.currency)
LEFT JOIN fx_cross x ON x.period = s.period AND x.kind = 'average'
      AND x.from_currency = upper(s.currency) AND x.to_currency = e.currency
"""

# The posting rule set a subledger row takes (SPEC section 3): the set of
# its exact intercompany flag (yes when it has a partner, else no), else 'any'.
RULE_FLAG = f"""
SELECT s.*,
       CASE WHEN exact.kind IS NOT NULL THEN exact.intercompany
            WHEN fallback.kind IS NOT NULL THEN 'any' END AS rule_flag
FROM ok s
LEFT JOIN (SELECT DISTINCT module, kind, intercompany FROM posting_rule) exact
       ON exact.module = s.module AND exact.kind = s.kind
      AND exact.intercompany = CASE WHEN s.partner <> '' THEN 'yes' ELSE 'no' END
LEFT JOIN (SELECT DISTINCT module, kind FROM posting_rule WHERE intercompany = 'any') fallback
       ON fallback.module = s.module AND fallback.kind = s.kind
WHERE s.module IN {_in(SUBLEDGERS)}
"""

SET_RULES: list[SetRule] = [
    SetRule("field_count", "SELECT path, row_no, '', error FROM stage WHERE error IS NOT NULL"),
    SetRule(
        # SPEC section 4: (module, entity, doc_id, line) is unique within a
        # period; the later one in file-name, then row order is rejected.
        "duplicate_line",
        # Candidates are found by a hash of the key (grouping 10M rows by one
        # number, not four strings); the window then compares the key itself,
        # so a hash collision flags nothing.
        """WITH repeated AS (
    SELECT hash(period, module, entity, doc_id, line) AS key FROM ok WHERE doc_id <> ''
    GROUP BY key HAVING count(*) > 1
)
SELECT path, row_no, 'line',
       'duplicate: ' || module || ' document "' || doc_id || '" line "' || line || '" of entity ' ||
       entity || ' is already on ' || first_path || ':' || first_row
FROM (SELECT path, row_no, module, entity, doc_id, line,
             row_number() OVER w AS n,
             first_value(path) OVER w AS first_path,
             first_value(row_no) OVER w AS first_row
      FROM ok
      WHERE doc_id <> ''
        AND hash(period, module, entity, doc_id, line) IN (SELECT key FROM repeated)
      WINDOW w AS (PARTITION BY period, module, entity, doc_id, line ORDER BY seq, row_no))
WHERE n > 1""",
    ),
    SetRule(
        "posting_rule_exists",
        f"""SELECT path, row_no, 'kind',
       'no posting rule set for ' || module || ' kind "' || kind || '" (intercompany ' ||
       CASE WHEN partner <> '' THEN 'yes' ELSE 'no' END || ' or any)'
FROM ({RULE_FLAG})
WHERE kind <> '' AND rule_flag IS NULL""",
    ),
    SetRule(
        # SPEC section 4: a posting to a revenue or expense account must carry
        # a profit center or a cost center.
        "dimension_pnl",
        """SELECT path, row_no, 'profit_center',
       'posting to ' || pnl_type || ' account ' || pnl_account ||
       ' needs a profit center or a cost center'
FROM posted WHERE pnl_account IS NOT NULL AND profit_center = '' AND cost_center = ''""",
    ),
    SetRule(
        # SPEC section 3: every posting to an intercompany account carries a partner.
        "dimension_partner",
        """SELECT path, row_no, 'partner',
       'posting to intercompany account ' || ic_account || ' needs a partner'
FROM posted WHERE ic_account IS NOT NULL AND partner = ''""",
    ),
    SetRule(
        # SPEC sections 3, 7.3 and 14: the investment account carries as partner
        # an entity the posting entity holds directly, in entities.csv or in
        # some ownership.csv row (an acquisition or a disposal moves it).
        "dimension_investment",
        """SELECT p.path, p.row_no, 'partner',
       'posting to investment account ' || p.investment_account ||
       ' needs a direct subsidiary of ' || p.entity || ' as partner'
FROM posted p
WHERE p.investment_account IS NOT NULL
  AND (p.partner = '' OR (p.partner, p.entity) NOT IN (
          SELECT (entity, parent) FROM entity
          UNION SELECT (entity, parent) FROM ownership))""",
    ),
    SetRule(
        # SPEC section 17: dividend income is received from a group entity.
        "dimension_dividend",
        """SELECT path, row_no, 'partner',
       'posting to dividend income account ' || dividend_account ||
       ' needs the paying group entity as partner'
FROM posted WHERE dividend_account IS NOT NULL AND partner = ''""",
    ),
    SetRule(
        # SPEC section 4: a journal document balances in its document currency.
        "journal_currency",
        """SELECT path, row_no, 'currency',
       'journal document "' || doc_id || '" of entity ' || entity || ' mixes currencies'
FROM (SELECT *, count(DISTINCT upper(currency))
                    OVER (PARTITION BY period, entity, doc_id) AS currencies
      FROM ok WHERE module = 'journals' AND doc_id <> '')
WHERE currencies > 1""",
    ),
    SetRule(
        "journal_balance",
        """SELECT path, row_no, 'debit',
       'journal document "' || doc_id || '" of entity ' || entity ||
       ' does not balance: debit - credit = ' || difference
FROM (SELECT *, sum(coalesce(try_cast(nullif(debit, '') AS DECIMAL(18, 2)), 0)
                  - coalesce(try_cast(nullif(credit, '') AS DECIMAL(18, 2)), 0))
                OVER (PARTITION BY period, entity, doc_id) AS difference
      FROM ok WHERE module = 'journals' AND doc_id <> '')
WHERE difference <> 0""",
    ),
    SetRule(
        # SPEC section 4: opening documents balance in functional currency.
        "opening_balance",
        """SELECT path, row_no, 'amount',
       'opening document "' || doc_id || '" of entity ' || entity ||
       ' does not balance: sum of amount = ' || difference
FROM (SELECT *, sum(coalesce(try_cast(nullif(amount, '') AS DECIMAL(18, 2)), 0))
                OVER (PARTITION BY period, entity, doc_id) AS difference
      FROM ok WHERE module = 'opening' AND doc_id <> '')
WHERE difference <> 0""",
    ),
]

# SPEC section 4: if any row of a journal or opening document is rejected,
# the whole document is rejected. Runs after the other rules filled ``problem``.
DOCUMENT_RULE = SetRule(
    "document_rejected",
    """SELECT s.path, s.row_no, 'doc_id',
       'document "' || s.doc_id || '" of entity ' || s.entity || ' is rejected with ' ||
       bad.path || ':' || bad.row_no
FROM ok s
JOIN (SELECT period, module, entity, doc_id, arg_min(path, (seq, row_no)) AS path,
             arg_min(row_no, (seq, row_no)) AS row_no
      FROM ok JOIN (SELECT DISTINCT path, row_no FROM problem) USING (path, row_no)
      WHERE module IN ('journals', 'opening') AND doc_id <> ''
      GROUP BY period, module, entity, doc_id) bad USING (period, module, entity, doc_id)
WHERE NOT EXISTS (SELECT 1 FROM problem p WHERE p.path = s.path AND p.row_no = s.row_no)""",
)

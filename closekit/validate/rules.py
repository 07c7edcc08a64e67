"""Row rules of SPEC section 4, each a small named SQL query over ``ok``.

Every rule yields ``(path, row_no, column_name, message)`` for the rows it
rejects; a row is accepted when no rule names it. ``ok`` is the staging table
without the rows the reader could not split (those are rejected by
``field_count``). Parameters: ``$period``, ``$first`` (first period folder),
``$group`` (group currency).
"""

from __future__ import annotations

from typing import NamedTuple

from closekit.validate.columns import AMOUNT_COLUMNS, NON_EMPTY, SUBLEDGERS


class Rule(NamedTuple):
    name: str
    sql: str


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# SPEC section 1: plain decimals, no thousands separators, no exponent.
NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)"
TWO_PLACES = r"[+-]?\d*(\.\d{0,2})?"
SIX_PLACES = r"[+-]?\d*(\.\d{0,6})?"


def _required() -> list[Rule]:
    """Values every row of a module must have."""
    modules_by_column: dict[str, list[str]] = {}
    for module, columns in NON_EMPTY.items():
        for column in columns:
            modules_by_column.setdefault(column, []).append(module)
    return [
        Rule(
            f"required_{column}",
            f"SELECT path, row_no, '{column}', 'is required' FROM ok "
            f"WHERE {column} = '' AND module IN {_in(tuple(modules))}",
        )
        for column, modules in modules_by_column.items()
    ]


def _number(column: str, places_pattern: str, places: int, integer_digits: int) -> Rule:
    """A number with at most ``places`` decimals that fits DECIMAL(18, places)."""
    return Rule(
        f"number_{column}",
        f"""SELECT path, row_no, '{column}',
       CASE WHEN NOT regexp_full_match({column}, '{NUMBER}')
                 THEN '"' || {column} || '" is not a number'
            WHEN NOT regexp_full_match({column}, '{places_pattern}')
                 THEN '"' || {column} || '" has more than {places} decimal places'
            ELSE '"' || {column} || '" is too large' END
FROM ok
WHERE {column} <> ''
  AND (NOT regexp_full_match({column}, '{places_pattern}')
       OR NOT regexp_full_match({column}, '{NUMBER}')
       OR length(regexp_extract({column}, '(\\d*)', 1)) > {integer_digits})""",
    )


ROW_RULES: list[Rule] = [
    Rule("field_count", "SELECT path, row_no, '', error FROM stage WHERE error IS NOT NULL"),
    *_required(),
    *(_number(column, TWO_PLACES, 2, 16) for column in AMOUNT_COLUMNS),
    _number("quantity", SIX_PLACES, 6, 12),
    Rule(
        "date_iso",
        """SELECT path, row_no, 'date', '"' || date || '" is not a date (YYYY-MM-DD)' FROM ok
WHERE date <> '' AND (NOT regexp_full_match(date, '\\d{4}-\\d{2}-\\d{2}')
                      OR try_strptime(date, '%Y-%m-%d') IS NULL)""",
    ),
    Rule(
        "date_in_period",
        """SELECT path, row_no, 'date', date || ' is outside period ' || $period FROM ok
WHERE regexp_full_match(date, '\\d{4}-\\d{2}-\\d{2}') AND try_strptime(date, '%Y-%m-%d') IS NOT NULL
  AND left(date, 7) <> $period""",
    ),
    Rule(
        "currency_code",
        """SELECT path, row_no, 'currency',
       '"' || currency || '" is not a three-letter currency code'
FROM ok WHERE currency <> '' AND NOT regexp_full_match(currency, '[A-Za-z]{3}')""",
    ),
    Rule(
        "entity_exists",
        """SELECT path, row_no, 'entity', 'unknown entity "' || s.entity || '"' FROM ok s
WHERE s.entity <> '' AND s.entity NOT IN (SELECT entity FROM entity)""",
    ),
    Rule(
        "partner_exists",
        """SELECT path, row_no, 'partner', 'unknown entity "' || s.partner || '"' FROM ok s
WHERE s.partner <> '' AND s.partner NOT IN (SELECT entity FROM entity)""",
    ),
    Rule(
        "partner_not_entity",
        """SELECT path, row_no, 'partner', 'partner "' || partner || '" is the entity itself'
FROM ok
WHERE partner <> '' AND partner = entity""",
    ),
    Rule(
        "profit_center_exists",
        """SELECT path, row_no, 'profit_center', 'unknown profit center "' || s.profit_center || '"'
FROM ok s WHERE s.profit_center <> ''
  AND s.profit_center NOT IN (SELECT profit_center FROM profit_center)""",
    ),
    Rule(
        "cost_center_exists",
        """SELECT path, row_no, 'cost_center', 'unknown cost center "' || s.cost_center || '"'
FROM ok s WHERE s.cost_center <> ''
  AND s.cost_center NOT IN (SELECT cost_center FROM cost_center)""",
    ),
    Rule(
        # SPEC section 3: a cost center belongs to one legal entity; postings
        # to it from another entity are rejected.
        "cost_center_entity",
        """SELECT s.path, s.row_no, 'cost_center',
       'cost center "' || s.cost_center || '" belongs to entity ' || c.entity ||
       ', not ' || s.entity
FROM ok s JOIN cost_center c USING (cost_center)
WHERE s.entity <> '' AND c.entity <> s.entity""",
    ),
    Rule(
        "account_exists",
        """SELECT path, row_no, 'account', 'unknown account "' || s.account || '"' FROM ok s
WHERE s.module IN ('journals', 'opening') AND s.account <> ''
  AND s.account NOT IN (SELECT account FROM account)""",
    ),
    Rule(
        # SPEC section 3: accounts that are parents are summary accounts.
        "account_posting",
        """SELECT s.path, s.row_no, 'account',
       'account "' || s.account || '" is a summary account; nothing posts to it'
FROM ok s JOIN account a USING (account)
WHERE s.module IN ('journals', 'opening') AND a.is_summary""",
    ),
    Rule(
        # SPEC section 4: a document currency without an average rate for the
        # period cannot be converted to the functional currency.
        "document_rate",
        """SELECT s.path, s.row_no, 'currency',
       'no average rate for ' ||
       CASE WHEN r.average IS NULL THEN upper(s.currency) ELSE e.currency END ||
       ' in ' || $period ||
       ' (needed to convert ' || upper(s.currency) || ' to ' || e.currency || ')'
FROM ok s
JOIN entity e USING (entity)
LEFT JOIN fx_rate r ON r.period = $period AND r.currency = upper(s.currency)
WHERE s.module <> 'opening' AND regexp_full_match(s.currency, '[A-Za-z]{3}')
  AND upper(s.currency) <> e.currency
  AND NOT EXISTS (SELECT 1 FROM fx_cross x WHERE x.period = $period AND x.kind = 'average'
                  AND x.from_currency = upper(s.currency) AND x.to_currency = e.currency)""",
    ),
    Rule(
        # SPEC section 4: (module, entity, doc_id, line) is unique within a
        # period; the later one in file-name, then row order is rejected.
        "duplicate_line",
        """SELECT path, row_no, 'line',
       'duplicate: ' || module || ' document "' || doc_id || '" line "' || line || '" of entity ' ||
       entity || ' is already on ' || first_path || ':' || first_row
FROM (SELECT path, row_no, module, entity, doc_id, line,
             row_number() OVER w AS n,
             first_value(path) OVER w AS first_path,
             first_value(row_no) OVER w AS first_row
      FROM ok WHERE doc_id <> ''
      WINDOW w AS (PARTITION BY module, entity, doc_id, line ORDER BY seq, row_no))
WHERE n > 1""",
    ),
    Rule(
        "posting_rule_exists",
        """SELECT path, row_no, 'kind',
       'no posting rule set for ' || module || ' kind "' || kind || '" (intercompany ' ||
       CASE WHEN partner <> '' THEN 'yes' ELSE 'no' END || ' or any)'
FROM ok s
WHERE s.module IN """
        + _in(SUBLEDGERS)
        + """ AND s.kind <> '' AND rule_flag IS NULL""",
    ),
    Rule(
        # SPEC section 4: a posting to a revenue or expense account must carry
        # a profit center or a cost center.
        "dimension_pnl",
        """SELECT path, row_no, 'profit_center',
       'posting to ' || pnl_type || ' account ' || pnl_account ||
       ' needs a profit center or a cost center'
FROM posted WHERE pnl_account IS NOT NULL AND profit_center = '' AND cost_center = ''""",
    ),
    Rule(
        # SPEC section 3: every posting to an intercompany account carries a partner.
        "dimension_partner",
        """SELECT path, row_no, 'partner',
       'posting to intercompany account ' || ic_account || ' needs a partner'
FROM posted WHERE ic_account IS NOT NULL AND partner = ''""",
    ),
    Rule(
        # SPEC sections 3 and 7.3: the investment account carries the subsidiary
        # (a direct child of the entity) as partner.
        "dimension_investment",
        """SELECT p.path, p.row_no, 'partner',
       'posting to investment account ' || p.investment_account ||
       ' needs a direct subsidiary of ' || p.entity || ' as partner'
FROM posted p LEFT JOIN entity sub ON sub.entity = p.partner
WHERE p.investment_account IS NOT NULL
  AND (p.partner = '' OR sub.parent IS DISTINCT FROM p.entity)""",
    ),
    Rule(
        "opening_first_period",
        """SELECT path, row_no, '', 'opening balances belong in the first period ' || $first
FROM ok WHERE module = 'opening' AND $period <> $first""",
    ),
    Rule(
        # SPEC section 4: opening rows of a foreign-currency entity bring in the
        # translated balance on historical- and average-rate accounts.
        "opening_amount_group",
        """SELECT s.path, s.row_no, 'amount_group',
       'is required: entity ' || s.entity || ' keeps its books in ' || e.currency ||
       ' and account ' || s.account || ' is translated at the ' || a.rate || ' rate'
FROM ok s JOIN entity e USING (entity) JOIN account a USING (account)
WHERE s.module = 'opening' AND s.amount_group = '' AND e.currency <> $group
  AND a.rate IN ('historical', 'average')""",
    ),
    Rule(
        # SPEC section 4: a journal document balances in its document currency.
        "journal_currency",
        """SELECT path, row_no, 'currency',
       'journal document "' || doc_id || '" of entity ' || entity || ' mixes currencies'
FROM (SELECT *, count(DISTINCT upper(currency)) OVER (PARTITION BY entity, doc_id) AS currencies
      FROM ok WHERE module = 'journals' AND doc_id <> '')
WHERE currencies > 1""",
    ),
    Rule(
        "journal_balance",
        """SELECT path, row_no, 'debit',
       'journal document "' || doc_id || '" of entity ' || entity ||
       ' does not balance: debit - credit = ' || difference
FROM (SELECT *, sum(coalesce(try_cast(nullif(debit, '') AS DECIMAL(18, 2)), 0)
                  - coalesce(try_cast(nullif(credit, '') AS DECIMAL(18, 2)), 0))
                OVER (PARTITION BY entity, doc_id) AS difference
      FROM ok WHERE module = 'journals' AND doc_id <> '')
WHERE difference <> 0""",
    ),
    Rule(
        # SPEC section 4: opening documents balance in functional currency.
        "opening_balance",
        """SELECT path, row_no, 'amount',
       'opening document "' || doc_id || '" of entity ' || entity ||
       ' does not balance: sum of amount = ' || difference
FROM (SELECT *, sum(coalesce(try_cast(nullif(amount, '') AS DECIMAL(18, 2)), 0))
                OVER (PARTITION BY entity, doc_id) AS difference
      FROM ok WHERE module = 'opening' AND doc_id <> '')
WHERE difference <> 0""",
    ),
]

# SPEC section 4: if any row of a journal or opening document is rejected,
# the whole document is rejected. Runs after ROW_RULES filled ``problem``.
DOCUMENT_RULE = Rule(
    "document_rejected",
    """SELECT s.path, s.row_no, 'doc_id',
       'document "' || s.doc_id || '" of entity ' || s.entity || ' is rejected with ' ||
       bad.path || ':' || bad.row_no
FROM ok s
JOIN (SELECT module, entity, doc_id, arg_min(path, (seq, row_no)) AS path,
             arg_min(row_no, (seq, row_no)) AS row_no
      FROM ok JOIN (SELECT DISTINCT path, row_no FROM problem) USING (path, row_no)
      WHERE module IN ('journals', 'opening') AND doc_id <> ''
      GROUP BY module, entity, doc_id) bad USING (module, entity, doc_id)
WHERE NOT EXISTS (SELECT 1 FROM problem p WHERE p.path = s.path AND p.row_no = s.row_no)""",
)

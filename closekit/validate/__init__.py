"""Validation of period rows (SPEC section 4) as named SQL rules over ``stage``.

:func:`validate` fills the temporary table ``problem(path, row_no,
column_name, message, rule)``: one row per reason. A staged row is accepted
when it has no problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from closekit.validate.columns import SUBLEDGERS
from closekit.validate.rules import DOCUMENT_RULE, ROW_CONTEXT, ROW_RULES, RULE_FLAG, SET_RULES

if TYPE_CHECKING:
    import duckdb

__all__ = ["validate"]

_SUBLEDGERS = "(" + ", ".join(f"'{m}'" for m in SUBLEDGERS) + ")"

# The rows the reader could split into the header's fields.
_OK = "CREATE OR REPLACE TEMP VIEW ok AS SELECT * FROM stage WHERE error IS NULL"

_MAY_BREAK = """((k.pnl_account IS NOT NULL AND o.profit_center = '' AND o.cost_center = '')
     OR (k.ic_account IS NOT NULL AND o.partner = '')
     OR k.investment_account IS NOT NULL
     OR (k.dividend_account IS NOT NULL AND o.partner = ''))"""

# What each row posts to, reduced to the accounts that carry a dimension rule
# (subledger rows through their rule set, journal and opening rows directly),
# kept only for rows that could break one: a clean million rows stays out.
_POSTED = f"""
CREATE OR REPLACE TEMP TABLE posted AS
WITH rule_set AS (
    SELECT r.module, r.kind, r.intercompany,
           min(a.account) FILTER (WHERE a.type IN ('revenue', 'expense')) AS pnl_account,
           arg_min(a.type, a.account) FILTER (WHERE a.type IN ('revenue', 'expense')) AS pnl_type,
           min(a.account) FILTER (WHERE a.ic_plug <> '') AS ic_account,
           min(a.account) FILTER (WHERE a.role = 'investment') AS investment_account,
           min(a.account) FILTER (WHERE a.role = 'dividend_income') AS dividend_account
    FROM posting_rule r JOIN account a USING (account)
    GROUP BY r.module, r.kind, r.intercompany
)
SELECT o.path, o.row_no, o.entity, o.partner, o.profit_center, o.cost_center,
       k.pnl_account, k.pnl_type, k.ic_account, k.investment_account, k.dividend_account
FROM ({RULE_FLAG}) o JOIN rule_set k
  ON k.module = o.module AND k.kind = o.kind AND k.intercompany = o.rule_flag
WHERE {_MAY_BREAK}
UNION ALL
SELECT o.path, o.row_no, o.entity, o.partner, o.profit_center, o.cost_center,
       CASE WHEN a.type IN ('revenue', 'expense') THEN a.account END,
       CASE WHEN a.type IN ('revenue', 'expense') THEN a.type END,
       CASE WHEN a.ic_plug <> '' THEN a.account END,
       CASE WHEN a.role = 'investment' THEN a.account END,
       CASE WHEN a.role = 'dividend_income' THEN a.account END
FROM ok o JOIN account a USING (account)
WHERE o.module IN ('journals', 'opening') AND NOT a.is_summary
  AND (a.type IN ('revenue', 'expense') OR a.ic_plug <> ''
       OR a.role IN ('investment', 'dividend_income'))
"""


def _row_pass() -> str:
    """Every row rule in one scan: the rows breaking any rule, one line per reason."""
    found = ",\n        ".join(
        f"{{'column_name': '{r.column}', 'message': CASE WHEN {r.when} THEN {r.message} END, "
        f"'rule': {n}}}"
        for n, r in enumerate(ROW_RULES)
    )
    broken = "\n   OR ".join(f"({r.when})" for r in ROW_RULES)
    return f"""
SELECT path, row_no, struct_extract(f, 'column_name'), struct_extract(f, 'message'),
       struct_extract(f, 'rule')
FROM (
    SELECT s.path, s.row_no,
           unnest(list_filter([
        {found}
           ], lambda p: p.message IS NOT NULL)) AS f
    {ROW_CONTEXT}
    WHERE {broken}
)"""


def validate(con: duckdb.DuckDBPyConnection, first_period: str, group_currency: str) -> None:
    """Run every rule over ``stage`` (the rows of one period or of several)
    into the temporary table ``problem``."""
    params = {"first": first_period, "group": group_currency}
    con.execute(_OK)
    con.execute(_POSTED)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE problem "
        "(path VARCHAR, row_no BIGINT, column_name VARCHAR, message VARCHAR, rule INTEGER)"
    )
    con.execute(f"INSERT INTO problem {_row_pass()}", params)
    offset = len(ROW_RULES)
    for n, rule in enumerate(SET_RULES, start=offset):
        con.execute(f"INSERT INTO problem SELECT *, {n} FROM ({rule.sql})")
    last = offset + len(SET_RULES)
    con.execute(f"INSERT INTO problem SELECT *, {last} FROM ({DOCUMENT_RULE.sql})")

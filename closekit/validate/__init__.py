"""Validation of period rows (SPEC section 4) as named SQL rules over ``stage``.

:func:`validate` fills the temporary table ``problem(path, row_no,
column_name, message)``: one row per reason. A staged row is accepted when
it has no problem.
"""

from __future__ import annotations

import duckdb

from closekit.validate.columns import SUBLEDGERS
from closekit.validate.rules import DOCUMENT_RULE, ROW_RULES, Rule

__all__ = ["DOCUMENT_RULE", "ROW_RULES", "Rule", "validate"]

_SUBLEDGERS = "(" + ", ".join(f"'{m}'" for m in SUBLEDGERS) + ")"

# The rows the reader could split, with the posting rule set each one takes:
# its exact intercompany flag (yes when it has a partner), else 'any'.
_OK = """
CREATE OR REPLACE TEMP TABLE ok AS
SELECT s.*,
       CASE WHEN exact.module IS NOT NULL THEN exact.intercompany
            WHEN fallback.module IS NOT NULL THEN 'any' END AS rule_flag
FROM stage s
LEFT JOIN (SELECT DISTINCT module, kind, intercompany FROM posting_rule) exact
       ON exact.module = s.module AND exact.kind = s.kind
      AND exact.intercompany = CASE WHEN s.partner <> '' THEN 'yes' ELSE 'no' END
LEFT JOIN (SELECT DISTINCT module, kind FROM posting_rule WHERE intercompany = 'any') fallback
       ON fallback.module = s.module AND fallback.kind = s.kind
WHERE s.error IS NULL
"""

# What each row posts to, reduced to the accounts that carry a dimension rule:
# subledger rows through their rule set, journal and opening rows directly.
_POSTED = f"""
CREATE OR REPLACE TEMP TABLE posted AS
WITH rule_set AS (
    SELECT r.module, r.kind, r.intercompany,
           min(a.account) FILTER (WHERE a.type IN ('revenue', 'expense')) AS pnl_account,
           arg_min(a.type, a.account) FILTER (WHERE a.type IN ('revenue', 'expense')) AS pnl_type,
           min(a.account) FILTER (WHERE a.ic_plug <> '') AS ic_account,
           min(a.account) FILTER (WHERE a.role = 'investment') AS investment_account
    FROM posting_rule r JOIN account a USING (account)
    GROUP BY r.module, r.kind, r.intercompany
)
SELECT o.path, o.row_no, o.entity, o.partner, o.profit_center, o.cost_center,
       k.pnl_account, k.pnl_type, k.ic_account, k.investment_account
FROM ok o JOIN rule_set k
  ON k.module = o.module AND k.kind = o.kind AND k.intercompany = o.rule_flag
WHERE o.module IN {_SUBLEDGERS}
UNION ALL
SELECT o.path, o.row_no, o.entity, o.partner, o.profit_center, o.cost_center,
       CASE WHEN a.type IN ('revenue', 'expense') THEN a.account END,
       CASE WHEN a.type IN ('revenue', 'expense') THEN a.type END,
       CASE WHEN a.ic_plug <> '' THEN a.account END,
       CASE WHEN a.role = 'investment' THEN a.account END
FROM ok o JOIN account a USING (account)
WHERE o.module IN ('journals', 'opening') AND NOT a.is_summary
"""


def validate(
    con: duckdb.DuckDBPyConnection, period: str, first_period: str, group_currency: str
) -> None:
    """Run every rule over ``stage`` into the temporary table ``problem``."""
    params = {"period": period, "first": first_period, "group": group_currency}
    con.execute(_OK)
    con.execute(_POSTED)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE problem "
        "(path VARCHAR, row_no BIGINT, column_name VARCHAR, message VARCHAR, rule INTEGER)"
    )
    # One statement: DuckDB plans the rules together and scans ``ok`` in parallel.
    union = "\nUNION ALL\n".join(
        f"SELECT *, {n} AS rule FROM ({rule.sql})" for n, rule in enumerate(ROW_RULES)
    )
    con.execute(f"INSERT INTO problem {union}", params)
    con.execute(f"INSERT INTO problem SELECT *, {len(ROW_RULES)} FROM ({DOCUMENT_RULE.sql})")

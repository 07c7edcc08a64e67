"""Checks of the posting stage (SPEC section 9): rows_accounted, entries_balanced, subledger_gl."""

from __future__ import annotations

from decimal import Decimal

from closekit.checks.base import Check, CheckContext, CheckResult
from closekit.post import RESIDUE_KIND, RULE_CHOICE, SUBLEDGER_MODULES, converted, source_query

SHOWN = 5  # problems named in a detail line; the rest are counted


def _listing(items: list[str]) -> str:
    more = f"; and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return "; ".join(items[:SHOWN]) + more


def rows_accounted(ctx: CheckContext) -> CheckResult:
    """Nothing is lost (SPEC section 5): for every current file of the period,
    rows read = accepted + rejected, and no row is rejected."""
    files = ctx.con.execute(
        """SELECT l.path, l.read, l.accepted, l.rejected,
                  (SELECT count(DISTINCT coalesce(r.row_no, 0)) FROM reject r
                   WHERE r.period = l.period AND r.path = l.path) AS reject_rows
           FROM load_file l WHERE l.period = ? AND l.current ORDER BY l.path""",
        [ctx.period],
    ).fetchall()
    problems = [
        f"{path}: read {read}, accepted {accepted}, rejected {rejected}"
        for path, read, accepted, rejected, reject_rows in files
        if read != accepted + rejected or rejected > 0 or reject_rows > 0
    ]
    if problems:
        return CheckResult("rows_accounted", "fail", _listing(problems))
    read = sum(f[1] for f in files)
    return CheckResult(
        "rows_accounted", "pass", f"{len(files)} file(s): {read} rows read, all accepted"
    )


def entries_balanced(ctx: CheckContext) -> CheckResult:
    """Every journal document (entity, module, doc_id) of the period sums to
    zero in functional currency."""
    rows = ctx.con.execute(
        """SELECT entity, module, doc_id, sum(amount) FROM journal WHERE period = ?
           GROUP BY entity, module, doc_id HAVING sum(amount) <> 0
           ORDER BY entity, module, doc_id""",
        [ctx.period],
    ).fetchall()
    if rows:
        off = [f"{e} {m} {d} off by {amount}" for e, m, d, amount in rows]
        return CheckResult("entries_balanced", "fail", f"{len(rows)} document(s): {_listing(off)}")
    count = ctx.con.execute(
        "SELECT count(DISTINCT (entity, module, doc_id)) FROM journal WHERE period = ?",
        [ctx.period],
    ).fetchone()
    return CheckResult(
        "entries_balanced", "pass", f"{count[0] if count else 0} document(s) sum to zero"
    )


# Source side: the period's accepted rows converted per row and amount column
# exactly as posting does, then totalled per module, entity, kind, intercompany
# flag and account *before* the rule sets apply, so the expected GL totals are
# reached by a different path than the row-by-row posting.
_SUBLEDGER_GL = f"""
WITH src AS ({source_query(*SUBLEDGER_MODULES, "journals", "opening")}),
totals AS (
    SELECT module, entity, kind, account,
           CASE WHEN partner <> '' THEN 'yes' ELSE 'no' END AS flag,
           sum({converted("coalesce(net_amount, 0)")}) AS net,
           sum({converted("coalesce(tax_amount, 0)")}) AS tax,
           sum({converted("coalesce(value, 0)")}) AS value,
           sum({converted("(coalesce(debit, 0) - coalesce(credit, 0))")}) AS debit_credit,
           sum(coalesce(amount, 0)) AS opening
    FROM src
    GROUP BY ALL
),
rule_choice AS ({RULE_CHOICE}),
expected AS (
    SELECT t.module, t.entity, r.account,
           sum((CASE WHEN r.side = 'debit' THEN 1 ELSE -1 END) * CASE r.amount
               WHEN 'net' THEN t.net WHEN 'tax' THEN t.tax
               WHEN 'gross' THEN t.net + t.tax ELSE t.value END) AS amount
    FROM totals t
    JOIN rule_choice c ON c.module = t.module AND c.kind = t.kind AND c.flag = t.flag
    JOIN posting_rule r
      ON r.module = c.module AND r.kind = c.kind AND r.intercompany = c.intercompany
    GROUP BY ALL
    UNION ALL
    SELECT module, entity, account, sum(debit_credit)
    FROM totals WHERE module = 'journals' GROUP BY ALL
    UNION ALL
    SELECT module, entity, account, sum(opening)
    FROM totals WHERE module = 'opening' GROUP BY ALL
),
posted AS (
    SELECT module, entity, account, sum(amount) AS amount
    FROM journal
    WHERE period = $period AND module <> 'revaluation' AND kind <> '{RESIDUE_KIND}'
    GROUP BY ALL
)
SELECT coalesce(e.module, p.module) AS module, coalesce(e.entity, p.entity) AS entity,
       coalesce(e.account, p.account) AS account,
       coalesce(e.amount, 0) AS source, coalesce(p.amount, 0) AS posted
FROM expected e
FULL JOIN posted p ON p.module = e.module AND p.entity = e.entity AND p.account = e.account
ORDER BY module, entity, account
"""


# Subledger rows whose (module, kind) has no rule set: they post nothing, so
# the totals above cannot see them (load rejects them; master data may have
# changed since).
_UNRULED = f"""
SELECT s.module, s.entity, count(*)
FROM source_row s
WHERE s.period = $period AND s.module IN {SUBLEDGER_MODULES}
  AND NOT EXISTS (SELECT 1 FROM posting_rule r WHERE r.module = s.module AND r.kind = s.kind
                  AND r.intercompany IN ('any', CASE WHEN s.partner <> '' THEN 'yes' ELSE 'no' END))
GROUP BY ALL ORDER BY ALL
"""


def subledger_gl(ctx: CheckContext) -> CheckResult:
    """Subledgers reconcile to the general ledger, per module and entity.

    For every module, entity and account of the period, the *source total*
    equals the *posted total*:

    - source total: the accepted source rows converted to functional currency
      per row and amount column (average cross rate, rounded to cents), totalled
      per module, entity, kind and intercompany flag, then put through the rule
      set each total takes (signed: debit +, credit -; gross = net + tax);
      for journals the converted debit - credit per account; for opening rows
      the functional amount per account;
    - posted total: the journal lines of that module, entity and account,
      excluding generated lines (revaluation, and a converted journal's
      rounding residue on fx_gain_loss).

    A lost, duplicated or altered line, a line on a wrong account, or rules
    changed since posting all show as a difference; a subledger row that
    matches no rule set at all fails the check too.
    """
    rows = ctx.con.execute(_SUBLEDGER_GL, {"period": ctx.period}).fetchall()
    unruled = ctx.con.execute(_UNRULED, {"period": ctx.period}).fetchall()
    off = [
        f"{module}/{entity}: {count} row(s) match no posting rule set"
        for module, entity, count in unruled
    ] + [
        f"{module}/{entity} account {account}: source {source} vs posted {posted}"
        for module, entity, account, source, posted in rows
        if Decimal(source) != Decimal(posted)
    ]
    if off:
        return CheckResult("subledger_gl", "fail", _listing(off))
    pairs = len({(module, entity) for module, entity, *_ in rows})
    return CheckResult(
        "subledger_gl", "pass", f"{pairs} module x entity total(s) agree with the journal"
    )


CHECKS: list[Check] = [rows_accounted, entries_balanced, subledger_gl]

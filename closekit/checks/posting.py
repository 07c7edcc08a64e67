"""Checks of the posting stage (SPEC section 9): rows_accounted, entries_balanced, subledger_gl."""

from __future__ import annotations

from decimal import Decimal

from closekit.checks.base import Check, CheckContext, CheckResult, Finding, failed
from closekit.post import RESIDUE_KIND, RULE_CHOICE, SUBLEDGER_MODULES, converted

SHOWN = 5  # problems named in a detail line; the rest are counted


def rows_accounted(ctx: CheckContext) -> CheckResult:
    """Nothing is lost (SPEC section 5): for every current file of the period,
    rows read = accepted + rejected, and no row is rejected."""
    files = ctx.con.execute(
        """SELECT l.path, l.read, l.accepted, l.rejected,
                  (SELECT count(DISTINCT coalesce(r.row_no, 0)) FROM reject r
                   WHERE r.period = l.period AND r.path = l.path) AS reject_rows,
                  -- a problem of the whole file (unreadable, kept as last loaded)
                  (SELECT min(r.message) FROM reject r
                   WHERE r.period = l.period AND r.path = l.path AND r.row_no IS NULL),
                  -- the entities whose rows the file holds
                  (SELECT list(DISTINCT e.entity ORDER BY e.entity) FROM load_entity e
                   WHERE e.period = l.period AND e.path = l.path)
           FROM load_file l WHERE l.period = ? AND l.current ORDER BY l.path""",
        [ctx.period],
    ).fetchall()
    problems = [
        Finding(
            f"{path}: read {read}, accepted {accepted}, rejected {rejected}"
            + (f" ({whole})" if whole else ""),
            tuple(entities or ()),
        )
        for path, read, accepted, rejected, reject_rows, whole, entities in files
        if read != accepted + rejected or rejected > 0 or reject_rows > 0
    ]
    if problems:
        return failed("rows_accounted", problems, shown=SHOWN)
    read = sum(f[1] for f in files)
    return CheckResult(
        "rows_accounted", "pass", f"{len(files)} file(s): {read} rows read, all accepted"
    )


def entries_balanced(ctx: CheckContext) -> CheckResult:
    """Every journal document (entity, module, doc_id) of the period sums to
    zero in functional currency."""
    # One pass over the period's journal: the documents counted and the ones
    # off zero listed, in (entity, module, doc_id) order.
    found = ctx.con.execute(
        """WITH document AS (
               SELECT entity, module, doc_id, sum(amount) AS total FROM journal
               WHERE period = ? GROUP BY entity, module, doc_id
           )
           SELECT count(*),
                  list({'entity': entity, 'module': module, 'doc_id': doc_id, 'total': total}
                       ORDER BY entity, module, doc_id) FILTER (WHERE total <> 0)
           FROM document""",
        [ctx.period],
    ).fetchone()
    count, rows = (found[0], found[1] or []) if found else (0, [])
    if rows:
        off = [
            Finding(
                f"{r['entity']} {r['module']} {r['doc_id']} off by {r['total']}", (r["entity"],)
            )
            for r in rows
        ]
        return failed("entries_balanced", off, f"{len(rows)} document(s): ", SHOWN)
    return CheckResult("entries_balanced", "pass", f"{count} document(s) sum to zero")


# Source side: the period's accepted rows converted per row and amount column
# exactly as posting does, then totalled per module, entity, kind, intercompany
# flag and account *before* the rule sets apply, so the expected GL totals are
# reached by a different path than the row-by-row posting. The source rows are
# read once: the same totals also count the subledger rows whose (module,
# kind, flag) has no rule set (load rejects them; master data may have changed
# since), which post nothing, so the totals alone cannot see them. A row of an
# entity no longer in master data is counted there but, as in posting, has no
# expected total.
_SUBLEDGER_GL = f"""
WITH src AS (
    SELECT s.*, e.entity IS NOT NULL AS known_entity,
           s.currency <> e.currency AS foreign_doc, x.ratio
    FROM source_row s
    LEFT JOIN entity e ON e.entity = s.entity
    LEFT JOIN fx_cross x
      ON x.period = s.period AND x.kind = 'average'
     AND x.from_currency = s.currency AND x.to_currency = e.currency
    WHERE s.period = $period AND s.module IN {(*SUBLEDGER_MODULES, "journals", "opening")}
),
totals AS MATERIALIZED (
    SELECT module, entity, kind, account, known_entity,
           CASE WHEN partner <> '' THEN 'yes' ELSE 'no' END AS flag,
           sum({converted("coalesce(net_amount, 0)")}) AS net,
           sum({converted("coalesce(tax_amount, 0)")}) AS tax,
           sum({converted("coalesce(value, 0)")}) AS value,
           sum({converted("(coalesce(debit, 0) - coalesce(credit, 0))")}) AS debit_credit,
           sum(coalesce(amount, 0)) AS opening,
           count(*) AS source_rows
    FROM src
    GROUP BY ALL
),
known AS (SELECT * FROM totals WHERE known_entity),
rule_choice AS ({RULE_CHOICE}),
expected AS (
    SELECT t.module, t.entity, r.account,
           sum((CASE WHEN r.side = 'debit' THEN 1 ELSE -1 END) * CASE r.amount
               WHEN 'net' THEN t.net WHEN 'tax' THEN t.tax
               WHEN 'gross' THEN t.net + t.tax ELSE t.value END) AS amount
    FROM known t
    JOIN rule_choice c ON c.module = t.module AND c.kind = t.kind AND c.flag = t.flag
    JOIN posting_rule r
      ON r.module = c.module AND r.kind = c.kind AND r.intercompany = c.intercompany
    GROUP BY ALL
    UNION ALL
    SELECT module, entity, account, sum(debit_credit)
    FROM known WHERE module = 'journals' GROUP BY ALL
    UNION ALL
    SELECT module, entity, account, sum(opening)
    FROM known WHERE module = 'opening' GROUP BY ALL
),
lines AS (
    SELECT module, entity, account,
           module = 'revaluation' OR kind = '{RESIDUE_KIND}' AS generated,
           sum(amount) AS amount
    FROM journal
    WHERE period = $period
    GROUP BY ALL
),
posted AS (
    SELECT module, entity, account, sum(amount) AS amount
    FROM lines WHERE NOT generated
    GROUP BY ALL
),
-- The period totals the statements read (journal_total) against the lines.
period_totals AS (
    SELECT coalesce(l.entity, t.entity) AS entity, coalesce(l.account, t.account) AS account,
           coalesce(l.amount, 0) AS lines, coalesce(t.amount, 0) AS total
    FROM (SELECT entity, account, sum(amount) AS amount FROM lines GROUP BY ALL) l
    FULL JOIN (SELECT entity, account, sum(amount) AS amount FROM journal_total
               WHERE period = $period GROUP BY ALL) t
      ON t.entity = l.entity AND t.account = l.account
),
unruled AS (
    SELECT t.module, t.entity, sum(t.source_rows) AS source_rows
    FROM totals t
    WHERE t.module IN {SUBLEDGER_MODULES}
      AND NOT EXISTS (SELECT 1 FROM posting_rule r WHERE r.module = t.module AND r.kind = t.kind
                      AND r.intercompany IN ('any', t.flag))
    GROUP BY ALL
)
-- section 0: subledger rows without a rule set (source = their count);
-- section 1: source vs posted total per module, entity and account;
-- section 2: lines vs period total per entity and account, where they differ.
SELECT 0 AS section, module, entity, NULL AS account, source_rows AS source, NULL AS posted
FROM unruled
UNION ALL
SELECT 1, coalesce(e.module, p.module), coalesce(e.entity, p.entity),
       coalesce(e.account, p.account), coalesce(e.amount, 0), coalesce(p.amount, 0)
FROM expected e
FULL JOIN posted p ON p.module = e.module AND p.entity = e.entity AND p.account = e.account
UNION ALL
SELECT 2, NULL, entity, account, lines, total FROM period_totals WHERE lines <> total
ORDER BY ALL
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
    matches no rule set at all fails the check too. So does a period total
    (``journal_total``, what the statements read) that differs from the sum
    of the entity's lines on that account.
    """
    found = ctx.con.execute(_SUBLEDGER_GL, {"period": ctx.period}).fetchall()
    unruled = [
        (module, entity, count) for section, module, entity, _, count, _ in found if section == 0
    ]
    rows = [row[1:] for row in found if row[0] == 1]
    off = (
        [
            Finding(f"{module}/{entity}: {int(count)} row(s) match no posting rule set", (entity,))
            for module, entity, count in unruled
        ]
        + [
            Finding(
                f"{module}/{entity} account {account}: source {source} vs posted {posted}",
                (entity,),
            )
            for module, entity, account, source, posted in rows
            if Decimal(source) != Decimal(posted)
        ]
        + [
            Finding(
                f"{entity} account {account}: journal lines {lines} vs period total {total}",
                (entity,),
            )
            for section, _, entity, account, lines, total in found
            if section == 2
        ]
    )
    if off:
        return failed("subledger_gl", off, shown=SHOWN)
    pairs = len({(module, entity) for module, entity, *_ in rows})
    return CheckResult(
        "subledger_gl", "pass", f"{pairs} module x entity total(s) agree with the journal"
    )


CHECKS: list[Check] = [rows_accounted, entries_balanced, subledger_gl]

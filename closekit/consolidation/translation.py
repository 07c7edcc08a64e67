"""IAS 21 translation into the group currency, periodic method (SPEC section 7.1).

:func:`translate_period` rebuilds ``translated_balance`` for one period: every
entity's trial balance at that period by balance key (entity x account x
partner x profit center x cost center), functional and in group currency.

- closing-rate accounts: the balance at the period x its closing rate,
  rounded per balance key;
- average-rate accounts: each period's movement x that period's average
  rate, rounded per period x key; the year-to-date is the sum;
- historical-rate accounts: the same, except lines that carry their own
  ``amount_group`` (opening balances, capital journals) keep it;
- retained earnings also receives every closed fiscal year's result, in
  group currency the sum of that year's translated P&L (``rate_kind`` roll);
- CTA: what makes the entity's translated trial balance sum to zero, on the
  ``cta`` account (``rate_kind`` cta). It is cumulative and the only plug.

Entities whose functional currency is the group currency translate 1:1.
Rates are units of group currency per unit: amounts are multiplied, never
divided (DuckDB's DECIMAL / DECIMAL is a DOUBLE).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.errors import PeriodError
from closekit.ledger import Basis, TBLine, require_entity
from closekit.periods import fiscal_year_start, period_folders
from closekit.status import require_step
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# Temporary table of movements per period x balance key, built once per
# translation from the journal's period totals.
_MOVEMENT = "tmp_translation_movement"


class MissingTranslationRate(PeriodError):
    """A foreign entity's balances need a rate that fx_rates.csv does not give."""


def fiscal_year_sql(column: str, start_month: int) -> str:
    """SQL: the fiscal year (the calendar year it starts in) of a YYYY-MM column."""
    year, month = (
        f"CAST(substr({column}, 1, 4) AS INTEGER)",
        f"CAST(substr({column}, 6, 2) AS INTEGER)",
    )
    return f"CASE WHEN {month} >= {int(start_month)} THEN {year} ELSE {year} - 1 END"


def _movements_sql(settings: Settings) -> str:
    # One row per period x balance key x "carries its own amount_group": the
    # journal's period totals (closekit.post.write_totals). amount_group is
    # honoured only where SPEC section 4 gives it a meaning: entities in a
    # foreign currency, on average- and historical-rate accounts.
    return f"""
        CREATE OR REPLACE TEMP TABLE {_MOVEMENT} AS
        WITH grouped AS (
            -- (the totals are kept per flow, SPEC 19.1: translation sums them)
            SELECT period, entity, account, partner, profit_center, cost_center,
                   has_group, sum(amount) AS amount, sum(amount_group) AS amount_group
            FROM journal_total
            WHERE period <= $period
            GROUP BY ALL
        )
        SELECT g.period, {fiscal_year_sql("g.period", settings.fiscal_year_start)} AS fiscal_year,
               g.entity, g.account, g.partner, g.profit_center, g.cost_center,
               e.currency,
               e.currency <> $group_currency AS is_foreign,
               a.rate,
               a.type IN ('revenue', 'expense') AS is_pl,
               g.has_group AND a.rate <> 'closing' AS keeps_group,
               g.amount,
               g.amount_group
        FROM grouped g
        JOIN entity e USING (entity)
        JOIN account a USING (account)
    """


# Translated movement of one period x key for average and historical rates:
# fixed amount_group where the line carries one, else the movement x the
# period's average rate rounded per period x key (SPEC 7.1 rounding).
_TRANSLATED_MOVEMENT = """
    CASE WHEN NOT m.is_foreign THEN m.amount
         WHEN m.keeps_group THEN m.amount_group
         WHEN m.amount = 0 THEN 0
         ELSE round(m.amount * avg_rate.average, 2)
    END
"""


def _missing_rates(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, fy_start: str
) -> list[str]:
    """Rates the translation needs that fx_rate lacks, as "CUR period (kind)"."""
    rows = con.execute(
        f"""
        -- average rate of every period with a movement translated at it
        SELECT DISTINCT m.currency, m.period, 'average' AS kind
        FROM {_MOVEMENT} m
        LEFT JOIN fx_rate r ON r.period = m.period AND r.currency = m.currency
        WHERE m.is_foreign AND m.rate <> 'closing' AND NOT m.keeps_group
          AND m.amount <> 0 AND r.average IS NULL
        UNION
        -- closing rate of the period for balances held at closing rate
        SELECT DISTINCT m.currency, $period, 'closing'
        FROM {_MOVEMENT} m
        LEFT JOIN fx_rate r ON r.period = $period AND r.currency = m.currency
        WHERE m.is_foreign AND m.rate = 'closing' AND (NOT m.is_pl OR m.period >= $fy_start)
          AND r.closing IS NULL
        GROUP BY m.currency, m.entity, m.account, m.partner, m.profit_center, m.cost_center
        HAVING sum(m.amount) <> 0
        UNION
        -- a P&L account kept at closing rate needs a closing rate in each closed year
        SELECT DISTINCT m.currency, 'fiscal year ' || m.fiscal_year, 'closing'
        FROM {_MOVEMENT} m
        WHERE m.is_foreign AND m.rate = 'closing' AND m.is_pl AND m.period < $fy_start
          AND m.amount <> 0
          AND NOT EXISTS (
              SELECT 1 FROM fx_rate r
              WHERE r.currency = m.currency AND r.closing IS NOT NULL
                AND {fiscal_year_sql("r.period", settings.fiscal_year_start)} = m.fiscal_year)
        ORDER BY 1, 2, 3
        """,
        {"period": period, "fy_start": fy_start},
    ).fetchall()
    return [f"{currency} {p} ({kind})" for currency, p, kind in rows]


def _insert_balances_sql(settings: Settings) -> str:
    return f"""
        INSERT INTO translated_balance
        WITH translated_movement AS (
            SELECT m.*, {_TRANSLATED_MOVEMENT} AS translated
            FROM {_MOVEMENT} m
            LEFT JOIN fx_rate avg_rate
                   ON avg_rate.period = m.period AND avg_rate.currency = m.currency
        ),
        -- Balance sheet: cumulative since inception; P&L: the current fiscal year.
        current_key AS (
            SELECT entity, account, partner, profit_center, cost_center,
                   any_value(currency) AS currency, any_value(is_foreign) AS is_foreign,
                   any_value(rate) AS rate,
                   sum(amount) AS amount, sum(translated) AS translated
            FROM translated_movement
            WHERE NOT is_pl OR period >= $fy_start
            GROUP BY entity, account, partner, profit_center, cost_center
        ),
        current_balance AS (
            SELECT k.entity, k.account, k.partner, k.profit_center, k.cost_center, k.amount,
                   CASE WHEN NOT k.is_foreign THEN k.amount
                        WHEN k.rate = 'closing' AND k.amount = 0 THEN 0
                        -- closing rate: the balance x the period's closing rate, per key
                        WHEN k.rate = 'closing' THEN round(k.amount * close_rate.closing, 2)
                        ELSE k.translated
                   END AS amount_group,
                   k.rate AS rate_kind
            FROM current_key k
            LEFT JOIN fx_rate close_rate
                   ON close_rate.period = $period AND close_rate.currency = k.currency
        ),
        -- Closed fiscal years: P&L at average/historical rate is the sum of
        -- its translated movements.
        closed_flow AS (
            SELECT entity, amount, translated
            FROM translated_movement
            WHERE is_pl AND period < $fy_start AND NOT (is_foreign AND rate = 'closing')
        ),
        -- A P&L account kept at closing rate closes its year at the last
        -- closing rate given in that year.
        closed_year_of AS (
            SELECT m.*
            FROM translated_movement m
            WHERE is_pl AND period < $fy_start AND is_foreign AND rate = 'closing'
        ),
        year_end_rate AS (
            SELECT c.fiscal_year, c.currency, arg_max(r.closing, r.period) AS closing
            FROM (SELECT DISTINCT fiscal_year, currency FROM closed_year_of) c
            JOIN fx_rate r ON r.currency = c.currency AND r.closing IS NOT NULL
             AND {fiscal_year_sql("r.period", settings.fiscal_year_start)} = c.fiscal_year
            GROUP BY c.fiscal_year, c.currency
        ),
        closed_at_closing AS (
            SELECT y.entity, sum(y.amount) AS amount,
                   round(sum(y.amount) * coalesce(any_value(r.closing), 0), 2) AS translated
            FROM closed_year_of y
            LEFT JOIN year_end_rate r USING (fiscal_year, currency)
            GROUP BY y.entity, y.fiscal_year, y.account, y.partner, y.profit_center,
                     y.cost_center
        ),
        -- The fiscal-year roll: closed years' results into retained earnings.
        roll AS (
            SELECT entity, sum(amount) AS amount, sum(translated) AS amount_group
            FROM (SELECT * FROM closed_flow UNION ALL SELECT * FROM closed_at_closing)
            GROUP BY entity
        )
        SELECT $period, entity, account, partner, profit_center, cost_center,
               amount, amount_group, rate_kind
        FROM current_balance
        WHERE amount <> 0 OR amount_group <> 0
        UNION ALL
        SELECT $period, entity, $retained_earnings, '', '', '', amount, amount_group, 'roll'
        FROM roll
        WHERE amount <> 0 OR amount_group <> 0
    """


def translate_period(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Rebuild ``translated_balance`` for ``period`` (caller holds the transaction).

    Raises :class:`MissingTranslationRate` naming every currency, period and
    rate kind that foreign balances need and fx_rates.csv lacks.
    """
    fy_start = fiscal_year_start(period, settings.fiscal_year_start)
    con.execute(_movements_sql(settings), {"period": period, "group_currency": settings.currency})
    try:
        missing = _missing_rates(con, settings, period, fy_start)
        if missing:
            raise MissingTranslationRate(
                f"cannot translate {period}: fx_rates.csv lacks " + ", ".join(missing)
            )
        con.execute("DELETE FROM translated_balance WHERE period = ?", [period])
        con.execute(
            _insert_balances_sql(settings),
            {
                "period": period,
                "fy_start": fy_start,
                "retained_earnings": settings.accounts.retained_earnings,
            },
        )
        # CTA: the only plug, making each foreign entity's translated TB zero.
        con.execute(
            """
            INSERT INTO translated_balance
            SELECT $period, e.entity, $cta, '', '', '', 0,
                   -coalesce(sum(t.amount_group), 0), 'cta'
            FROM entity e
            LEFT JOIN translated_balance t ON t.entity = e.entity AND t.period = $period
            WHERE e.currency <> $group_currency
            GROUP BY e.entity
            """,
            {"period": period, "cta": settings.accounts.cta, "group_currency": settings.currency},
        )
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_MOVEMENT}")


# ---- queries ------------------------------------------------------------


def require_basis(basis: str) -> Basis:
    if basis not in ("ytd", "period"):
        raise PeriodError(f"unknown basis {basis!r}: expected ytd or period")
    return "ytd" if basis == "ytd" else "period"


def earlier_consolidated(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> str | None:
    """The period whose balances a ``--basis period`` view subtracts: the latest
    earlier period with a folder (months without one have no movements), which
    must be consolidated; None before the first period."""
    earlier = [p for p in period_folders(settings.ledgers_dir) if p < period]
    if not earlier:
        return None
    require_step(con, earlier[-1], "consolidated")
    return earlier[-1]


# Account of a prior balance in a ``--basis period`` view: when a fiscal year
# starts in between, the prior year's P&L is taken after its roll into
# retained earnings (SPEC section 11).
PRIOR_ACCOUNT = (
    "CASE WHEN $rolled AND a.type IN ('revenue', 'expense') THEN $retained_earnings "
    "ELSE t.account END"
)


def prior_params(settings: Settings, period: str, prior: str) -> dict[str, object]:
    """Parameters of :data:`PRIOR_ACCOUNT` (and ``$prior``)."""
    start = settings.fiscal_year_start
    return {
        "prior": prior,
        "rolled": fiscal_year_start(prior, start) != fiscal_year_start(period, start),
        "retained_earnings": settings.accounts.retained_earnings,
    }


def translated_trial_balance(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, entity: str, basis: Basis
) -> list[TBLine]:
    """An entity's trial balance in group currency, one line per posting
    account with a non-zero balance, by account code (code-point order).

    basis ``ytd``: P&L year-to-date, balance sheet cumulative; ``period``: the
    balance less the previous period's (after the fiscal-year roll when the
    period starts a year). Needs the period (and for ``period`` the previous
    one) consolidated.
    """
    require_entity(con, entity)
    basis = require_basis(basis)
    require_step(con, period, "consolidated")
    parts = [
        "SELECT t.account, t.amount_group FROM translated_balance t "
        "WHERE t.period = $period AND t.entity = $entity"
    ]
    params: dict[str, object] = {"period": period, "entity": entity}
    prior = earlier_consolidated(settings, con, period) if basis == "period" else None
    if prior is not None:
        parts.append(
            f"SELECT {PRIOR_ACCOUNT}, -t.amount_group FROM translated_balance t "
            "JOIN account a USING (account) WHERE t.period = $prior AND t.entity = $entity"
        )
        params.update(prior_params(settings, period, prior))
    return tb_lines(con, " UNION ALL ".join(parts), params)


def tb_lines(
    con: duckdb.DuckDBPyConnection, amounts_sql: str, params: dict[str, object]
) -> list[TBLine]:
    """Sum ``(account, amount)`` rows per account into TBLines, zeros left out."""
    rows = con.execute(
        f"""
        SELECT x.account, a.name, a.type, sum(x.amount) AS amount
        FROM ({amounts_sql}) AS x(account, amount)
        JOIN account a USING (account)
        GROUP BY x.account, a.name, a.type
        HAVING sum(x.amount) <> 0
        """,
        params,
    ).fetchall()
    lines = [TBLine(account, name, kind, Decimal(amount)) for account, name, kind, amount in rows]
    return sorted(lines, key=lambda line: line.account)

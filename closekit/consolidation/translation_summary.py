"""The FX Translation sheet's lines (SPEC 10): per entity and account, the
functional balance, the rate kind and rate :mod:`.translation` applied, and
the balance in group currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.status import require_step
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class TranslationLine:
    """One line of the FX Translation sheet: an entity's account at the period.

    functional: balance in the entity's currency (0 on the CTA line).
    rate_kind: closing | average | historical | roll | cta.
    rate: the period's closing rate (closing accounts) or average rate
        (average accounts: the year-to-date is the sum of monthly
        translations, so this is the month's rate); 1 for entities in the
        group currency; None for historical, roll and CTA lines.
    translated: the balance in group currency.
    """

    entity: str
    currency: str
    account: str
    name: str
    rate_kind: str
    functional: Decimal
    rate: Decimal | None
    translated: Decimal


def translation_summary(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str
) -> list[TranslationLine]:
    """Per entity and account: functional, rate kind, rate and translated
    balance, each entity's CTA line last (for the FX Translation sheet)."""
    require_step(con, period, "consolidated")
    rows = con.execute(
        """
        SELECT t.entity, e.currency, t.account, a.name, t.rate_kind,
               sum(t.amount) AS functional,
               CASE WHEN e.currency = $group_currency THEN 1
                    WHEN t.rate_kind = 'closing' THEN any_value(r.closing)
                    WHEN t.rate_kind = 'average' THEN any_value(r.average) END AS rate,
               sum(t.amount_group) AS translated
        FROM translated_balance t
        JOIN entity e USING (entity)
        JOIN account a ON a.account = t.account
        LEFT JOIN fx_rate r ON r.period = t.period AND r.currency = e.currency
        WHERE t.period = $period
        GROUP BY t.entity, e.currency, t.account, a.name, t.rate_kind
        ORDER BY t.entity, t.rate_kind = 'cta', t.account,
                 t.rate_kind
        """,
        {"period": period, "group_currency": settings.currency},
    ).fetchall()
    return [
        TranslationLine(
            entity,
            currency,
            account,
            name,
            kind,
            Decimal(functional),
            None if rate is None else Decimal(rate),
            Decimal(translated),
        )
        for entity, currency, account, name, kind, functional, rate, translated in rows
    ]

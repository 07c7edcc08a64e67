"""What the measurement of an event shares (SPEC 14, 15): the stored event,
closing rates that refuse a missing one, and the balances events read.

An event is measured once, when its period is consolidated, at its holder
Q (the entity's direct parent), and stored in ``consolidation_event``;
every later period's entries at every node above Q are derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.translation import MissingTranslationRate
from closekit.errors import ClosekitError
from closekit.periods import fiscal_year_start
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

_CENTS = Decimal("0.01")

# The goodwill of a stored event (``consolidation_event`` as ``e``) in the
# group currency at the event: C + NCI - NA0 (IFRS 3.32) exactly, as the
# event measured them, when it measured them (an acquisition with goodwill,
# a subsidiary consolidated from the first period); its functional-currency
# amount GW_fc (IAS 21.47) is that translated and rounded, so GW_fc x rate
# may differ from it by a cent, which is part of the exchange difference
# after the event. A migration's goodwill is given in its currency.
GOODWILL_AT_EVENT_SQL = """
    CASE WHEN e.kind = 'first_period'
              OR e.kind = 'acquisition' AND e.sub_group_of = '' AND e.goodwill_fc > 0
         THEN e.consideration + e.nci - e.net_assets
         ELSE round(e.goodwill_fc * e.goodwill_rate, 2) END
"""


def round_cents(value: Decimal) -> Decimal:
    """Half away from zero to cents: each event amount is rounded once (SPEC 14)."""
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


class MissingEventAccount(ClosekitError):
    """An event needs an [accounts] setting closekit.toml lacks (exit 2)."""


@dataclass(frozen=True)
class Measured:
    """An acquisition as stored in ``consolidation_event`` (amounts presented
    positive: net assets, consideration, NCI, goodwill, gains)."""

    entity: str
    kind: str
    holder: str
    sub_group_of: str
    ownership: Decimal
    net_assets: Decimal
    net_assets_fc: Decimal
    consideration: Decimal
    consideration_fc: Decimal | None
    nci: Decimal
    goodwill_fc: Decimal
    goodwill_rate: Decimal
    gain: Decimal | None = None
    remeasurement_gain: Decimal | None = None
    nci_at_fair_value: bool = False
    detail: str = ""
    # an associate's equity-method amounts above cost and its OCI, taken out
    # of the remeasurement of the stake held (IFRS 3.42, associate_change.py)
    carried: Decimal | None = None


class Rates:
    """Closing rates by currency and period, refusing a missing one with the
    event that needs it (SPEC 14: part of the fx_rates check)."""

    def __init__(self, settings: Settings, con: duckdb.DuckDBPyConnection) -> None:
        self.group = settings.currency
        self.currency = dict(con.execute("SELECT entity, currency FROM entity").fetchall())
        self.rates = {
            (c, p): Decimal(r)
            for p, c, r in con.execute(
                "SELECT period, currency, closing FROM fx_rate WHERE closing IS NOT NULL"
            ).fetchall()
        }

    def closing(self, entity: str, period: str, why: str) -> Decimal:
        currency = self.currency[entity]
        if currency == self.group:
            return Decimal(1)
        rate = self.rates.get((currency, period))
        if rate is None:
            raise MissingTranslationRate(
                f"cannot measure {why}: fx_rates.csv lacks {currency} {period} (closing)"
            )
        return rate

    def foreign(self, entity: str) -> bool:
        return bool(self.currency[entity] != self.group)


def sum_of(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> Decimal:
    row = con.execute(sql, params).fetchone()
    return Decimal(row[0]) if row and row[0] is not None else Decimal(0)


def translated_sum(
    con: duckdb.DuckDBPyConnection, period: str, entity: str, where: str, **params: object
) -> Decimal:
    """Sum of an entity's translated balances at a period matching ``where``
    (SQL over ``t``, the translated balance, and ``a``, its account)."""
    return sum_of(
        con,
        f"""SELECT sum(t.amount_group) FROM translated_balance t
            JOIN account a ON a.account = t.account
            WHERE t.period = $p AND t.entity = $e AND {where}""",
        {"p": period, "e": entity, **params},
    )


def node_sum(
    con: duckdb.DuckDBPyConnection, period: str, node: str, where: str, **params: object
) -> Decimal:
    """Sum of a node's consolidation entries at a period matching ``where``."""
    return sum_of(
        con,
        f"SELECT sum(amount_group) FROM consolidation_entry "
        f"WHERE period = $p AND node = $n AND {where}",
        {"p": period, "n": node, **params},
    )


def investment_balance(
    con: duckdb.DuckDBPyConnection, period: str, holder: str, entity: str
) -> Decimal:
    """Q's translated investment-role balance with partner S at ``period``."""
    return translated_sum(con, period, holder, "a.role = 'investment' AND t.partner = $s", s=entity)


def own_gain_lines(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    prior: str,
    holder: str,
    entity: str,
) -> list[tuple[str, str, str, str, Decimal]]:
    """Q's own gain on selling shares in S at ``period`` (role
    ``disposal_gain``, partner S): its year-to-date lines less those of
    ``prior`` in the same fiscal year, per key (account, partner, profit
    center, cost center, amount debit positive; a gain is negative)."""
    start = settings.fiscal_year_start
    same_year = fiscal_year_start(prior, start) == fiscal_year_start(period, start)
    rows = con.execute(
        """SELECT t.account, t.partner, t.profit_center, t.cost_center,
                  sum(t.amount_group) - coalesce(sum(b.amount_group), 0)
           FROM translated_balance t
           JOIN account a ON a.account = t.account AND a.role = 'disposal_gain'
           LEFT JOIN translated_balance b ON $same_year AND b.period = $prior
               AND b.entity = t.entity AND b.account = t.account AND b.partner = t.partner
               AND b.profit_center = t.profit_center AND b.cost_center = t.cost_center
           WHERE t.period = $p AND t.entity = $q AND t.partner = $s
           GROUP BY ALL""",
        {"p": period, "prior": prior, "q": holder, "s": entity, "same_year": same_year},
    ).fetchall()
    return [(r[0], r[1], r[2], r[3], Decimal(r[4])) for r in rows if r[4]]


def acquired_net_assets(
    con: duckdb.DuckDBPyConnection, period: str, entity: str
) -> tuple[Decimal, Decimal]:
    """(NA0, NA0_fc) from the stored acquisition keys: minus their sum."""
    row = con.execute(
        "SELECT -sum(amount_group), -sum(amount) FROM acquisition_key "
        "WHERE period = ? AND entity = ?",
        [period, entity],
    ).fetchone()
    assert row is not None
    return Decimal(row[0] or 0), Decimal(row[1] or 0)


def ownership_row(
    con: duckdb.DuckDBPyConnection, entity: str, period: str
) -> dict[str, Decimal | None]:
    cur = con.execute(
        "SELECT nci_fair_value, fair_value, pre_acquisition_equity, pre_acquisition_cta, "
        "acquisition_rate, goodwill, nci_opening FROM ownership "
        "WHERE entity = ? AND from_period = ?",
        [entity, period],
    )
    row = cur.fetchone()
    names = [d[0] for d in cur.description]
    values = row or (None,) * len(names)
    return {n: None if v is None else Decimal(v) for n, v in zip(names, values, strict=True)}


def store_event(con: duckdb.DuckDBPyConnection, period: str, m: Measured, before: Decimal) -> None:
    con.execute(
        """INSERT INTO consolidation_event (period, entity, kind, holder, sub_group_of,
               ownership_before, ownership_after, net_assets, net_assets_fc, consideration,
               consideration_fc, nci, goodwill_fc, goodwill_rate, gain, remeasurement_gain,
               nci_at_fair_value, detail, carried)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            period,
            m.entity,
            m.kind,
            m.holder,
            m.sub_group_of,
            before,
            m.ownership,
            m.net_assets,
            m.net_assets_fc,
            m.consideration,
            m.consideration_fc,
            m.nci,
            m.goodwill_fc,
            m.goodwill_rate,
            m.gain,
            m.remeasurement_gain,
            m.nci_at_fair_value,
            m.detail,
            m.carried,
        ],
    )

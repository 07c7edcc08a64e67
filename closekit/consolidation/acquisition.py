"""First consolidation: measuring an acquisition once, at its holder
(SPEC 15.1, 15.2, 15.4; IFRS 3.18-19, 3.32-34, 3.42; IAS 21.47).

When the period of an acquisition is consolidated, closekit measures it at
the subsidiary's direct parent Q and stores the result in
``consolidation_event`` (one row) and ``acquisition_key`` (the balance keys
of S that made up its net assets): every later period's entries
(:mod:`.investment`) are derived from these, at every node above Q.

- NA0: S's translated net assets at the end of P-1 (closing rate of P-1),
  from its balances then and the opening rows it brings into P; NA0_fc the
  same in S's currency.
- C: the movement of Q's investment with partner S in P at closing(Q, P-1),
  plus the fair value of a stake Q already held (whose remeasurement is a
  gain or loss, IFRS 3.42); C_fc = round(C / closing(S, P-1)).
- NCI at acquisition: NA0 - round(o x NA0), or ``nci_fair_value`` at
  closing(S, P-1) (IFRS 3.19).
- GW_fc = C_fc - round(o x NA0_fc), or C_fc + nci_fair_value - NA0_fc; a
  negative one is a bargain purchase, a gain (IFRS 3.34).

A subsidiary that is a member from the first period is measured there: with
the migration columns of its ownership row (SPEC 15.4), or else as v1 did,
NA0 = its share capital, with GW_fc fixed at the historical rate of that
share capital (15.2).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.associate_acquired import take_out_equity_method
from closekit.consolidation.associate_change import measure_associate_change
from closekit.consolidation.disposal import measure_loss_of_control
from closekit.consolidation.measured import (
    Measured,
    MissingEventAccount,
    Rates,
    acquired_net_assets,
    investment_balance,
    ownership_row,
    round_cents,
    store_event,
    sum_of,
)
from closekit.consolidation.migration import first_period, migration
from closekit.consolidation.ownership_change import measure_ownership_change
from closekit.consolidation.structure import Event, Member, PeriodStructure, period_structure
from closekit.fx import to_currency
from closekit.periods import fiscal_year_start, previous
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# The balance keys of S at the end of P-1 (SPEC 15.1): its translated
# balances at the previous period with a folder, closing-rate keys at
# closing(P-1), plus the opening rows it brings into P; P&L keys of a year
# that closed in between sit on retained earnings; the CTA makes them sum to
# zero. Only equity and P&L keys are kept: they make up -NA0.
_KEYS_SQL = """
INSERT INTO acquisition_key (period, entity, account, partner, profit_center, cost_center,
                             amount, amount_group, fiscal_year)
WITH line AS (
    SELECT account, partner, profit_center, cost_center, amount, amount_group,
           period AS line_period, true AS translated
    FROM translated_balance
    WHERE period = $prior AND entity = $entity AND rate_kind <> 'cta'
    UNION ALL
    SELECT account, partner, profit_center, cost_center, amount, amount_group,
           period, false
    FROM journal
    WHERE period = $period AND entity = $entity AND module = 'opening'
),
placed AS (
    -- a P&L key of a fiscal year closed before P-1 sits on retained earnings
    SELECT CASE WHEN pl AND fiscal_year < $year_before THEN $retained_earnings
                ELSE l.account END AS account,
           CASE WHEN pl AND fiscal_year < $year_before THEN '' ELSE partner END AS partner,
           CASE WHEN pl AND fiscal_year < $year_before THEN '' ELSE profit_center END
               AS profit_center,
           CASE WHEN pl AND fiscal_year < $year_before THEN '' ELSE cost_center END
               AS cost_center,
           CASE WHEN pl AND fiscal_year >= $year_before THEN fiscal_year END AS fiscal_year,
           l.amount, l.amount_group, l.translated, l.rate
    FROM (SELECT l.*, a.rate, a.type IN ('revenue', 'expense') AS pl,
                 CASE WHEN l.translated THEN $prior_year ELSE $year END AS fiscal_year
          FROM line l JOIN account a USING (account)) l
),
keyed AS (
    SELECT p.account, partner, profit_center, cost_center, fiscal_year,
           sum(p.amount) AS amount,
           CASE WHEN NOT $foreign THEN sum(p.amount)
                -- closing-rate keys: the balance at the closing rate of P-1
                WHEN any_value(p.rate) = 'closing' THEN round(sum(p.amount) * $rate, 2)
                -- others keep their translation; opening rows their amount_group
                ELSE sum(CASE WHEN translated OR p.amount_group IS NOT NULL
                              THEN p.amount_group
                              ELSE round(p.amount * $rate, 2) END)
           END AS amount_group
    FROM placed p
    GROUP BY p.account, partner, profit_center, cost_center, fiscal_year
),
with_cta AS (
    SELECT account, partner, profit_center, cost_center, fiscal_year, amount, amount_group
    FROM keyed
    UNION ALL
    SELECT $cta, '', '', '', NULL, 0, -coalesce(sum(amount_group), 0) FROM keyed
)
SELECT $period, $entity, k.account, partner, profit_center, cost_center,
       sum(k.amount), sum(k.amount_group), fiscal_year
FROM with_cta k JOIN account a USING (account)
WHERE a.type IN ('equity', 'revenue', 'expense')
GROUP BY k.account, partner, profit_center, cost_center, fiscal_year
HAVING sum(k.amount) <> 0 OR sum(k.amount_group) <> 0
"""


def _acquisition_keys(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    structure: PeriodStructure,
    entity: str,
    rate: Decimal,
    foreign: bool,
) -> None:
    period = structure.period
    start = settings.fiscal_year_start
    con.execute(
        _KEYS_SQL,
        {
            "period": period,
            "prior": structure.previous,
            "entity": entity,
            "rate": rate,
            "foreign": foreign,
            "year": fiscal_year_start(period, start),
            "year_before": fiscal_year_start(previous(period), start),
            "prior_year": fiscal_year_start(structure.previous or period, start),
            "retained_earnings": settings.accounts.retained_earnings,
            "cta": settings.accounts.cta,
        },
    )


def _acquisition(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    rates: Rates,
    structure: PeriodStructure,
    event: Event,
    replaced: dict[str, Decimal],
) -> Measured:
    """SPEC 15.1 for S acquired at P by Q. ``replaced``: for the head of a
    sub-group, what its members' investments in the entities that join with
    it exceed their share of those entities' NA0 (that is its goodwill too)."""
    period, s, q = structure.period, event.entity, event.holder
    before = previous(period)
    why = f"the acquisition of {s} in {period}"
    rate = rates.closing(s, before, why)
    _acquisition_keys(settings, con, structure, s, rate, rates.foreign(s))
    net_assets, net_assets_fc = acquired_net_assets(con, period, s)
    own = event.after.ownership / 100
    row = ownership_row(con, s, period)
    if event.sub_group_of:
        # Joins with the head of its sub-group: no goodwill of its own; its
        # holder's investment is replaced by the holder's share of NA0.
        share = round_cents(own * net_assets)
        nci = net_assets - share
        if row["nci_fair_value"] is not None:
            nci = round_cents(row["nci_fair_value"] * rate)
        return Measured(
            s,
            "acquisition",
            q,
            event.sub_group_of,
            own,
            net_assets,
            net_assets_fc,
            share,
            None,
            nci,
            Decimal(0),
            rate,
        )
    paid = sum_of(
        con,
        """SELECT sum(j.amount) FROM journal_total j
           JOIN account a ON a.account = j.account AND a.role = 'investment'
           WHERE j.period = $p AND j.entity = $q AND j.partner = $s""",
        {"p": period, "q": q, "s": s},
    )
    cost = round_cents(paid * rates.closing(q, before, why))
    remeasurement = None
    carried = None
    held = event.before.parent == q and event.before.ownership > 0
    if held and row["fair_value"] is not None:
        if settings.accounts.disposal_gain is None:
            raise MissingEventAccount(
                f"the acquisition of {s} in {period} remeasures the stake held before "
                "(IFRS 3.42); set [accounts] disposal_gain in closekit.toml"
            )
        # IFRS 3.42: the stake held is part of the consideration at fair
        # value; the difference to its carrying amount is a gain or loss.
        # The carrying amount is the node's (an associate's equity-method
        # amounts included), and the associate's OCI is recycled (SPEC 15.1):
        # gain = fair value - K1 - X1. The investment rule books fair value
        # - Q's cost; ``carried`` is the rest (:mod:`.associate_change`).
        fair = round_cents(row["fair_value"] * rate)
        held_cost = investment_balance(con, structure.previous or period, q, s)
        carrying, oci = take_out_equity_method(settings, con, structure, s, q)
        remeasurement = fair - carrying - oci
        carried = carrying - held_cost + oci
        cost += fair
    cost_fc = to_currency(cost, rate) if rate != 1 else cost
    # A sub-group head's NA0 holds its investments in the entities that join
    # with it at their cost; replace them by its share of their NA0.
    adjust = replaced.get(s, Decimal(0))
    net_assets -= adjust
    net_assets_fc -= to_currency(adjust, rate) if rate != 1 else adjust
    if row["nci_fair_value"] is not None:
        nci = round_cents(row["nci_fair_value"] * rate)
        goodwill_fc = cost_fc + row["nci_fair_value"] - net_assets_fc
    else:
        nci = net_assets - round_cents(own * net_assets)
        goodwill_fc = cost_fc - round_cents(own * net_assets_fc)
    gain = None
    if goodwill_fc < 0:
        # IFRS 3.34: a bargain purchase is a gain in profit or loss.
        gain = net_assets - nci - cost
        goodwill_fc = Decimal(0)
        if settings.accounts.bargain_purchase is None:
            raise MissingEventAccount(
                f"the acquisition of {s} in {period} is a bargain purchase (gain {gain}); "
                "set [accounts] bargain_purchase in closekit.toml"
            )
    return Measured(
        s,
        "acquisition",
        q,
        "",
        own,
        net_assets,
        net_assets_fc,
        cost,
        cost_fc,
        nci,
        goodwill_fc,
        rate,
        gain,
        remeasurement,
        row["nci_fair_value"] is not None,
        carried=carried,
    )


def forget_events(con: duckdb.DuckDBPyConnection, period: str) -> None:
    """Delete what the period's events measured, to measure them again."""
    con.execute("DELETE FROM consolidation_event WHERE period = ?", [period])
    con.execute("DELETE FROM acquisition_key WHERE period = ?", [period])
    con.execute("DELETE FROM event_line WHERE period = ?", [period])


def _opening_positions(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    rates: Rates,
    period: str,
    members: tuple[Member, ...],
    only: set[str] | None = None,
) -> list[Measured]:
    """Every subsidiary of the first period, measured there (15.2, 15.4)."""
    seen: dict[str, Member] = {}
    for member in members:
        if member.depth > 0 and (only is None or member.entity in only):
            seen.setdefault(member.entity, member)
    measured = []
    for entity, member in sorted(seen.items()):
        row = ownership_row(con, entity, period)
        if row["pre_acquisition_equity"] is not None:
            measured.append(migration(settings, con, period, member, row))
        else:
            measured.append(first_period(con, rates, period, member))
    for opening in measured:
        store_event(con, period, opening, opening.ownership)
    return measured


def measure_acquisitions(
    settings: Settings, con: duckdb.DuckDBPyConnection, structure: PeriodStructure
) -> list[Measured]:
    """Measure the period's acquisitions (and, in the first period, every
    subsidiary's opening position) into ``consolidation_event`` and
    ``acquisition_key``. The caller holds the transaction and has forgotten
    the period's events."""
    rates = Rates(settings, con)
    period = structure.period
    if structure.first:
        return _opening_positions(settings, con, rates, period, structure.members)
    _backfill_first_period(settings, con, rates, structure)
    acquisitions = [e for e in structure.events if e.kind == "acquisition"]
    # Sub-group members first: their head's NA0 takes its share of theirs
    # in place of its investments in them (SPEC 15.1).
    replaced: dict[str, Decimal] = {}
    measured: list[Measured] = []
    for event in sorted(acquisitions, key=lambda e: e.sub_group_of == ""):
        m = _acquisition(settings, con, rates, structure, event, replaced)
        if m.sub_group_of:
            paid = investment_balance(con, period, m.holder, m.entity)
            replaced[m.sub_group_of] = (
                replaced.get(m.sub_group_of, Decimal(0)) + paid - m.consideration
            )
        store_event(con, period, m, event.before.ownership / 100)
        measured.append(m)
    return measured


def measure_changes(
    settings: Settings, con: duckdb.DuckDBPyConnection, structure: PeriodStructure
) -> None:
    """Measure the period's changes in ownership (SPEC 15.3), losses of
    control (16.1) and changes of holding in associates (16.2) at their
    holders; a sub-group leaves with its head."""
    rates = Rates(settings, con)
    for event in structure.events:
        if event.kind == "ownership_change":
            measure_ownership_change(settings, con, structure, event)
        elif event.kind == "loss_of_control" and not event.sub_group_of:
            measure_loss_of_control(settings, con, rates, structure, event)
        elif event.kind in ("equity_change", "equity_end"):
            measure_associate_change(settings, con, rates, structure, event)


def _backfill_first_period(
    settings: Settings, con: duckdb.DuckDBPyConnection, rates: Rates, structure: PeriodStructure
) -> None:
    """A workspace consolidated before events were stored (closekit 0.1) has
    no opening positions: measure them at its first period, which is still
    translated (its figures do not change)."""
    row = con.execute("SELECT min(period) FROM translated_balance").fetchone()
    first = row[0] if row else None
    if first is None or first >= structure.period:
        return
    known = {
        e for (e,) in con.execute("SELECT DISTINCT entity FROM consolidation_event").fetchall()
    }
    if known:
        return
    opening = period_structure(settings, con, first)
    _opening_positions(settings, con, rates, first, opening.members)

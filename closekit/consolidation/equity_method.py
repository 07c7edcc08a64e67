"""Associates and joint ventures: the equity method (SPEC 16.2; IAS 28.10,
28.32, 28.38).

For associate A (method ``equity``) held by Q with holding o, at every node
Q is a member of, from the equity start B (the latest period from which A
has been held as it is now):

- carrying amount = Q's investment in A (its cost, or the fair value of a
  stake kept after a loss of control) + o x (NA*_A(P) - NA*_A(B-1)), NA*
  being A's translated net assets without its share capital (capital flows
  are the investor's cost, not its share of results);
- the pieces of that change: o x A's result of the year since B on
  ``[accounts] associate_result`` ("share of profit of associates"); o x the
  movement of A's CTA on CTA ("share of OCI of associates"); Q's dividend
  income from A (role ``dividend_income``, partner A) reversed, since A's
  dividends are already out of NA*; what is left (earlier years) on retained
  earnings;
- losses stop when the carrying amount reaches zero (IAS 28.38): the loss not
  recognised is reported by the ``structure`` check.

At the workspace's first period an associate's B-1 is its opening: NA* from
its equity before the period's result and CTA. Every line belongs to Q for
NCI (SPEC 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.entries import INSERT_ENTRY
from closekit.consolidation.measured import (
    MissingEventAccount,
    node_sum,
    round_cents,
    translated_sum,
)
from closekit.consolidation.structure import PeriodStructure, read_holdings
from closekit.master.ownership import holdings_at
from closekit.periods import fiscal_year_start, period_folders
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class Pickup:
    """One associate's equity-method figures at a period (group currency,
    debit positive)."""

    associate: str
    holder: str
    since: str
    ownership: Decimal
    cost: Decimal
    carrying: Decimal
    unrecognised_loss: Decimal


def _start(settings: Settings, con: duckdb.DuckDBPyConnection, period: str, a: str) -> str:
    """B: the first period of the run of periods up to ``period`` in which A
    has been held as it is now."""
    base, dated = read_holdings(con)
    now = holdings_at(base, dated, period)[a]
    start = period
    for earlier in reversed([p for p in period_folders(settings.ledgers_dir) if p < period]):
        held = holdings_at(base, dated, earlier).get(a)
        if held is None or (held.parent, held.ownership, held.method) != (
            now.parent,
            now.ownership,
            now.method,
        ):
            break
        start = earlier
    return start


def equity_method(
    settings: Settings, con: duckdb.DuckDBPyConnection, structure: PeriodStructure
) -> list[Pickup]:
    """Write the equity-method entries of the period's associates at every node
    holding their investor (caller holds the transaction)."""
    period = structure.period
    accounts = settings.accounts
    associates = sorted(
        (a, h) for a, h in structure.holdings.items() if h.method == "equity" and h.parent
    )
    folders = period_folders(settings.ledgers_dir)
    start_month = settings.fiscal_year_start
    year = fiscal_year_start(period, start_month)
    pickups = []
    for a, holding in associates:
        q, o = holding.parent, holding.ownership / 100
        nodes = [
            n
            for (n,) in con.execute(
                "SELECT node FROM node_member WHERE period = ? AND entity = ?", [period, q]
            ).fetchall()
        ]
        if not nodes:
            continue
        since = _start(settings, con, period, a)
        earlier = [p for p in folders if p < since]
        prior = earlier[-1] if earlier else None
        capital_and_net_assets = "(a.type IN ('asset', 'liability') OR a.role = 'share_capital')"
        now = translated_sum(con, period, a, capital_and_net_assets)
        if prior is not None:
            before = translated_sum(con, prior, a, capital_and_net_assets)
        else:
            # the opening: equity before the first period's result and CTA
            before = -translated_sum(
                con,
                period,
                a,
                "a.type = 'equity' AND a.role <> 'share_capital' AND t.account <> $cta",
                cta=accounts.cta,
            )
        result = translated_sum(con, period, a, "a.type IN ('revenue', 'expense')")
        cta = translated_sum(con, period, a, "t.account = $cta", cta=accounts.cta)
        # this year's result and dividends since B only: before B they were
        # an earlier holding's (frozen by associate_change.py) or none
        since_b = prior is not None and fiscal_year_start(prior, start_month) == year
        if prior is not None:
            cta -= translated_sum(con, prior, a, "t.account = $cta", cta=accounts.cta)
            if since_b and since > year:
                result -= translated_sum(con, prior, a, "a.type IN ('revenue', 'expense')")
        dividends = con.execute(
            """SELECT t.account, t.profit_center, t.cost_center,
                      sum(CASE WHEN t.period = $p THEN t.amount_group ELSE -t.amount_group END)
               FROM translated_balance t
               JOIN account a ON a.account = t.account AND a.role = 'dividend_income'
               WHERE t.entity = $q AND t.partner = $a
                 AND (t.period = $p OR ($since_b AND t.period = $prior))
               GROUP BY ALL
               HAVING sum(CASE WHEN t.period = $p THEN t.amount_group
                               ELSE -t.amount_group END) <> 0""",
            {"p": period, "q": q, "a": a, "since_b": since_b, "prior": prior or period},
        ).fetchall()
        investment = con.execute(
            """SELECT t.account, sum(t.amount_group) FROM translated_balance t
               JOIN account a ON a.account = t.account AND a.role = 'investment'
               WHERE t.period = ? AND t.entity = ? AND t.partner = ? GROUP BY t.account
               ORDER BY t.account LIMIT 1""",
            [period, q, a],
        ).fetchone()
        if investment is None:
            continue  # nothing invested: nothing to carry
        result_account = accounts.associate_result
        if result_account is None:
            raise MissingEventAccount(
                f"{a} is an associate of {q} in {period}: set [accounts] associate_result "
                "in closekit.toml"
            )
        # a stake kept after a loss of control is carried at its fair value;
        # an earlier holding's carrying amount is fixed (associate_change.py)
        kept = node_sum(
            con,
            period,
            nodes[0],
            "step IN ('disposal', 'equity_change') AND partner = $a AND account = $acc",
            a=a,
            acc=investment[0],
        )
        cost = Decimal(investment[1]) + kept
        pickup = round_cents(o * (now - before))
        share_of_result = round_cents(o * result)
        unrecognised = Decimal(0)
        if cost + pickup < 0:  # IAS 28.38: losses stop at zero
            unrecognised = -(cost + pickup)
            pickup += unrecognised
            share_of_result -= unrecognised
        lines: list[tuple[str, str, str, str, Decimal, str]] = [
            (investment[0], a, "", "", pickup, f"share of the net assets of {a} since {since}"),
            (str(result_account), a, "", "", share_of_result, f"share of the result of {a}"),
            (accounts.cta, a, "", "", round_cents(o * cta), f"share of the OCI of {a}"),
        ]
        lines += [
            (str(acc), a, pc, cc, -Decimal(amount), f"dividend from {a} reversed")
            for acc, pc, cc, amount in dividends
        ]
        rest = -sum((line[4] for line in lines), Decimal(0))
        lines.append(
            (accounts.retained_earnings, a, "", "", rest, f"share of {a}'s earlier results")
        )
        rows = [
            (period, node, q, partner, account, pc, cc, amount, note, q, "profit")
            for node in nodes
            for account, partner, pc, cc, amount, note in lines
            if amount != 0
        ]
        if rows:
            con.executemany(
                f"{INSERT_ENTRY} VALUES (?, ?, 'equity_method', ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
        pickups.append(Pickup(a, q, since, o, cost, cost + pickup, unrecognised))
        if unrecognised:
            con.execute(
                "INSERT INTO consolidation_event (period, entity, kind, holder, "
                "ownership_before, ownership_after, consideration, net_assets, detail) "
                "VALUES (?, ?, 'equity_method', ?, ?, ?, ?, ?, ?)",
                [
                    period,
                    a,
                    q,
                    o,
                    o,
                    cost,
                    Decimal(0),
                    f"losses capped at zero (IAS 28.38): {unrecognised:,.2f} not recognised",
                ],
            )
    return pickups

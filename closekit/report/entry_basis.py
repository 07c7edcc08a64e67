"""The basis of each consolidation entry: the percentage and the base
amount it was taken from, so that a controller can tick it.

Entries are read generically (``consolidation_entry``: step, entity,
partner, account, amount, note): a step closekit's report does not know
is listed with its note. For the rules of SPEC section 7.3 the basis is
read back from finished tables, the node's members (direct and effective
holdings) and their translated balances:

- ``investment`` on a share-capital account: 100% of the subsidiary's
  share capital is eliminated; on ``nci_equity``: (1 - direct holding) of it;
- ``nci_result``: (1 - effective holding) of the subsidiary's result (its
  P&L accounts but ``nci_profit``);
- ``nci_reserves`` on a reserve: (1 - effective holding) of the
  subsidiary's balance on it; on ``nci_equity``: of the subsidiary's
  balances on the reserves its other ``nci_reserves`` entries move.

A basis is shown only when it gives the entry's amount again (to the
cents of rounding per balance key), so a rule that works differently
never shows a basis that does not explain its figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

import duckdb

from closekit.report.chart import ZERO
from closekit.report.queries import Entry, Member, shared_member_balances, shared_node_entries
from closekit.report.sources import LedgerBalances
from closekit.report.worksheet import NodeMember, node_members
from closekit.workspace import Settings

TOLERANCE = Decimal("0.50")  # rounding per balance key, summed over the keys


class Basis(NamedTuple):
    """share: the fraction applied; base: the balance it applies to
    (stored, debit positive)."""

    share: Decimal
    base: Decimal


def entry_basis(
    entries: Iterable[Entry],
    members: Sequence[NodeMember],
    balances: Iterable[Member],
    pnl_accounts: frozenset[str],
    share_capital: frozenset[str],
    nci_profit: str,
    nci_equity: str,
) -> dict[Entry, Basis]:
    """The basis of every entry of one node whose rule is known and whose
    basis gives its amount again."""
    holding = {m.entity: m for m in members}
    balance: dict[tuple[str, str], Decimal] = {}
    result: dict[str, Decimal] = {}
    capital: dict[str, Decimal] = {}
    for b in balances:
        balance[(b.entity, b.account)] = balance.get((b.entity, b.account), ZERO) + b.amount_group
        if b.account in pnl_accounts and b.account != nci_profit:
            result[b.entity] = result.get(b.entity, ZERO) + b.amount_group
        if b.account in share_capital:
            capital[b.entity] = capital.get(b.entity, ZERO) + b.amount_group
    entries = list(entries)
    reserves: dict[str, Decimal] = {}  # per subsidiary: its reserves NCI takes a share of
    moved = {(e.entity, e.account) for e in entries if e.step == "nci_reserves"}
    for entity, account in moved - {(e, nci_equity) for e, _ in moved}:
        reserves[entity] = reserves.get(entity, ZERO) + balance.get((entity, account), ZERO)
    found: dict[Entry, Basis] = {}
    for entry in entries:
        member = holding.get(entry.entity)
        if member is None:
            continue
        candidate = _candidate(
            entry, member, balance, result, capital, reserves, share_capital, nci_equity
        )
        if candidate is not None and _explains(candidate, entry.amount_group):
            found[entry] = candidate
    return found


def _candidate(
    entry: Entry,
    member: NodeMember,
    balance: Mapping[tuple[str, str], Decimal],
    result: Mapping[str, Decimal],
    capital: Mapping[str, Decimal],
    reserves: Mapping[str, Decimal],
    share_capital: frozenset[str],
    nci_equity: str,
) -> Basis | None:
    one = Decimal(1)
    if entry.step == "investment" and entry.account in share_capital:
        return Basis(one, capital.get(entry.entity, ZERO))
    if entry.step == "investment" and entry.account == nci_equity:
        return Basis(one - member.ownership, capital.get(entry.entity, ZERO))
    if entry.step == "nci_result":
        return Basis(one - member.effective, result.get(entry.entity, ZERO))
    if entry.step == "nci_reserves" and entry.account != nci_equity:
        return Basis(one - member.effective, balance.get((entry.entity, entry.account), ZERO))
    if entry.step == "nci_reserves":
        return Basis(one - member.effective, reserves.get(entry.entity, ZERO))
    return None


def _explains(basis: Basis, amount: Decimal) -> bool:
    return abs(abs(basis.share * basis.base) - abs(amount)) <= TOLERANCE and basis.base != 0


def node_entry_basis(
    ledger: LedgerBalances,
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    node: str,
) -> dict[Entry, Basis]:
    """:func:`entry_basis` of one node, worked out once per report run for
    the workbook and the site."""

    def fetch() -> list[tuple[Entry, Basis]]:
        capital = frozenset(
            str(a)
            for (a,) in con.execute(
                "SELECT account FROM account WHERE role = 'share_capital'"
            ).fetchall()
        )
        found = entry_basis(
            [e for e in shared_node_entries(ledger, con, period) if e.node == node],
            node_members(con, period, node),
            [b for b in shared_member_balances(ledger, con, period) if b.node == node],
            ledger.pnl_accounts(),
            capital,
            settings.accounts.nci_profit,
            settings.accounts.nci_equity,
        )
        return list(found.items())

    return dict(ledger.shared(("entry_basis", period, node), fetch))

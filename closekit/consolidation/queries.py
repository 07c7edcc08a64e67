"""Queries over a consolidated period: node trial balances, drill-down,
intercompany pairs, key figures (SPEC sections 7 and 11)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit import status
from closekit.consolidation.entries import BALANCE_CTE
from closekit.consolidation.translation import (
    PRIOR_ACCOUNT,
    earlier_consolidated,
    prior_params,
    require_basis,
    tb_lines,
)
from closekit.ledger import Basis, TBLine, require_account, require_entity
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

ENTRY_STEPS = ("ic_elimination", "investment", "urp", "topside", "nci_result", "nci_reserves")


@dataclass(frozen=True)
class ICPair:
    """An intercompany pair's balances on one plug account at a node.

    entity, partner: the pair, entity < partner in code order.
    plug_account: the plug the pair's intercompany accounts eliminate against.
    entity_side: what entity's balances with partner put on the plug.
    partner_side: what partner's balances with entity put on the plug.
    difference: entity_side + partner_side, what remains on the plug.
    checked: the plug has role ic_difference, so ic_matched checks the pair.
    within_tolerance: |difference| <= [intercompany] tolerance.
    """

    entity: str
    partner: str
    plug_account: str
    entity_side: Decimal
    partner_side: Decimal
    difference: Decimal
    checked: bool
    within_tolerance: bool


@dataclass(frozen=True)
class KeyFigures:
    """The group's figures in group currency, presented (profit positive).

    profit: profit for the period (year-to-date), before NCI.
    owners / nci: attributable to owners of the parent / to NCI.
    """

    total_assets: Decimal
    profit: Decimal
    owners: Decimal
    nci: Decimal


def key_figures(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str
) -> KeyFigures:
    """Total assets, profit for the period and its split, at ``node`` (YTD)."""
    lines = node_trial_balance(con, settings, period, node, "ytd")
    nci_profit = settings.accounts.nci_profit
    assets = sum((x.amount for x in lines if x.type == "asset"), Decimal(0))
    # Reports present profit positive: the P&L is a credit balance.
    profit = -sum(
        (x.amount for x in lines if x.type in ("revenue", "expense") and x.account != nci_profit),
        Decimal(0),
    )
    nci = sum((x.amount for x in lines if x.account == nci_profit), Decimal(0))
    return KeyFigures(assets, profit, profit - nci, nci)


# ---- queries ------------------------------------------------------------


def consolidation_nodes(con: duckdb.DuckDBPyConnection, period: str) -> list[str]:
    """Every node of the period, the group first, then by depth in the tree and code."""
    # A node's depth in the tree: the deepest it sits as a member (0, as its
    # own member, for the group). One grouped join, not a subquery per node:
    # the report asks for the nodes with every statement (7.6 -> 2.7 ms).
    rows = con.execute(
        """
        SELECT n.node
        FROM node_member n
        LEFT JOIN (SELECT entity, max(depth) AS depth FROM node_member
                   WHERE period = $period GROUP BY entity) x ON x.entity = n.node
        WHERE n.period = $period AND n.depth = 0
        ORDER BY x.depth, n.node
        """,
        {"period": period},
    ).fetchall()
    return [row[0] for row in rows]


def _members_sql(period_param: str = "$p") -> str:
    # A leaf entity (no node_member rows as a node) is its own node.
    return f"""(SELECT entity FROM node_member WHERE period = {period_param} AND node = $node
               UNION SELECT $node)"""


def _node_amounts_sql(period_param: str, account_expr: str, sign: str) -> str:
    members = _members_sql(period_param)
    return f"""
        SELECT {account_expr}, {sign}t.amount_group FROM translated_balance t
        JOIN account a ON a.account = t.account
        WHERE t.period = {period_param} AND t.entity IN {members}
        UNION ALL
        SELECT {account_expr}, {sign}t.amount_group FROM consolidation_entry t
        JOIN account a ON a.account = t.account
        WHERE t.period = {period_param} AND t.node = $node
    """


def node_trial_balance(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str, basis: Basis
) -> list[TBLine]:
    """A node's consolidated trial balance in group currency: its members'
    translated balances plus its elimination and NCI entries, per posting
    account with a non-zero balance, in code-point order. A leaf entity is
    a valid node (its own translated trial balance).

    basis ``ytd`` or ``period`` as in SPEC section 11 (``period`` needs the
    previous period with a folder consolidated too).
    """
    require_entity(con, node)
    basis = require_basis(basis)
    status.require_step(con, period, "consolidated")
    sql = _node_amounts_sql("$period", "t.account", "")
    params: dict[str, object] = {"period": period, "node": node}
    prior = earlier_consolidated(settings, con, period) if basis == "period" else None
    if prior is not None:
        sql += " UNION ALL " + _node_amounts_sql("$prior", PRIOR_ACCOUNT, "-")
        params.update(prior_params(settings, period, prior))
    return tb_lines(con, sql, params)


@dataclass(frozen=True)
class NodeDrillRow:
    """One component of a node's balance on an account (group currency).

    source: ``translated`` (a member's translated balance) or the entry step
        (ic_elimination | investment | urp | topside | nci_result | nci_reserves).
    entity, partner, profit_center, cost_center: the balance key.
    detail: the rate kind(s) of a translated balance, or the entry's note.
    """

    source: str
    entity: str
    partner: str
    profit_center: str
    cost_center: str
    amount: Decimal
    detail: str


def node_drill(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str,
    node: str,
    account: str,
    profit_center: str | None = None,
    cost_center: str | None = None,
) -> list[NodeDrillRow]:
    """Which members' translated balances and which of the node's entries make
    up its balance on ``account`` (optionally of one profit/cost center); the
    amounts sum to the node's trial-balance line."""
    require_entity(con, node)
    require_account(con, account)
    status.require_step(con, period, "consolidated")
    where = ""
    params: dict[str, object] = {"p": period, "node": node, "account": account}
    if profit_center is not None:
        where += " AND profit_center = $profit_center"
        params["profit_center"] = profit_center
    if cost_center is not None:
        where += " AND cost_center = $cost_center"
        params["cost_center"] = cost_center
    steps = ", ".join(f"'{s}'" for s in ENTRY_STEPS)
    rows = con.execute(
        f"""
        SELECT * FROM (
            SELECT 'translated' AS source, entity, partner, profit_center, cost_center,
                   sum(amount_group) AS amount,
                   string_agg(DISTINCT rate_kind, '+' ORDER BY rate_kind) AS detail, 0 AS seq
            FROM translated_balance
            WHERE period = $p AND account = $account AND entity IN {_members_sql()} {where}
            GROUP BY entity, partner, profit_center, cost_center
            HAVING sum(amount_group) <> 0
            UNION ALL
            SELECT step, entity, partner, profit_center, cost_center, amount_group, note,
                   list_position([{steps}], step)
            FROM consolidation_entry
            WHERE period = $p AND node = $node AND account = $account {where}
        )
        ORDER BY seq, entity, partner,
                 profit_center, cost_center, detail, amount
        """,
        params,
    ).fetchall()
    return [
        NodeDrillRow(source, entity, partner, pc, cc, Decimal(amount), detail)
        for source, entity, partner, pc, cc, amount, detail, _seq in rows
    ]


def intercompany_pairs(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str
) -> list[ICPair]:
    """Every intercompany pair of members of ``node`` with a balance, per plug
    account: both sides and what remains on the plug (SPEC 7.2). A one-sided
    balance is listed with the missing side 0."""
    require_entity(con, node)
    status.require_step(con, period, "consolidated")
    rows = con.execute(
        f"""
        WITH {BALANCE_CTE},
        -- what each member booked with each other member, per plug account
        side AS (
            SELECT b.entity AS booked_by, b.partner AS booked_with, a.ic_plug AS plug,
                   sum(b.amount) AS amount
            FROM balance b
            JOIN account a ON a.account = b.account AND a.ic_plug <> ''
            JOIN node_member m ON m.period = $period AND m.node = $node AND m.entity = b.entity
            JOIN node_member p ON p.period = $period AND p.node = $node
                              AND p.entity = b.partner
            GROUP BY b.entity, b.partner, a.ic_plug
        ),
        -- the unordered pair: its first entity in code order, then the other
        pair AS (
            SELECT least(booked_by, booked_with) AS entity,
                   greatest(booked_by, booked_with) AS partner, plug,
                   coalesce(sum(amount) FILTER (WHERE booked_by < booked_with), 0) AS entity_side,
                   coalesce(sum(amount) FILTER (WHERE booked_by > booked_with), 0) AS partner_side
            FROM side
            GROUP BY 1, 2, 3
        )
        SELECT pair.*, coalesce(plug_account.role = 'ic_difference', false)
        FROM pair LEFT JOIN account plug_account ON plug_account.account = pair.plug
        WHERE entity_side <> 0 OR partner_side <> 0
        """,
        {"period": period, "node": node},
    ).fetchall()
    pairs = [
        ICPair(
            entity,
            partner,
            plug,
            Decimal(left),
            Decimal(right),
            Decimal(left + right),
            bool(checked),
            abs(left + right) <= settings.ic_tolerance,
        )
        for entity, partner, plug, left, right, checked in rows
    ]
    return sorted(pairs, key=lambda p: (p.entity, p.partner, p.plug_account))

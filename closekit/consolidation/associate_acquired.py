"""A stake in an associate held before control is acquired (IFRS 3.42;
SPEC 15.1): the equity method's amounts above the holder's cost come off
at the acquisition, into the remeasurement gain (with the associate's OCI
recycled), so the investment rule (:mod:`.investment`) can take the stake
at fair value less the holder's cost."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.consolidation.associate_change import (
    Line,
    carried_positions,
    event_rows,
    freeze_equity_method,
    insert_rows,
    investment_account,
)
from closekit.consolidation.measured import investment_balance
from closekit.consolidation.structure import PeriodStructure
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb


def take_out_equity_method(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    structure: PeriodStructure,
    a: str,
    q: str,
) -> tuple[Decimal, Decimal]:
    """For a stake in A held by Q before Q acquires control at C (IFRS 3.42):
    freeze A's equity-method lines and take out what the node carries above
    Q's cost, against ``disposal_gain``. Returns (K1, X1) at Q's first node
    (Q's cost and 0 when Q is in no node)."""
    prior = structure.previous or structure.period
    accounts = settings.accounts
    positions = carried_positions(settings, con, prior, q, a)
    if not positions:
        return investment_balance(con, prior, q, a), Decimal(0)
    freeze_equity_method(settings, con, structure, a)
    account = investment_account(con, prior, q, a)
    assert accounts.disposal_gain is not None  # the acquisition checked it
    rows = []
    for p in positions:
        carried = p.carrying - p.cost + p.oci
        lines: list[Line] = [
            (q, a, account, "", "", p.cost - p.carrying,
             f"equity-method carrying amount of {a} taken out"),
            (q, a, accounts.cta, "", "", -p.oci, f"share of the OCI of {a} reclassified"),
            (q, a, accounts.disposal_gain, "", "", carried,
             f"equity-method amounts of {a} in the gain"),
        ]  # fmt: skip
        rows += event_rows(structure.period, a, p.node, q, lines, "acquisition")
    insert_rows(con, rows)
    return positions[0].carrying, positions[0].oci

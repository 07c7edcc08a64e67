"""Statement of comprehensive income (IAS 1.81A-82A, 10A two-statement
form; SPEC 19.2) at a node, from its flows: profit for the period (the
income statement's bottom line), other comprehensive income in items that
may be reclassified to profit or loss and items that will not, and total
comprehensive income, each attributed to owners of the parent and NCI.

- Exchange differences on translation of foreign operations: the
  translation flows of equity keys (the CTA, and NCI's share on nci_equity).
- Share of OCI of associates (IAS 1.82A(b)): the ``oci`` flows of the CTA
  account (the equity method's share of an associate's exchange
  differences, SPEC 16.2).
- Reclassified on disposal (IAS 1.92, IAS 21.48): the owners' exchange
  differences of a foreign operation disposed of, which leave the CTA
  (its ``disposal`` flows) for the gain in profit or loss. NCI's part of
  them leaves with NCI (IAS 21.48B) and is not OCI.
- ``oci``-flow journal lines on equity accounts marked ``recycle`` (or not
  marked) may be reclassified; on accounts marked ``keep`` they will not.
  NCI takes (1 - eff) of a subsidiary's (SPEC 19.2).
Amounts are presented credit positive (a profit, a gain).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closekit.statements.equity import EQUITY_COLUMN, equity_params
from closekit.statements.queries import require_node
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# Per line: owners' part (the node's flows on the line's keys, after NCI's
# share moved to nci_equity) and NCI's part.
_LINES = f"""
    WITH keyed AS (
        SELECT f.flow, f.amount, a.oci, f.account = $cta AS is_cta,
               {EQUITY_COLUMN} = 'nci' AS is_nci
        FROM node_flow f JOIN account a USING (account)
        WHERE f.period = $period AND f.node = $node AND a.type = 'equity'
          AND (f.flow IN ('profit', 'translation', 'oci')
               -- the owners' exchange differences of a foreign operation
               -- disposed of leave the CTA: reclassified to profit or loss
               OR f.flow = 'disposal' AND f.account = $cta)
    ),
    -- NCI's share of each subsidiary's oci flows, per kind of account
    nci_oci AS (
        SELECT a.oci, -round((1 - m.effective) * f.amount, 2) AS amount
        FROM entity_flow f
        JOIN node_member m ON m.period = f.period AND m.node = $node AND m.entity = f.entity
                          AND m.depth > 0
        JOIN account a ON a.account = f.account
        WHERE f.period = $period AND f.flow = 'oci' AND a.type = 'equity'
    )
    SELECT CASE WHEN flow = 'oci' AND is_cta THEN 'associates_oci'
                WHEN flow = 'disposal' THEN 'reclassified'
                WHEN flow = 'oci' AND oci = 'keep' THEN 'oci_keep'
                WHEN flow = 'oci' THEN 'oci_recycle' ELSE flow END AS line,
           -sum(amount) FILTER (NOT is_nci) AS owners,
           -sum(amount) FILTER (is_nci AND flow <> 'oci') AS nci
    FROM keyed GROUP BY ALL
    UNION ALL
    SELECT CASE WHEN oci = 'keep' THEN 'oci_keep' ELSE 'oci_recycle' END, 0, -sum(amount)
    FROM nci_oci GROUP BY ALL
"""

# The OCI items (IAS 1.82A): those that will not be reclassified, those that may.
ITEMS = ("oci_keep", "translation", "associates_oci", "reclassified", "oci_recycle")

LABELS = {
    "profit": "Profit for the period",
    "keep_heading": "Items that will not be reclassified to profit or loss",
    "oci_keep": "Other comprehensive income (accounts marked keep)",
    "recycle_heading": "Items that may be reclassified subsequently to profit or loss",
    "translation": "Exchange differences on translation of foreign operations",
    "associates_oci": "Share of other comprehensive income of associates",
    "reclassified": "Exchange differences reclassified to profit or loss on disposal",
    "oci_recycle": "Other comprehensive income (accounts marked recycle)",
    "oci": "Other comprehensive income for the period",
    "comprehensive": "Total comprehensive income for the period",
}


@dataclass(frozen=True)
class IncomeLine:
    """A line: owners' and NCI's parts and their total (credit positive);
    headings have no amounts."""

    line: str
    label: str
    owners: Decimal | None
    nci: Decimal | None

    @property
    def total(self) -> Decimal | None:
        if self.owners is None or self.nci is None:
            return None
        return self.owners + self.nci


@dataclass(frozen=True)
class ComprehensiveIncome:
    node: str
    period: str
    lines: tuple[IncomeLine, ...]

    def line(self, line: str) -> IncomeLine:
        return next(x for x in self.lines if x.line == line)


def comprehensive_income(
    con: duckdb.DuckDBPyConnection, settings: Settings, period: str, node: str | None = None
) -> ComprehensiveIncome:
    """Profit, OCI and total comprehensive income of ``node`` (default: the
    group), fiscal year to ``period``. Item lines without an amount are left
    out (their heading too); profit, OCI and the total always show."""
    node = require_node(con, period, node)
    parts: dict[str, tuple[Decimal, Decimal]] = {}
    for key, owners, nci in con.execute(
        _LINES, {"period": period, "node": node, **equity_params(settings)}
    ).fetchall():
        before = parts.get(key, (Decimal(0), Decimal(0)))
        parts[key] = (before[0] + Decimal(owners or 0), before[1] + Decimal(nci or 0))

    def of(key: str) -> IncomeLine:
        owners, nci = parts.get(key, (Decimal(0), Decimal(0)))
        return IncomeLine(key, LABELS[key], owners, nci)

    lines = [of("profit")]
    for heading, keys in (
        ("keep_heading", ("oci_keep",)),
        ("recycle_heading", ("translation", "associates_oci", "reclassified", "oci_recycle")),
    ):
        shown = [of(key) for key in keys if any(parts.get(key, ()))]
        if shown:
            lines += [IncomeLine(heading, LABELS[heading], None, None), *shown]
    items = [x for x in lines if x.line in ITEMS]
    oci = IncomeLine(
        "oci",
        LABELS["oci"],
        sum((x.owners or Decimal(0) for x in items), Decimal(0)),
        sum((x.nci or Decimal(0) for x in items), Decimal(0)),
    )
    profit = lines[0]
    total = IncomeLine(
        "comprehensive",
        LABELS["comprehensive"],
        (profit.owners or Decimal(0)) + (oci.owners or Decimal(0)),
        (profit.nci or Decimal(0)) + (oci.nci or Decimal(0)),
    )
    return ComprehensiveIncome(node, period, (*lines, oci, total))

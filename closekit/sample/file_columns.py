"""The column order of every file the demo group and the synthetic generator
write (SPEC sections 3 and 4): master data and the period files."""

from __future__ import annotations

from closekit.sample.chart import Account
from closekit.sample.posting_rules import PostingRule
from closekit.sample.rows import (
    ExpenseRow,
    InventoryRow,
    JournalRow,
    OpeningRow,
    PurchasingRow,
    SalesRow,
)

# master/*.csv
ENTITY_COLUMNS = ("entity", "name", "name_zh", "currency", "parent", "ownership_pct", "method")
ACCOUNT_COLUMNS = Account._fields
BU_COLUMNS = ("business_unit", "name", "name_zh", "parent")
PC_COLUMNS = ("profit_center", "name", "name_zh", "business_unit")
CC_COLUMNS = ("cost_center", "name", "name_zh", "entity", "department", "profit_center")
FX_COLUMNS = ("period", "currency", "closing", "average")
RULE_COLUMNS = PostingRule._fields
ALLOCATION_COLUMNS = ("cycle", "sender", "receiver", "basis", "share")
OWNERSHIP_COLUMNS = ("entity", "from", "parent", "ownership_pct", "method")
LAYOUT_COLUMNS = ("account", "positive", "subtotal", "subtotal_zh")

# The period files' columns are the fields of their typed rows. The synthetic
# generator leaves out the optional columns only the demo fills: ``ic_ref``
# (its buyers keep the seller's doc_id, the default) and ``flow`` (all
# movements).
DEMO_ONLY_COLUMNS = ("ic_ref", "flow")
SALES_COLUMNS = SalesRow._fields
PURCHASING_COLUMNS = PurchasingRow._fields
INVENTORY_COLUMNS = InventoryRow._fields
EXPENSES_COLUMNS = ExpenseRow._fields
JOURNAL_COLUMNS = JournalRow._fields
OPENING_COLUMNS = OpeningRow._fields

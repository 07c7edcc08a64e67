"""The demo workspace: Lotus Group's October and November 2026 close.

:func:`demo_tables` builds every file of ``sample_ledgers/`` from the master
data (:mod:`.master`), the trading scenario (:mod:`.scenario`) and one seeded
random generator (:class:`.period.Dice`), so the committed demo is
reproducible byte for byte (``closekit init DIR --sample`` writes exactly
it). Every row is valid under SPEC section 4: revenue and expense postings
carry a profit center or a cost center, cost centers belong to the posting
entity, intercompany postings carry a partner, dates fall in the period and
(module, entity, doc_id, line) is unique.

One module per job: :mod:`.trade` (sales, intragroup goods and fees,
purchases, stock counts), :mod:`.expenses` (payroll, rent, utilities,
travel), :mod:`.journals` (depreciation, cash, settlements, capital),
:mod:`.opening` (balances at 30 September), :mod:`.tables` (the files) and
:mod:`.readme` (``sample_ledgers/README.md``).

What the ledgers show:
- third-party sales, purchases, stock issues and expense claims, some in a
  document currency other than the entity's (USD exports from Shenzhen, USD
  invoices in Hong Kong, USD travel claims);
- intragroup goods and management fees booked on both sides in the same
  invoice currency and amount, settled a month later by journals;
- exactly one intercompany difference: in November US01 booked Hong Kong's
  USD 48,500.00 management fee as USD 48,499.00 (about CNY 7.15, inside the
  10.00 tolerance);
- opening balances with year-to-date results for January-September, the
  foreign entities' equity and results at their historical and average rates;
- a capital increase in DE01 at the rate of its own date (journal
  ``amount_group``).
"""

from __future__ import annotations

from pathlib import Path

from closekit.sample import chart
from closekit.sample.demo import expenses, journals, opening, trade
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.tables import master_tables, minor_units, period_tables
from closekit.sample.files import Table, write_table

PERIODS = ("2026-10", "2026-11")
SEED = 2026
GROUP_NAME = "Lotus Group"


def demo_tables(seed: int = SEED) -> list[Table]:
    """Every data file of the demo workspace, in writing order: the
    subledgers of every period first, then the opening balances sized from
    the first period, then each period's journals."""
    dice = Dice(seed)
    staff = expenses.headcount(dice)
    periods = [Period(period) for period in PERIODS]
    for p in periods:
        trade.third_party_sales(dice, p)
        trade.ic_goods(dice, p)
        trade.fees(p)
        trade.purchases(dice, p)
        trade.stock_counts(dice, p)
        expenses.expenses(dice, p, staff)
    opening_rows, opening_sizes = opening.opening(dice, periods[0])
    for index, p in enumerate(periods):
        journals.journals(p, periods[index - 1] if index else None, opening_sizes)
    ledgers = [Table(f"ledgers/{PERIODS[0]}/opening.csv", chart.OPENING_COLUMNS, opening_rows)]
    for p in periods:
        ledgers += period_tables(p)
    return master_tables() + [minor_units(table) for table in ledgers]


def write_demo(root: Path) -> list[Path]:
    """Write the demo workspace under ``root``: closekit.toml, master data,
    ledgers and README.md. Returns the files written."""
    from closekit.sample.demo.readme import demo_readme

    root.mkdir(parents=True, exist_ok=True)
    tables = demo_tables()
    written = [write_table(root, table) for table in tables]
    settings = root / "closekit.toml"
    settings.write_text(chart.settings_toml(GROUP_NAME), encoding="utf-8")
    notes = root / "README.md"
    notes.write_text(demo_readme(tables), encoding="utf-8")
    return [settings, notes, *written]


def write_blank(root: Path, group_name: str) -> list[Path]:
    """A new workspace to fill in: closekit.toml, the demo's chart of accounts
    and posting rules as a starting point (the special accounts of
    closekit.toml exist in it), the other master files with their headers
    only, and ``ledgers/``."""
    root.mkdir(parents=True, exist_ok=True)
    settings = root / "closekit.toml"
    settings.write_text(chart.settings_toml(group_name), encoding="utf-8")
    written = [settings]
    for table in master_tables():
        if table.path.endswith("allocations.csv"):
            continue  # optional
        keep = table.path.endswith(("accounts.csv", "posting_rules.csv", "statement_layout.csv"))
        written.append(write_table(root, table if keep else Table(table.path, table.columns, [])))
    (root / "ledgers").mkdir(exist_ok=True)
    return written

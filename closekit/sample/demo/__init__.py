"""The demo workspace: Lotus Group's October and November 2026 close.

:func:`demo_tables` builds every file of ``sample_ledgers/`` from the master
data (:mod:`.master`), the trading scenario (:mod:`.scenario`) and one seeded
random generator (:class:`.period.Dice`), so the committed demo is
reproducible byte for byte (``closekit init DIR --sample`` writes exactly
it). Every row is valid under SPEC section 4: revenue and expense postings
carry a profit center or a cost center, cost centers belong to the posting
entity, intercompany postings carry a partner, dates fall in the period and
(module, entity, doc_id, line) is unique.

One module per job: :mod:`.sales` (third-party sales and the stock they
issue), :mod:`.supply` (intragroup goods and fees, purchases, services,
stock counts), :mod:`.expenses` (payroll, rent, utilities, travel),
:mod:`.books` (the demo's own ledger, posted by its posting rules),
:mod:`.opening` (balances at 30 September, sized from October's books),
:mod:`.treasury` (the cash book: open items paid on their terms, balances
paid the month after, interest, foreign cash sold), :mod:`.journals`
(depreciation, an accrual, capital, income tax), :mod:`.events` (who
holds what from when, the deals behind it, dividends), :mod:`.newcomers`
(the books of the two companies that join in November), :mod:`.margins`
(``master/ic_margins.csv``), :mod:`.tables` (the files) and :mod:`.readme`
(``sample_ledgers/README.md``).

What the ledgers show:
- a supply chain with plausible margins: the factory's components and
  production costs, transfer prices to the sales companies, a trading hub,
  a loss-making European subsidiary; stock carried with the group seller as
  partner (SPEC section 18.1), so unrealised profit is real;
- third-party sales, purchases, stock issues and expense claims, some in a
  document currency other than the entity's (USD exports from Shenzhen, USD
  invoices in Hong Kong, USD travel claims);
- intragroup goods and fees booked on both sides in the same invoice
  currency and amount with the seller's number as ``ic_ref``, settled a
  month later;
- exactly one intercompany difference: in November US01 booked Hong Kong's
  USD 48,500.00 management fee as USD 48,499.00 (about CNY 7.15, inside the
  10.00 tolerance); and one invoice only its seller has booked (CN01's last
  November invoice to JP01, which JP01 accrues by a journal);
- opening balances with year-to-date results for January-September, the
  foreign entities' equity and results at their historical and average rates;
- a capital increase in DE01 at the rate of its own date (journal
  ``amount_group``);
- on 1 November a step-up in JP01, the acquisition of SG01 with reserves
  of its own, an associate (CN04) and the sale of DE01 (SPEC 14-16), and
  dividends through the 80%-owned HK01, to JP01's minorities and from the
  associate (SPEC 17).
"""

from __future__ import annotations

from pathlib import Path

from closekit.sample import chart, file_columns
from closekit.sample.demo import events, expenses, journals, opening, sales, supply, treasury
from closekit.sample.demo.books import OPENING, Books
from closekit.sample.demo.margins import ic_margins
from closekit.sample.demo.newcomers import NEWCOMERS, month_journals
from closekit.sample.demo.newcomers import opening as newcomer_opening
from closekit.sample.demo.period import Dice, Period
from closekit.sample.demo.tables import master_tables, minor_units, period_tables
from closekit.sample.files import Table, write_table

PERIODS = ("2026-10", "2026-11")
SEED = 2026
GROUP_NAME = "Lotus Group"


def demo_tables(seed: int = SEED) -> list[Table]:
    """Every data file of the demo workspace, in writing order."""
    return build(seed)[0]


def build(seed: int = SEED) -> tuple[list[Table], Books]:
    """The demo's files and the books they were drawn from (:func:`demo_tables`).

    The subledgers of every period come first (what the group sold, bought,
    issued and paid its people); then October is posted alone through the
    demo's rules to size the opening balances (:mod:`.opening`); then the
    books run from the opening through each period, whose cash book and
    month-end journals are drawn from their balances."""
    dice = Dice(seed)
    periods = [Period(period) for period in PERIODS]
    for p in periods:
        sales.third_party_sales(dice, p)
        supply.restock(dice, p)
        supply.fees(p)
        supply.components(dice, p)
        supply.services(dice, p)
        supply.stock_counts(dice, p)
        expenses.payroll(dice, p)
        expenses.claims(dice, p)
    items = [treasury.items_of(p) for p in periods]
    # October alone, with no balances before it (its loan interest all the same)
    october = Books()
    periods[0].bank = treasury.cash_book(Books(), periods[0], OPENING)
    _month_end(october, periods[0], sweep=False)
    ledger = opening.backlog(dice, items[0])
    opening_rows = opening.opening(dice, periods[0], october, ledger)
    books = Books()
    books.post_opening(opening_rows)
    for item in ledger:
        books.open(item)
    previous = OPENING
    for p, opened in zip(periods, items, strict=True):
        for item, _ in opened:
            books.open(item)
        p.bank = treasury.cash_book(books, p, previous)
        _month_end(books, p, sweep=True)
        previous = p.period
    # the companies that join in November keep books of their own (not the demo's)
    for company in NEWCOMERS:
        opening_rows += newcomer_opening(company, periods[0])
        for p in periods:
            month, bank = month_journals(company, p)
            p.journals += month
            p.bank += bank
    ledgers = [
        Table(f"ledgers/{PERIODS[0]}/opening.csv", file_columns.OPENING_COLUMNS, opening_rows)
    ]
    for p in periods:
        ledgers += period_tables(p)
    margins = ic_margins(october, periods[0])
    return [*master_tables(), margins, *(minor_units(table) for table in ledgers)], books


def _month_end(books: Books, p: Period, *, sweep: bool) -> None:
    """Post the period's subledgers and cash book, then the month-end
    journals (depreciation, the late invoice's accrual, capital, dividends),
    bring foreign cash back to its float (``sweep``), and last the
    income tax on the month's profit."""
    for module, rows in p.subledgers():
        books.post_rows(p.period, rows, module)
    books.post_journal(p.period, p.bank)
    p.journals = [
        *journals.depreciation(p),
        *journals.late_accrual(p),
        *journals.capital_increase(p),
        *events.dividends(p),
        *events.deals(p),
    ]
    books.post_journal(p.period, p.journals)
    if sweep:
        fx = treasury.conversions(books, p)
        books.post_journal(p.period, fx)
        p.bank += fx
    tax = journals.income_tax(books, p)
    books.post_journal(p.period, tax)
    p.journals += tax


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
        if table.path.endswith(("allocations.csv", "ownership.csv")):
            continue  # optional
        keep = table.path.endswith(("accounts.csv", "posting_rules.csv", "statement_layout.csv"))
        written.append(write_table(root, table if keep else Table(table.path, table.columns, [])))
    (root / "ledgers").mkdir(exist_ok=True)
    return written

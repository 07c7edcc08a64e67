"""``closekit sample``: a deterministic synthetic workspace of any size.

Master data comes from :mod:`closekit.sample.synthetic_master`, the period
ledgers from the SQL of :mod:`closekit.sample.synthetic_sql` (lookup tables
in :mod:`closekit.sample.synthetic_tables`, the month's trade in
:mod:`closekit.sample.synthetic_trade`) over
``range(n)`` in an in-memory DuckDB, so ten million rows take seconds. Ledgers
are written one file per module and entity with ``COPY`` (CSV or Parquet).

Per month, of ``lines`` source rows: about 48% third-party sales lines, an
inventory issue for every goods line, 6% purchase lines, payroll for every
cost center and travel claims to make up the rest; intragroup goods from the
Chinese factories to every operating company and management fees from every
parent to its subsidiaries, both sides in the same invoice currency;
depreciation, collection and payment journals; and in the first period the
opening balances.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

import duckdb

from closekit.sample import chart, file_columns, posting_rules
from closekit.sample.chart import cents
from closekit.sample.files import Table, write_table
from closekit.sample.rows import Doc, Posting
from closekit.sample.synthetic_events import (
    add_event_journals,
    choose_events,
    ownership_table,
    plan_events,
)
from closekit.sample.synthetic_master import (
    CURRENCIES,
    Master,
    Size,
    SynthEntity,
    build_master,
)
from closekit.sample.synthetic_sql import generate_period, month_results
from closekit.sample.synthetic_tables import OUTPUT, reference_tables

D = Decimal
Format = Literal["csv", "parquet"]
MODULES = ("sales", "purchasing", "inventory", "expenses")


@dataclass(frozen=True)
class SampleResult:
    """What was written: the workspace, its files and source rows per period."""

    root: Path
    files: int
    rows: dict[str, int]


def master_tables(m: Master) -> list[Table]:
    return [
        Table(
            "master/entities.csv",
            file_columns.ENTITY_COLUMNS,
            [
                (
                    e.entity,
                    e.name,
                    "",
                    e.currency,
                    e.parent,
                    e.ownership_pct if e.parent else "",
                    "full" if e.parent else "",
                )
                for e in m.entities
            ],
        ),
        Table(
            "master/accounts.csv", file_columns.ACCOUNT_COLUMNS, [tuple(a) for a in chart.ACCOUNTS]
        ),
        Table(
            "master/statement_layout.csv", file_columns.LAYOUT_COLUMNS, list(chart.STATEMENT_LAYOUT)
        ),
        Table(
            "master/business_units.csv",
            file_columns.BU_COLUMNS,
            [(code, name, "", parent) for code, name, parent in m.business_units],
        ),
        Table(
            "master/profit_centers.csv",
            file_columns.PC_COLUMNS,
            [(pc.profit_center, pc.name, "", pc.business_unit) for pc in m.profit_centers],
        ),
        Table(
            "master/cost_centers.csv",
            file_columns.CC_COLUMNS,
            [
                (cc.cost_center, cc.name, "", cc.entity, cc.department, cc.profit_center)
                for cc in m.cost_centers
            ],
        ),
        Table("master/fx_rates.csv", file_columns.FX_COLUMNS, list(m.fx_rates)),
        Table(
            "master/posting_rules.csv",
            file_columns.RULE_COLUMNS,
            [tuple(r) for r in posting_rules.POSTING_RULES],
        ),
        Table("master/allocations.csv", file_columns.ALLOCATION_COLUMNS, list(m.allocations)),
    ]


def _opening_lines(
    e: SynthEntity,
    month: list[tuple[str, str, str, Decimal]],
    m: Master,
    bought_later: frozenset[str],
) -> list[Posting]:
    """One entity's balances before the first period, sized from its first
    month: a month of receivables and payables, ten weeks of stock, PPE at
    twice the capital (30% depreciated), nine months of results by profit and
    cost center (at the currency's base rate as the year's average),
    investments at ownership x the subsidiary's capital in CNY (no goodwill;
    none in a company ``bought_later``), then cash and retained earnings to
    balance."""
    c = CURRENCIES[e.currency]
    foreign = e.currency != "CNY"

    def line(
        account: str,
        amount: Decimal,
        group: Decimal | None = None,
        partner: str = "",
        pc: str = "",
        cc: str = "",
    ) -> Posting:
        return Posting(account, amount, partner, pc, cc, group if foreign else None)

    lines: list[Posting] = []
    cogs = sum((a for account, _, _, a in month if account == chart.COST_OF_SALES), D(0))
    for account, pc, cc, amount in month:
        if account in (chart.RECEIVABLES, chart.PAYABLES):
            lines.append(line(account, cents(amount, c.minor)))
        else:
            ytd = cents(amount * 9, c.minor)
            lines.append(line(account, ytd, cents(ytd * c.rate), pc=pc, cc=cc))
    ppe = cents(e.share_capital * 2, c.minor)
    lines += [
        line(chart.INVENTORIES, cents(cogs * D("2.5"), c.minor)),
        line(chart.PPE, ppe),
        line(chart.ACCUMULATED_DEPRECIATION, -cents(ppe * D("0.3"), c.minor)),
        line(chart.SHARE_CAPITAL, -e.share_capital, -cents(e.share_capital * e.historical_rate)),
    ]
    for sub in m.entities:
        if sub.parent == e.entity and sub.entity not in bought_later:
            group = cents(sub.share_capital * sub.historical_rate * sub.ownership_pct / 100)
            cost = cents(group / e.historical_rate, c.minor)
            lines.append(line(chart.INVESTMENTS, cost, group, partner=sub.entity))
    others = sum((x.amount for x in lines), D(0))
    cash = max(cents(e.share_capital / 5, c.minor), cents(-others + e.share_capital / 10, c.minor))
    retained = -(others + cash)
    return [
        line(chart.CASH, cash),
        *lines,
        line(chart.RETAINED_EARNINGS, retained, cents(retained * e.historical_rate)),
    ]


def _opening_postings(
    con: duckdb.DuckDBPyConnection, m: Master, bought_later: frozenset[str]
) -> dict[str, list[Posting]]:
    """Every entity's opening lines, sized from the first month's results."""
    month: dict[str, list[tuple[str, str, str, Decimal]]] = defaultdict(list)
    for entity, account, pc, cc, amount in month_results(con):
        month[entity].append((account, pc, cc, amount))
    return {e.entity: _opening_lines(e, month[e.entity], m, bought_later) for e in m.entities}


def _opening(m: Master, postings: dict[str, list[Posting]], period: str, fmt: Format) -> Table:
    """``opening`` of the first period, one balanced document per entity."""
    day = date(int(period[:4]), int(period[5:]), 1)
    rows = [
        row
        for e in m.entities
        for row in Doc(f"OB-{e.entity}", day, e.entity, e.currency).opening(postings[e.entity])
    ]
    return Table(f"ledgers/{period}/opening.{fmt}", file_columns.OPENING_COLUMNS, rows, fmt)


def _copy(con: duckdb.DuckDBPyConnection, sql: str, path: Path, fmt: Format) -> None:
    options = (
        "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "HEADER true, DELIMITER ','"
    )
    con.execute(f"COPY ({sql}) TO '{path.as_posix()}' ({options})")


def _write_period(
    con: duckdb.DuckDBPyConnection, m: Master, root: Path, period: str, fmt: Format
) -> int:
    """One file per module and entity, as each company's ERP exports it, and
    one journals file; returns the rows written. The working tables are in
    entity blocks, so each file's scan skips the other entities' row groups;
    the explicit order makes the bytes independent of DuckDB's threads."""
    folder = root / "ledgers" / period
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for module in MODULES:
        counts = con.execute(f"SELECT entity, count(*) FROM {module} GROUP BY ALL ORDER BY ALL")
        for entity, n in counts.fetchall():
            sql = f"SELECT {OUTPUT[module]} FROM {module} WHERE entity = '{entity}'"
            _copy(
                con, f"{sql} ORDER BY seq, doc_id, line", folder / f"{module}-{entity}.{fmt}", fmt
            )
            written += n
    sql = f"SELECT {OUTPUT['journals']} FROM journals ORDER BY entity, doc_id, line"
    _copy(con, sql, folder / f"journals.{fmt}", fmt)
    return written + _count(con, "SELECT count(*) FROM journals")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def write_synthetic(
    root: Path, size: Size, fmt: Format = "csv", events: bool = False
) -> SampleResult:
    """Write a synthetic workspace of ``size`` under ``root``; with ``events``,
    the group events of :mod:`closekit.sample.synthetic_events` in its second
    month."""
    m = build_master(size)
    chosen = choose_events(m, size) if events else None
    bought_later = chosen.bought_later if chosen else frozenset()
    root.mkdir(parents=True, exist_ok=True)
    (root / "closekit.toml").write_text(
        chart.settings_toml("Lotus Synthetic Group"), encoding="utf-8"
    )
    files = 1 + len([write_table(root, t) for t in master_tables(m)])
    con = duckdb.connect()
    plan = None
    try:
        con.execute("SET enable_progress_bar = false")
        reference_tables(con, m)
        rows: dict[str, int] = {}
        for k, period in enumerate(size.period_list):
            generate_period(con, m, size, k, period)
            if plan is not None and period == plan.events.period:
                add_event_journals(con, plan, period[2:4] + period[5:])
            rows[period] = _write_period(con, m, root, period, fmt)
            if k == 0:
                postings = _opening_postings(con, m, bought_later)
                opening = _opening(m, postings, period, fmt)
                write_table(root, opening)
                rows[period] += len(opening.rows)
                if chosen is not None:
                    plan = plan_events(m, chosen, postings)
                    files += len([write_table(root, ownership_table(m, plan))])
        files += sum(1 for _ in (root / "ledgers").rglob("*.*"))
    finally:
        con.close()
    return SampleResult(root, files, rows)

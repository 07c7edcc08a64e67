"""The workbooks of the demo group's November close, through the real pipeline
(load, post, consolidate, manage, check), against the ledger queries.

Every node workbook's Consolidated column must equal ``closekit tb --node``,
every entity's Trial Balance ``closekit tb --entity``, every balance sheet must
balance, and the vertical total must equal the group's profit, to the cent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from closekit import db
from closekit.consolidation import consolidate_period, consolidation_nodes, node_trial_balance
from closekit.ledger import trial_balance
from closekit.load import load_period
from closekit.manage import manage_period
from closekit.pipeline import check_period
from closekit.post import post_period
from closekit.report.excel import write_workbooks
from closekit.sample.demo import PERIODS, write_demo
from closekit.workspace import Settings, load_settings

PERIOD = PERIODS[-1]


def cents(value: Any) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01")) if value is not None else Decimal("0.00")


def closed_demo(root: Path) -> tuple[Settings, Any]:
    """The demo group written to ``root`` and closed through its periods
    (load, post, consolidate, manage, check), with its open connection."""
    write_demo(root)
    settings = load_settings(root)
    con = db.connect(settings)
    for period in PERIODS:
        load_period(settings, con, period)
        post_period(settings, con, period)
        consolidate_period(settings, con, period)
        manage_period(settings, con, period)
        check_period(settings, con, period)
    return settings, con


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Any, Path]:
    root = tmp_path_factory.mktemp("demo")
    settings, con = closed_demo(root)
    out = root / "out"
    write_workbooks(settings, con, PERIOD, out, draft=False)
    return settings, con, out


def test_every_node_worksheet_equals_the_node_trial_balance(
    demo: tuple[Settings, Any, Path],
) -> None:
    settings, con, out = demo
    nodes = consolidation_nodes(con, PERIOD)
    assert len(nodes) >= 2  # the group and at least one sub-group
    for i, node in enumerate(nodes):
        path = out / "group.xlsx" if i == 0 else out / "nodes" / f"{node}.xlsx"
        sheet = openpyxl.load_workbook(path, data_only=True)["Worksheet"]
        rows = list(sheet.iter_rows(values_only=True))
        header = next(r for r in rows if r[0] == "Account")
        consolidated = header.index("Consolidated")
        shown = {r[0]: cents(r[consolidated]) for r in rows if r[0] and r[0] != "Account"}
        tb = node_trial_balance(con, settings, PERIOD, node, "ytd")
        assert tb
        for line in tb:
            assert shown[line.account] == line.amount, (node, line.account)
        total = next(r for r in rows if r[1] == "Total")
        assert cents(total[consolidated]) == 0, node


def test_every_balance_sheet_balances(demo: tuple[Settings, Any, Path]) -> None:
    _settings, _con, out = demo
    books = sorted(out.glob("**/*.xlsx"))
    checked = 0
    for path in books:
        book = openpyxl.load_workbook(path, data_only=True)
        if "Balance Sheet" not in book.sheetnames:
            continue
        rows = {r[1]: r for r in book["Balance Sheet"].iter_rows(values_only=True) if r[1]}
        for col in range(2, len(rows["Total assets"])):
            if rows["Total assets"][col] is not None:
                assert cents(rows["Total assets"][col]) == cents(
                    rows["Total liabilities and equity"][col]
                ), path.name
        checked += 1
    assert checked == len(books) - 1  # all but business_units.xlsx


def test_every_entity_trial_balance_equals_the_ledger(demo: tuple[Settings, Any, Path]) -> None:
    settings, con, out = demo
    entities = [r[0] for r in con.execute("SELECT entity FROM entity ORDER BY entity").fetchall()]
    for entity in entities:
        sheet = openpyxl.load_workbook(out / "entities" / f"{entity}.xlsx", data_only=True)[
            "Trial Balance"
        ]
        shown = {
            r[0]: cents(r[3]) - cents(r[4])
            for r in sheet.iter_rows(min_row=5, values_only=True)
            if r[0]
        }
        expected = {
            x.account: x.amount for x in trial_balance(con, settings, PERIOD, entity, "ytd")
        }
        assert shown == expected, entity


def test_vertical_total_equals_group_profit(demo: tuple[Settings, Any, Path]) -> None:
    _settings, _con, out = demo
    group = openpyxl.load_workbook(out / "group.xlsx", data_only=True)["Income Statement"]
    profit = next(r for r in group.iter_rows(values_only=True) if r[1] == "Profit for the period")
    bu = openpyxl.load_workbook(out / "business_units.xlsx", data_only=True)["Business Units"]
    total = next(r for r in bu.iter_rows(values_only=True) if r[1] == "Group total")
    assert (cents(total[5]), cents(total[9])) == (cents(profit[2]), cents(profit[3]))

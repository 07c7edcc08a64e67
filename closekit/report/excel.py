"""Every Excel workbook of ``out/PERIOD`` (SPEC section 10).

- ``group.xlsx``: the group (top node);
- ``nodes/NODE.xlsx``: every intermediate consolidation node;
- ``entities/ENTITY.xlsx``: every legal entity, functional currency;
- ``business_units.xlsx``: the management (vertical) view.

Workbooks read finished tables and the ledger/consolidation queries; they
never recompute accounting. Same inputs give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from closekit.consolidation import consolidation_nodes
from closekit.report import queries
from closekit.report.chart import account_tree
from closekit.report.excel_bu import write_business_units_workbook
from closekit.report.excel_entity import write_entity_workbook
from closekit.report.excel_group import PeriodData, write_node_workbook
from closekit.report.fx_months import translation_months
from closekit.report.names import slug
from closekit.report.node_checks import check_findings
from closekit.report.node_inputs import subtrees
from closekit.report.scope import entities_with_books
from closekit.report.sources import LedgerBalances
from closekit.workspace import Settings

GROUP_FILE = "group.xlsx"
BUSINESS_UNITS_FILE = "business_units.xlsx"


def write_workbooks(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    out_dir: Path,
    draft: bool,
    ledger: LedgerBalances | None = None,
    skip: frozenset[str] = frozenset(),
    skip_nodes: frozenset[str] = frozenset(),
) -> list[Path]:
    """Write every workbook of ``period`` under ``out_dir``; DRAFT on the
    first line of every sheet when ``draft``. Returns the paths written.
    ``ledger`` shares the entities' ledger balances with other reports;
    the workbooks of the entities in ``skip`` and of the intermediate nodes
    in ``skip_nodes`` are not written (reused, see :mod:`closekit.report.reuse`)."""
    tree = account_tree(con)
    ledger = ledger or LedgerBalances(con, settings)
    books = entities_with_books(con, period)
    nodes = consolidation_nodes(con, period)  # the group first
    data = PeriodData(
        settings=settings,
        con=con,
        period=period,
        tree=tree,
        checks=tuple(queries.checks(con, period)),
        findings=check_findings(con, period),
        subtrees=subtrees(con, period, nodes[1:]),
        balances=queries.shared_member_balances(ledger, con, period),
        entries=queries.shared_node_entries(ledger, con, period),
        translations=queries.shared_translations(ledger, con, settings, period),
        fx_months=translation_months(con, settings, period),
        books=books,
        draft=draft,
        ledger=ledger,
    )
    written: list[Path] = []
    for i, node in enumerate(nodes):
        if i > 0 and node in skip_nodes:
            continue
        path = out_dir / GROUP_FILE if i == 0 else out_dir / "nodes" / f"{slug(node)}.xlsx"
        written.append(write_node_workbook(data, node, path, is_group=i == 0))
    entities = con.execute(
        "SELECT entity, name, name_zh, currency FROM entity ORDER BY entity"
    ).fetchall()
    for entity in entities:
        if entity[0] in skip:
            continue
        path = out_dir / "entities" / f"{slug(entity[0])}.xlsx"
        written.append(
            write_entity_workbook(
                settings, con, period, tree, entity, path, draft, ledger, entity[0] in books
            )
        )
    written.append(
        write_business_units_workbook(
            settings, con, period, out_dir / BUSINESS_UNITS_FILE, draft, ledger
        )
    )
    return written

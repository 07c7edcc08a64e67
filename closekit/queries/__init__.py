"""What the query commands answer (``tb``, ``drill``, ``flows``, ``bu``, ``costcenters``),
as typed tables: the one source of the CLI's table, CSV and JSON output and
of the Python API's DataFrames, so that they cannot differ.

Each query checks first what every command checks first: the period has a
folder (else it is unknown), then every code it is given exists and can be
asked for (a summary account has no lines to drill). Money is ``Decimal``
with exactly two places. A locked period is answered on the master data it
was locked with (``snapshot.reads_period``, SPEC section 5).

One module per family: ``table.py`` (the typed table), ``ledger.py``
(``tb``, ``drill``), ``flows.py``, ``management.py`` (``bu``,
``allocations``, ``costcenters``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The names below are imported from their modules when first used (PEP 562):
# ``closekit tb`` and ``drill`` import neither the management view nor the
# statements.
_HOMES = {
    "ALLOCATION_COLUMNS": "closekit.queries.management",
    "BU_COLUMNS": "closekit.queries.management",
    "BU_FIGURES": "closekit.queries.management",
    "BU_PERIODS": "closekit.queries.management",
    "CC_COLUMNS": "closekit.queries.management",
    "Column": "closekit.queries.table",
    "FLOW_COLUMNS": "closekit.queries.key_flows",
    "TB_COLUMNS": "closekit.queries.ledger",
    "Table": "closekit.queries.table",
    "allocations": "closekit.queries.management",
    "bu": "closekit.queries.management",
    "costcenters": "closekit.queries.management",
    "drill": "closekit.queries.ledger",
    "flows": "closekit.queries.key_flows",
    "require_drillable": "closekit.queries.ledger",
    "tb": "closekit.queries.ledger",
}

if TYPE_CHECKING:
    from closekit.queries.key_flows import FLOW_COLUMNS, flows
    from closekit.queries.ledger import TB_COLUMNS, drill, require_drillable, tb
    from closekit.queries.management import (
        ALLOCATION_COLUMNS,
        BU_COLUMNS,
        BU_FIGURES,
        BU_PERIODS,
        CC_COLUMNS,
        allocations,
        bu,
        costcenters,
    )
    from closekit.queries.table import Column, Table

__all__ = [
    "ALLOCATION_COLUMNS",
    "BU_COLUMNS",
    "BU_FIGURES",
    "BU_PERIODS",
    "CC_COLUMNS",
    "FLOW_COLUMNS",
    "TB_COLUMNS",
    "Column",
    "Table",
    "allocations",
    "bu",
    "costcenters",
    "drill",
    "flows",
    "require_drillable",
    "tb",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

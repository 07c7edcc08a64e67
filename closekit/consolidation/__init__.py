"""Group accounting: translation, structure, eliminations, events, NCI.

One module per rule (each opens with the SPEC sections and IFRS paragraphs it
implements); :func:`consolidate_period` runs them in order over every node of
a period. The queries over the result are re-exported here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The names below are imported from their modules when first used (PEP 562):
# the group's ``tb`` and ``drill`` read a consolidated period through
# closekit.consolidation.queries without importing every rule of the close.
_HOMES = {
    "ConsolidationReport": "closekit.consolidation.run",
    "EventLine": "closekit.consolidation.events",
    "ICPair": "closekit.consolidation.queries",
    "ICReconciliation": "closekit.consolidation.reconciliation_records",
    "KeyFigures": "closekit.consolidation.queries",
    "MissingTranslationRate": "closekit.consolidation.translation",
    "NodeDrillRow": "closekit.consolidation.queries",
    "NodeSummary": "closekit.consolidation.run",
    "StructureLine": "closekit.consolidation.events",
    "StructureView": "closekit.consolidation.events",
    "TranslationLine": "closekit.consolidation.translation_summary",
    "consolidate_period": "closekit.consolidation.run",
    "consolidation_nodes": "closekit.consolidation.queries",
    "intercompany_pairs": "closekit.consolidation.queries",
    "intercompany_reconciliation": "closekit.consolidation.reconciliation",
    "key_figures": "closekit.consolidation.queries",
    "node_drill": "closekit.consolidation.queries",
    "node_trial_balance": "closekit.consolidation.queries",
    "structure_view": "closekit.consolidation.events",
    "translated_trial_balance": "closekit.consolidation.translation",
    "translation_summary": "closekit.consolidation.translation_summary",
}

if TYPE_CHECKING:
    from closekit.consolidation.events import (
        EventLine,
        StructureLine,
        StructureView,
        structure_view,
    )
    from closekit.consolidation.queries import (
        ICPair,
        KeyFigures,
        NodeDrillRow,
        consolidation_nodes,
        intercompany_pairs,
        key_figures,
        node_drill,
        node_trial_balance,
    )
    from closekit.consolidation.reconciliation import intercompany_reconciliation
    from closekit.consolidation.reconciliation_records import ICReconciliation
    from closekit.consolidation.run import ConsolidationReport, NodeSummary, consolidate_period
    from closekit.consolidation.translation import (
        MissingTranslationRate,
        translated_trial_balance,
    )
    from closekit.consolidation.translation_summary import TranslationLine, translation_summary

__all__ = [
    "ConsolidationReport",
    "EventLine",
    "ICPair",
    "ICReconciliation",
    "KeyFigures",
    "MissingTranslationRate",
    "NodeDrillRow",
    "NodeSummary",
    "StructureLine",
    "StructureView",
    "TranslationLine",
    "consolidate_period",
    "consolidation_nodes",
    "intercompany_pairs",
    "intercompany_reconciliation",
    "key_figures",
    "node_drill",
    "node_trial_balance",
    "structure_view",
    "translated_trial_balance",
    "translation_summary",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

"""Group accounting: translation, structure, eliminations, events, NCI.

One module per rule (each opens with the SPEC sections and IFRS paragraphs it
implements); :func:`consolidate_period` runs them in order over every node of
a period. The queries over the result are re-exported here.
"""

from closekit.consolidation.events import EventLine, StructureLine, StructureView, structure_view
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
    TranslationLine,
    translated_trial_balance,
    translation_summary,
)

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

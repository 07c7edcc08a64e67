"""Posting: loaded source rows -> the general-ledger journal (SPEC section 6).

One job per module:

- :mod:`closekit.post.lines`: the SQL of the lines source rows post (rule
  sets, manual journals, conversion residues, opening balances);
- :mod:`closekit.post.revaluation`: month-end revaluation of the periods
  being posted, month after month (:mod:`closekit.revalue` computes a month);
- :mod:`closekit.post.scope`: which entities of which periods are rebuilt,
  and the fingerprints ``posted_entity`` keeps;
- :mod:`closekit.post.periods`: the one transaction that writes a period's,
  or a range's, lines, period totals and status;
- :mod:`closekit.post.outcome`: what was written, per period (PostReport).

An entity's lines depend only on its own rows, its earlier periods and the
basis (master data, settings, code), so a period posted again rebuilds only
the entities whose rows changed (``posted_entity`` keeps the fingerprints).
"""

from closekit.post.lines import (
    RESIDUE_KIND,
    RULE_CHOICE,
    SUBLEDGER_MODULES,
    MissingRate,
    converted,
)
from closekit.post.outcome import EntityTotal, PostedLines, PostReport
from closekit.post.periods import post_period, post_periods, write_totals

__all__ = [
    "RESIDUE_KIND",
    "RULE_CHOICE",
    "SUBLEDGER_MODULES",
    "EntityTotal",
    "MissingRate",
    "PostReport",
    "PostedLines",
    "converted",
    "post_period",
    "post_periods",
    "write_totals",
]

"""closekit: financial consolidation and period-close reporting.

Layers point one way:

    workspace, db, errors, periods      (settings, schema, plain records)
      -> io, master, load               (files to staging tables, rejects)
      -> post, revalue, ledger          (journal, trial balances)
      -> translate, consolidate         (group currency, nodes, NCI)
      -> manage                         (management view, allocations)
      -> checks                         (SPEC section 9)
      -> report                         (Excel, HTML, manifest)
      -> pipeline, cli                  (orchestration, command line)
"""

__version__ = "0.1.0"

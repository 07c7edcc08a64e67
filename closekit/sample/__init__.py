"""Sample workspaces: the demo group (`closekit init --sample`) and synthetic
groups of any size (`closekit sample`), sharing one chart of accounts.

- ``demo/``: the Lotus demo group, one module per job (``master``, ``scenario``, ``sales``,
  ``supply``, ``expenses``, ``treasury``, ``journals``, ``events``, ``newcomers``,
  ``opening``, ``tables``, ``readme``);
- ``synthetic``, ``synthetic_master``, ``synthetic_sql``: the generator (SQL over ``range``);
- ``chart``: chart of accounts, posting rules, closekit.toml; ``rows``: typed period rows;
  ``files``: deterministic writers.
"""

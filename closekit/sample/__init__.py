"""Sample workspaces: the demo group (`closekit init --sample`) and synthetic
groups of any size (`closekit sample`), sharing one chart of accounts.

- ``demo``, ``demo_master``, ``scenario``, ``rows``, ``readme``: the Lotus demo group;
- ``synthetic``, ``synthetic_master``, ``synthetic_sql``: the generator (SQL over ``range``);
- ``chart``: chart of accounts, posting rules, closekit.toml; ``files``: deterministic writers.
"""

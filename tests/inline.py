"""Small workspaces written inline in tests, so that a test reads like accounting.

    ws = write_workspace(tmp_path, {
        "master/entities.csv": '''
            entity,name,currency,parent,ownership_pct,method
            P,Parent,CNY,,,
        ''',
        ...
    })

Texts are dedented and stripped of the first newline; every file ends in \\n.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

DEFAULT_TOML = """\
[group]
name = "Test Group"
currency = "CNY"
fiscal_year_start = 1

[accounts]
retained_earnings = "3200"
cta = "3300"
nci_equity = "3900"
nci_profit = "8900"
goodwill = "1700"
fx_gain_loss = "7100"
allocation = "6950"

[intercompany]
tolerance = "10.00"
"""


def write_workspace(root: Path, files: dict[str, str], toml: str = DEFAULT_TOML) -> Path:
    """Write closekit.toml and ``files`` (workspace-relative path -> text) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "closekit.toml").write_text(toml, encoding="utf-8")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        body = textwrap.dedent(text).lstrip("\n")
        if body and not body.endswith("\n"):
            body += "\n"
        path.write_text(body, encoding="utf-8")
    return root

"""What a load of a period validates against, as one fingerprint (``load_input``).

A period whose fingerprint is unchanged since its last load is left alone
by the next load, and ``closekit status`` says "inputs changed" when it is
not: so this module imports only what hashing needs, no reader.
"""

from __future__ import annotations

import hashlib
import json

from closekit.load.folder import PeriodFile
from closekit.master import master_hashes, sha256_file
from closekit.periods import period_folders
from closekit.workspace import SETTINGS_FILE, Settings

# Bump when the rules change, so that an unchanged period is validated again.
# 2: the last load recorded its files' entities (load_entity).
# 3: journal and opening rows' flow (SPEC 19.1).
# 4: ic_ref is a column of sales, purchasing and expenses (no longer in extra).
RULES_VERSION = "4"


def load_fingerprint(
    settings: Settings, master: dict[str, str], files: list[tuple[str, str]], first: str
) -> str:
    """What a load validated against: rules, settings, master files (path ->
    SHA-256), first period and the period's files as (path, SHA-256) in
    file-name order."""
    toml = settings.root / SETTINGS_FILE
    inputs = {
        "rules": RULES_VERSION,
        "settings": sha256_file(toml) if toml.is_file() else "",
        "master": sorted(master.items()),
        "first_period": first,
        "files": [list(f) for f in files],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def input_fingerprint(settings: Settings, period: str, files: list[PeriodFile]) -> str:
    """The fingerprint (``load_input``) a load of ``period`` holding ``files``
    would record now: equal to the recorded one when nothing a load reads
    has changed since the period's last load."""
    first = period_folders(settings.ledgers_dir)[0]
    return load_fingerprint(
        settings, master_hashes(settings), [(f.relative, f.sha256) for f in files], first
    )

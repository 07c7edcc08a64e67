"""Have a period's inputs changed since closekit read them?

Files are re-hashed as a load hashes them (SHA-256, on one thread per CPU)
and compared with what was recorded: the load history for ``closekit
status`` ("inputs changed since the close"), a pack's manifest for
``closekit verify`` ("the workspace no longer matches this pack"). Each
difference is one line naming the file: ``ledgers/2026-11/sales.csv changed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from closekit.load import period_files
from closekit.load.fingerprint import input_fingerprint
from closekit.load.folder import PeriodFolder
from closekit.master import master_hashes
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

# When the period's files are as loaded but the load's fingerprint is not.
CONTEXT_CHANGED = "master data or closekit.toml changed"


def differences(recorded: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """Files (path -> SHA-256) added, changed or removed between ``recorded``
    and ``now``, in path order."""
    out = []
    for path in sorted(set(recorded) | set(now)):
        before, after = recorded.get(path), now.get(path)
        if before == after:
            continue
        what = "added" if before is None else "removed" if after is None else "changed"
        out.append(f"{path} {what}")
    return out


def _period_now(settings: Settings, period: str) -> dict[str, str]:
    if not (settings.ledgers_dir / period).is_dir():
        return {}
    return _hashes(period_files(settings, period))


def _hashes(folder: PeriodFolder) -> dict[str, str]:
    """path -> SHA-256 of the folder's files; a file that cannot be read has
    no hash (and so differs from any recorded one)."""
    return {f.relative: f.sha256 for f in folder.files} | {
        u.relative: "" for u in folder.unreadable
    }


def changed_since_load(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, locked: bool = False
) -> list[str]:
    """What a load of ``period`` would read differently now: its ledger files
    added, changed or removed since its last load and, when they are as
    loaded, master data or closekit.toml (not for a ``locked`` period, whose
    master data is frozen). Empty for a period never loaded."""
    last = con.execute("SELECT fingerprint FROM load_input WHERE period = ?", [period]).fetchone()
    if last is None:
        return []
    recorded = dict(
        con.execute(
            "SELECT path, sha256 FROM load_file WHERE period = ? AND current", [period]
        ).fetchall()
    )
    if not (settings.ledgers_dir / period).is_dir():
        return differences(recorded, {})
    folder = period_files(settings, period)
    out = differences(recorded, _hashes(folder))
    if not out and not locked and input_fingerprint(settings, period, folder.files) != last[0]:
        out.append(CONTEXT_CHANGED)
    return out


def changed_since_manifest(settings: Settings, manifest: Mapping[str, Any]) -> list[str]:
    """The workspace's inputs that differ from those a pack's manifest lists:
    the ledger files of every period it read, and the master files."""
    inputs = [f for f in manifest.get("input_files", []) if isinstance(f, dict)]
    master = [f for f in manifest.get("master_files", []) if isinstance(f, dict)]
    periods = sorted({str(f.get("period", "")) for f in inputs} - {""})
    now: dict[str, str] = {}
    for period in periods:
        now.update(_period_now(settings, period))
    now.update(master_hashes(settings))
    recorded = {str(f.get("path")): str(f.get("sha256")) for f in [*inputs, *master]}
    return differences(recorded, now)

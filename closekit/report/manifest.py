"""The audit pack manifest and its verification (SPEC section 10).

``manifest.json`` lists what went in (every master and period file with its
SHA-256 and row counts), what came out (every file of ``out/PERIOD`` but the
manifest itself, with its SHA-256) and the check results. It holds no
timestamp and sorts every list and key, so the same close gives the same
bytes. :func:`verify` re-hashes the folder and names each changed, missing
or extra file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from closekit import __version__
from closekit.errors import ClosekitError
from closekit.master import sha256_files
from closekit.workspace import Settings

MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1


class ManifestError(ClosekitError):
    """The folder has no readable manifest: there is nothing to verify against."""


def output_files(folder: Path) -> list[str]:
    """Every file under ``folder`` except the manifest, relative, '/'-separated, sorted."""
    found = (p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return sorted(name for name in found if name != MANIFEST_FILE)


def _master_files(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    # Master data loads all or nothing (an invalid file refuses the load), so
    # every row read was accepted.
    rows = con.execute("SELECT path, sha256, rows FROM master_file ORDER BY path").fetchall()
    return [{"path": p, "sha256": h, "read": n, "accepted": n, "rejected": 0} for p, h, n in rows]


def _input_files(con: duckdb.DuckDBPyConnection, period: str) -> list[dict[str, Any]]:
    # Balance-sheet figures are cumulative and the P&L runs from the fiscal
    # year's start, so every earlier period's files feed this period's
    # figures too: list the current version of each, with its period.
    rows = con.execute(
        "SELECT path, period, module, sha256, read, accepted, rejected FROM load_file "
        "WHERE period <= ? AND current ORDER BY path",
        [period],
    ).fetchall()
    keys = ("path", "period", "module", "sha256", "read", "accepted", "rejected")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _checks(con: duckdb.DuckDBPyConnection, period: str) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT check_id, status, detail FROM check_result WHERE period = ? ORDER BY seq",
        [period],
    ).fetchall()
    return [{"check": c, "status": s, "detail": d} for c, s, d in rows]


def build_manifest(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    out_dir: Path,
    draft: bool,
) -> dict[str, Any]:
    """The manifest of ``out_dir`` as it is now (write every other output first)."""
    names = output_files(out_dir)
    return {
        "manifest_version": FORMAT_VERSION,
        "closekit_version": __version__,
        "period": period,
        "group": {"name": settings.group_name, "currency": settings.currency},
        "draft": draft,
        "master_files": _master_files(con),
        "input_files": _input_files(con, period),
        "checks": _checks(con, period),
        "outputs": [
            {"path": name, "sha256": sha}
            for name, sha in zip(names, sha256_files(out_dir / n for n in names), strict=True)
        ],
    }


def dumps(manifest: dict[str, Any]) -> str:
    """Stable text: sorted keys, two-space indent, UTF-8, final newline."""
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_manifest(manifest: dict[str, Any], out_dir: Path) -> Path:
    target = out_dir / MANIFEST_FILE
    target.write_bytes(dumps(manifest).encode("utf-8"))
    return target


def _read(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST_FILE
    if not path.is_file():
        raise ManifestError(f"{path}: no {MANIFEST_FILE}; not an audit pack folder")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), list):
        raise ManifestError(f"{path}: unreadable manifest (no outputs list)")
    return data


def _expected(outputs: Iterable[Any]) -> dict[str, str]:
    expected: dict[str, str] = {}
    for entry in outputs:
        if not isinstance(entry, dict) or not {"path", "sha256"} <= entry.keys():
            raise ManifestError(f"{MANIFEST_FILE}: an outputs entry lacks path or sha256")
        expected[str(entry["path"])] = str(entry["sha256"])
    return expected


def verify(path: Path) -> list[str]:
    """Differences between ``out/PERIOD`` (or its manifest.json) and its manifest.

    One line per file, sorted by file name: ``changed: F``, ``missing: F`` or
    ``extra: F``. An empty list means every output is exactly as written.
    Raises :class:`ManifestError` when there is no readable manifest.
    """
    folder = path.parent if path.name == MANIFEST_FILE else path
    expected = _expected(_read(folder)["outputs"])
    present = set(output_files(folder))
    found = [name for name in expected if name in present]
    actual = dict(zip(found, sha256_files(folder / name for name in found), strict=True))
    differences: list[tuple[str, str]] = []
    for name, digest in expected.items():
        if name not in present:
            differences.append((name, "missing"))
        elif actual[name] != digest:
            differences.append((name, "changed"))
    differences.extend((name, "extra") for name in present - expected.keys())
    return [f"{kind}: {name}" for name, kind in sorted(differences)]

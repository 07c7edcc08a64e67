"""The audit pack manifest and its verification (SPEC section 10).

``manifest.json`` lists what went in (every master and period file with its
SHA-256 and row counts), what came out (every file of ``out/PERIOD`` but the
manifest itself, with its SHA-256) and the check results. It holds no
timestamp and sorts every list and key, so the same close gives the same
bytes. :func:`verify` re-hashes the folder and names each changed, missing
or extra file.

The manifest is anchored twice (issue 18 item 8), so that editing a file
*and* its hash in the manifest, or the manifest's checks, ``draft`` flag or
counts, does not pass:

- its own SHA-256 is printed on ``html/index.html`` (:func:`seal`, after the
  manifest is written; the manifest holds the page's hash taken with the
  placeholder in that place, and :func:`verify` hashes the page the same
  way), so a changed manifest no longer matches the page;
- closekit records it in the workspace's audit log at every report
  (``closekit log``), so ``verify`` run in the workspace says when the
  manifest is not the one closekit wrote last for the period, even if the
  page was edited to match.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from closekit import __version__
from closekit.audit_log import Recorded
from closekit.errors import ClosekitError
from closekit.master import sha256_file, sha256_files
from closekit.workspace import Settings

MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 2  # 2: "about"; html/index.html shows the manifest's SHA-256

# The page that shows the manifest's SHA-256, and how: the template writes
# PLACEHOLDER, seal() puts the hash in its place.
INDEX_PAGE = "html/index.html"
PLACEHOLDER = "manifest-sha256-follows-when-the-manifest-is-written"
_SHOWN = re.compile(rb'(<code id="manifest-sha256">)([^<]*)(</code>)')

ABOUT = (
    "The audit pack of one period, written by closekit: input_files and "
    "master_files are what went in (SHA-256 and rows read, accepted, "
    "rejected), checks the results of SPEC section 9, draft whether any check "
    "failed, outputs the SHA-256 of every other file of the folder "
    "(html/index.html taken with its manifest SHA-256 left out). This file's "
    "own SHA-256 is shown on html/index.html and kept in the workspace's "
    "audit log (closekit log). Check with: closekit verify out/PERIOD"
)


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
    known: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest of ``out_dir`` as it is now (write every other output first);
    ``known``: the SHA-256 of files already hashed (reused files, checked
    against the previous manifest as they were linked), not read again."""
    names = output_files(out_dir)
    return {
        "about": ABOUT,
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
            for name, sha in zip(names, _digests(out_dir, names, known or {}), strict=True)
        ],
    }


def _digests(folder: Path, names: list[str], known: Mapping[str, str]) -> list[str]:
    """SHA-256 of each output (``known`` ones as given); the index page's with
    the manifest's SHA-256 it shows replaced by the placeholder (what it held
    when the manifest was built)."""
    todo = [n for n in names if n not in known]
    hashed = dict(zip(todo, sha256_files(folder / n for n in todo), strict=True))
    digests = [known[n] if n in known else hashed[n] for n in names]
    if INDEX_PAGE in names:
        page = (folder / INDEX_PAGE).read_bytes()
        unsealed = _SHOWN.sub(rb"\g<1>" + PLACEHOLDER.encode() + rb"\g<3>", page)
        digests[names.index(INDEX_PAGE)] = hashlib.sha256(unsealed).hexdigest()
    return digests


def shown_sha256(folder: Path) -> str | None:
    """The manifest SHA-256 that ``html/index.html`` shows (None: no such page)."""
    page = folder / INDEX_PAGE
    found = _SHOWN.search(page.read_bytes()) if page.is_file() else None
    return found.group(2).decode("ascii", "replace") if found else None


def seal(folder: Path) -> str:
    """Show the written manifest's SHA-256 on the index page; returns it."""
    digest = sha256_file(folder / MANIFEST_FILE)
    page = folder / INDEX_PAGE
    if page.is_file():
        # a new file, never written through: a page may share its inode
        sealed = page.with_name(page.name + ".sealed")
        sealed.write_bytes(page.read_bytes().replace(PLACEHOLDER.encode(), digest.encode(), 1))
        sealed.replace(page)
    return digest


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


def period_of(path: Path) -> str:
    """The period of the pack ``out/PERIOD`` (or its manifest.json)."""
    folder = path.parent if path.name == MANIFEST_FILE else path
    return str(_read(folder).get("period", ""))


def verify(path: Path, recorded: Sequence[Recorded] | None = None) -> list[str]:
    """Differences between ``out/PERIOD`` (or its manifest.json) and its manifest.

    One line per file, sorted by file name: ``changed: F``, ``missing: F`` or
    ``extra: F``; then ``changed: manifest.json (...)`` when the manifest is
    not the one the index page shows. With ``recorded`` (the reports of the
    period in the workspace's audit log, oldest first), one more line when
    the manifest is not the last one closekit wrote. An empty list means the
    pack is exactly as written. Raises :class:`ManifestError` when there is
    no readable manifest.
    """
    folder = path.parent if path.name == MANIFEST_FILE else path
    expected = _expected(_read(folder)["outputs"])
    present = set(output_files(folder))
    found = [name for name in expected if name in present]
    actual = dict(zip(found, _digests(folder, found, {}), strict=True))
    differences: list[tuple[str, str]] = []
    for name, digest in expected.items():
        if name not in present:
            differences.append((name, "missing"))
        elif actual[name] != digest:
            differences.append((name, "changed"))
    differences.extend((name, "extra") for name in present - expected.keys())
    lines = [f"{kind}: {name}" for name, kind in sorted(differences)]
    own = sha256_file(folder / MANIFEST_FILE)
    shown = shown_sha256(folder)
    if shown is not None and shown != own:
        lines.append(
            f"changed: {MANIFEST_FILE} (its SHA-256 {own} is not the {shown}"
            f" that {INDEX_PAGE} shows)"
        )
    if recorded is not None:
        lines += _against_log(own, recorded)
    return lines


def _against_log(own: str, recorded: Sequence[Recorded]) -> list[str]:
    """Whether the manifest is the one closekit wrote last for the period."""
    if not recorded:
        return ["not recorded: this workspace's audit log has no report of the period"]
    last = recorded[-1]
    if own == last.sha256:
        return []
    earlier = [r for r in recorded if r.sha256 == own]
    if earlier:
        return [
            f"outdated: {MANIFEST_FILE} is the one of the report at {earlier[-1].logged_at};"
            f" the last report, at {last.logged_at}, wrote SHA-256 {last.sha256}"
        ]
    return [
        f"not written by closekit: {MANIFEST_FILE} has SHA-256 {own}; this workspace's"
        f" audit log has {last.sha256} for the last report, at {last.logged_at}"
    ]

"""The period folder (SPEC section 5): which files of ``ledgers/PERIOD`` are
loaded, with their SHA-256, warnings for the rest, and the files present but
unreadable.

Links (decided here; SPEC section 5 is silent): a symbolic link in the period
folder is followed and loaded under its own name in the folder, wherever its
target lies (a link into a shared drop folder is shown, stored and reported as
``ledgers/PERIOD/sales.csv``, never as the target's absolute path). Two names
for one file (``sales-copy.csv -> sales.csv``) load it once: under the name
that is not a link (else the first in file-name order), with a warning for the
other. A link whose target is gone, or a file that cannot be opened, is
*unreadable*: :func:`closekit.load.load_period` then keeps the period as it
was and reports the file.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from closekit.io import SUFFIXES
from closekit.master import sha256_file
from closekit.validate.columns import MODULES, module_of
from closekit.workspace import Settings

# SPEC 18.2: top-side (node) journals, loaded by closekit.load.topside.
TOPSIDE = "topside"
LOADED = (*MODULES, TOPSIDE)


@dataclass(frozen=True)
class PeriodFile:
    """A module file of ``ledgers/PERIOD``: its rows are that period's."""

    period: str
    path: Path
    relative: str  # workspace-relative, as errors and the load history name it
    module: str
    sha256: str


@dataclass(frozen=True)
class Unreadable:
    """A file of the period folder that is there but cannot be read."""

    relative: str
    module: str
    reason: str


@dataclass(frozen=True)
class PeriodFolder:
    """files: the module files to load, in file-name order; warnings: what
    is ignored and why; unreadable: files present that cannot be read."""

    files: list[PeriodFile]
    warnings: list[str]
    unreadable: list[Unreadable]


def _hash(path: Path) -> str | OSError:
    try:
        return sha256_file(path)
    except OSError as exc:
        return exc


def _reason(path: Path, error: OSError | None) -> str:
    """Why ``path`` cannot be read, in words."""
    if path.is_symlink() and not path.exists():
        return f"it is a link to {path.readlink()}, which does not exist"
    return error.strerror or str(error) if error else "it is not a file"


def period_files(settings: Settings, period: str) -> PeriodFolder:
    """The period's module files in file-name order, warnings for the rest,
    and the module files that are there but cannot be read."""
    folder = settings.ledgers_dir / period
    found: list[tuple[Path, str, str]] = []
    warnings: list[str] = []
    unreadable: list[Unreadable] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith("."):
            continue
        relative = settings.relative(path)
        if path.is_dir():
            warnings.append(
                f"{relative}: ignored, a folder (closekit reads only the files directly"
                f" in ledgers/{period}/)"
            )
            continue
        module = module_of(path.name)
        if module not in LOADED:
            warnings.append(
                f"{relative}: ignored, {module!r} is not a module ({', '.join(LOADED)})"
            )
        elif path.suffix.lower() not in SUFFIXES:
            warnings.append(f"{relative}: ignored, not a CSV, XLSX or Parquet file")
        elif not path.is_file():
            unreadable.append(Unreadable(relative, module, _reason(path, None)))
        else:
            found.append((path, relative, module))
    # links last, so that a file and a link to it keep the file's own name
    found.sort(key=lambda f: f[0].is_symlink())
    kept: list[tuple[Path, str, str]] = []
    first: dict[tuple[int, int], str] = {}
    for path, relative, module in found:
        status = path.stat()
        identity = (status.st_dev, status.st_ino)
        if identity in first:
            how = f"a link to {path.readlink()}" if path.is_symlink() else "a hard link"
            warnings.append(f"{relative}: ignored, the same file as {first[identity]} ({how})")
        else:
            first[identity] = relative
            kept.append((path, relative, module))
    # The period's files are hashed on one thread per CPU (hashlib and file
    # reads release the GIL): about a gigabyte at 10 million rows.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        digests = list(pool.map(_hash, [path for path, _, _ in kept]))
    files: list[PeriodFile] = []
    for (path, relative, module), digest in zip(kept, digests, strict=True):
        if isinstance(digest, OSError):
            unreadable.append(Unreadable(relative, module, _reason(path, digest)))
            continue
        files.append(PeriodFile(period, path, relative, module, digest))
    files.sort(key=lambda f: f.path.name)
    unreadable.sort(key=lambda u: u.relative)
    return PeriodFolder(files, warnings, unreadable)

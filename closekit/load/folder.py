"""The period folder (SPEC section 5): which files of ``ledgers/PERIOD`` are
loaded, with their SHA-256, and warnings for the rest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from closekit.io import SUFFIXES
from closekit.master import sha256_files
from closekit.validate.columns import MODULES, module_of
from closekit.workspace import Settings


@dataclass(frozen=True)
class PeriodFile:
    path: Path
    relative: str
    module: str
    sha256: str


# ---- the period folder ------------------------------------------------------


def period_files(settings: Settings, period: str) -> tuple[list[PeriodFile], list[str]]:
    """The period's module files in file-name order, and warnings for the rest."""
    folder = settings.ledgers_dir / period
    found: list[tuple[Path, str, str]] = []
    warnings: list[str] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or not path.is_file():
            continue
        relative = settings.relative(path)
        module = module_of(path.name)
        if module not in MODULES:
            warnings.append(
                f"{relative}: ignored, {module!r} is not a module ({', '.join(MODULES)})"
            )
        elif path.suffix.lower() not in SUFFIXES:
            warnings.append(f"{relative}: ignored, not a CSV, XLSX or Parquet file")
        else:
            found.append((path, relative, module))
    hashes = sha256_files(path for path, _, _ in found)
    files = [PeriodFile(*f, sha) for f, sha in zip(found, hashes, strict=True)]
    return files, warnings

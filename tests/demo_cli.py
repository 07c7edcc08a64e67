"""The demo group as a fresh workspace, and the CLI run on it as a user runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from closekit.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_ledgers"


def run(root: Path, *args: str) -> Result:
    """``closekit -w ROOT ARGS...``: exit code, stdout and stderr apart."""
    return CliRunner().invoke(main, ["-w", str(root), *args])


def fresh_demo(target: Path) -> Path:
    """A copy of the demo's master data and ledgers at ``target``, never closed."""
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("out", "*.duckdb*"))
    return target

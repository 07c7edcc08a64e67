"""Golden files of the audit site and the audit pack, and close determinism.

tests/golden/html/ holds a few rendered outputs of the close worked in
tests/report_tables.py. After an intended change of the templates, refresh
them the same way as the Excel goldens and review the diff like code:

    CLOSEKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_html.py

What legitimately changes without a template change is replaced by a
placeholder: the closekit version, the output hashes in manifest.json and
the manifest's SHA-256 on index.html
(workbook bytes belong to the Excel goldens; test_manifest.py checks every
hash against the files).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit import __version__
from closekit.cli import main
from closekit.master import sha256_file
from closekit.report import write_reports
from tests.report_tables import PERIOD, build

GOLDEN = Path(__file__).parent / "golden" / "html"
SAMPLE = Path(__file__).parents[1] / "sample_ledgers"

FILES = [
    "html/index.html",
    "html/nodes/P.html",
    "html/nodes/P/1900.html",
    "html/entities/P/4000.html",
    "html/intercompany.html",
    "html/fx.html",
    "html/files/ledgers~2F2026-01~2Fexpenses.csv.html",
    "rejects.csv",
    "manifest.json",
]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings, con = build(tmp_path_factory.mktemp("golden") / "ws", failed=True)
    summary = write_reports(settings, con, PERIOD)
    con.close()
    return summary.out_dir


def normalised(name: str, text: str) -> str:
    text = text.replace(f"closekit {__version__}", "closekit <version>")
    # the manifest's SHA-256 changes with every output's bytes
    text = re.sub(r'(id="manifest-sha256">)[0-9a-f]{64}', r"\1<sha256>", text)
    if name == "manifest.json":
        data = json.loads(text)
        data["closekit_version"] = "<version>"
        for output in data["outputs"]:
            output["sha256"] = "<sha256>"
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return text


@pytest.mark.parametrize("name", FILES)
def test_golden(out_dir: Path, name: str) -> None:
    golden = GOLDEN / re.sub(r"[/~]", "_", name)
    text = normalised(name, (out_dir / name).read_text(encoding="utf-8"))
    if os.environ.get("CLOSEKIT_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.slow
def test_closing_the_demo_twice_gives_identical_files(tmp_path: Path) -> None:
    """`closekit close` twice on the same inputs: same manifest, same bytes;
    then one changed byte in a report makes `closekit verify` fail."""
    workspace = tmp_path / "demo"
    shutil.copytree(SAMPLE, workspace, ignore=shutil.ignore_patterns("out", "*.duckdb*"))
    runner = CliRunner()
    period = "2026-10"
    out = workspace / "out" / period

    first = runner.invoke(main, ["-w", str(workspace), "close", period])
    assert first.exit_code == 0, first.output
    hashes = {p.relative_to(out): sha256_file(p) for p in out.rglob("*") if p.is_file()}
    assert Path("html/index.html") in hashes and Path("journal.parquet") in hashes

    second = runner.invoke(main, ["-w", str(workspace), "close", period])
    assert second.exit_code == 0, second.output
    assert {p.relative_to(out): sha256_file(p) for p in out.rglob("*") if p.is_file()} == hashes

    # Every link of the real site points at a file of the pack (no 404).
    site = out / "html"
    for page in site.rglob("*.html"):
        for link in re.findall(r'href="([^"#]+)', page.read_text(encoding="utf-8")):
            assert (page.parent / link).resolve().is_file(), (page, link)

    assert runner.invoke(main, ["verify", str(out)]).exit_code == 0
    page = out / "html" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</h1>", b"</h1> ", 1))
    tampered = runner.invoke(main, ["verify", str(out)])
    assert tampered.exit_code == 1
    assert tampered.stdout == "changed: html/index.html\n"

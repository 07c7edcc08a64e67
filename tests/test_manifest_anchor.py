"""What ``verify`` proves beyond the output hashes (issue 18 item 8).

The manifest's own SHA-256 is shown on html/index.html and recorded in the
workspace's audit log at every report; ``closekit verify out/PERIOD`` run in
the workspace says when the pack is not the one closekit wrote last. The
close is the one of tests/report_tables.py (its checks failed: DRAFT).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from closekit import audit_log, db
from closekit.cli import main
from closekit.load import lock_period, reopen_period
from closekit.master import sha256_file
from closekit.report import write_reports
from closekit.report.manifest import verify
from closekit.workspace import Settings
from tests.report_tables import PERIOD, build


@pytest.fixture
def workspace(tmp_path: Path) -> Settings:
    """A workspace whose PERIOD was reported once (closed connection)."""
    settings, con = build(tmp_path / "ws", failed=True)
    write_reports(settings, con, PERIOD)
    con.close()
    return settings


def _verify(settings: Settings, *where: str) -> Result:
    pack = str(settings.output_dir / PERIOD)
    return CliRunner().invoke(main, [*where, "verify", pack])


def _rewrite_manifest(pack: Path, change: dict[str, object]) -> None:
    path = pack / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(change)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def test_the_index_page_shows_the_manifest_sha256_and_the_log_keeps_it(
    workspace: Settings,
) -> None:
    pack = workspace.output_dir / PERIOD
    digest = sha256_file(pack / "manifest.json")
    page = (pack / "html" / "index.html").read_text(encoding="utf-8")
    assert f'<code id="manifest-sha256">{digest}</code>' in page

    con = db.connect(workspace, read_only=True)
    assert [r.sha256 for r in audit_log.reports(con, PERIOD)] == [digest]
    con.close()
    ok = _verify(workspace, "-w", str(workspace.root))
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.endswith("matches its manifest and the workspace's audit log\n")


def test_a_file_and_its_hash_edited_in_the_manifest_are_found(workspace: Settings) -> None:
    """The attack: change a workbook, put its new hash in the manifest. The
    outputs then agree with the manifest, but the manifest no longer has the
    SHA-256 the index page shows, nor the one the audit log keeps."""
    pack = workspace.output_dir / PERIOD
    book = pack / "group.xlsx"
    book.write_bytes(book.read_bytes() + b"\0")
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    for output in manifest["outputs"]:
        if output["path"] == "group.xlsx":
            output["sha256"] = sha256_file(book)
    _rewrite_manifest(pack, manifest)
    edited = sha256_file(pack / "manifest.json")
    shown = re.search(
        r'id="manifest-sha256">([0-9a-f]{64})<', (pack / "html/index.html").read_text()
    )
    assert shown is not None

    outside = verify(pack)
    assert outside == [
        f"changed: manifest.json (its SHA-256 {edited} is not the {shown.group(1)}"
        " that html/index.html shows)"
    ]
    inside = _verify(workspace, "-w", str(workspace.root))
    assert inside.exit_code == 1
    assert inside.stdout.splitlines()[-1].startswith(
        f"not written by closekit: manifest.json has SHA-256 {edited}; this workspace's"
        f" audit log has {shown.group(1)} for the last report, at "
    )


@pytest.mark.parametrize(
    "change",
    [
        {"draft": False},
        {"checks": []},
        {"input_files": []},
    ],
    ids=["draft flag", "check statuses", "input counts"],
)
def test_edits_of_what_the_manifest_says_are_found(
    workspace: Settings, change: dict[str, object]
) -> None:
    pack = workspace.output_dir / PERIOD
    _rewrite_manifest(pack, change)
    lines = verify(pack)
    assert len(lines) == 1 and lines[0].startswith("changed: manifest.json (its SHA-256")


def test_a_page_edited_to_match_a_forged_manifest_is_found_in_the_workspace(
    workspace: Settings,
) -> None:
    """The forger also writes the forged manifest's SHA-256 on the index page:
    the pack is consistent in itself (verify outside the workspace passes),
    but the audit log kept the SHA-256 closekit wrote."""
    pack = workspace.output_dir / PERIOD
    original = sha256_file(pack / "manifest.json")
    _rewrite_manifest(pack, {"draft": False})
    forged = sha256_file(pack / "manifest.json")
    page = pack / "html" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(original, forged))

    assert verify(pack) == []
    inside = _verify(workspace, "-w", str(workspace.root))
    assert inside.exit_code == 1
    (line,) = inside.stdout.splitlines()
    assert line.startswith(
        f"not written by closekit: manifest.json has SHA-256 {forged}; this workspace's"
        f" audit log has {original} for the last report"
    )


def test_the_pack_of_an_earlier_report_is_outdated(workspace: Settings, tmp_path: Path) -> None:
    """A copy of the first pack, kept aside; the period is locked (the site
    shows the lock) and reported again: the copy is named outdated."""
    pack = workspace.output_dir / PERIOD
    first = sha256_file(pack / "manifest.json")
    copy = tmp_path / "sent-to-auditor" / PERIOD
    shutil.copytree(pack, copy)

    con = db.connect(workspace)
    lock_period(workspace, con, PERIOD)
    reopen_period(workspace, con, PERIOD, "late invoice from US01")
    write_reports(workspace, con, PERIOD)
    con.close()
    page = (pack / "html" / "index.html").read_text(encoding="utf-8")
    # the reason, then the master files changed since the lock (this synthetic
    # workspace's master_file rows carry made-up hashes: every file differs)
    assert "<td>reopen</td><td>late invoice from US01; master files changed" in page

    result = CliRunner().invoke(main, ["-w", str(workspace.root), "verify", str(copy)])
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("outdated: manifest.json is the one of the report at ")
    assert first not in line  # the line names the last report's SHA-256
    assert sha256_file(pack / "manifest.json") in line


def test_closekit_log_shows_locks_reopens_and_reports(workspace: Settings) -> None:

    con = db.connect(workspace)
    lock_period(workspace, con, PERIOD)
    reopen_period(workspace, con, PERIOD, "late invoice")
    con.close()
    result = CliRunner().invoke(
        main, ["-w", str(workspace.root), "log", PERIOD, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert [e["action"] for e in entries] == ["report", "lock", "reopen"]
    assert entries[0]["detail"].startswith("manifest.json SHA-256 ")
    assert entries[0]["detail"].endswith("; DRAFT")
    # the reason, then the master files changed since the lock (the synthetic
    # workspace's master_file rows carry made-up hashes: every file differs)
    assert entries[2]["detail"] == (
        "late invoice; master files changed since the lock: master/accounts.csv,"
        " master/entities.csv"
    )

"""Links, unreadable files and subfolders in a period folder (issue 18
items 3 to 5; SPEC section 5: nothing is lost, the folder is the truth).

The rule (docs/loading.md): a symbolic link is followed and loaded under its
own name in the period folder; two names for one file load it once, under
the name that is not a link; a file that is there but cannot be read (a
link whose target is gone, no permission) keeps the period as it was
loaded last, with an error naming the file (exit 1, the pack DRAFT).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit.checks.base import CheckContext
from closekit.checks.posting import rows_accounted
from closekit.cli import main
from closekit.errors import format_problem
from closekit.inputs import changed_since_load
from closekit.load import folder as period_folder
from closekit.load import load_period
from tests.test_load import text
from tests.test_load_fixture import EXPENSES, SALES, connect, workspace

KEPT = "the period keeps the rows of its last load"


def test_a_link_to_a_file_outside_the_workspace_keeps_its_own_name(tmp_path: Path) -> None:
    """sales.csv is a link into a drop folder outside the workspace. Every
    name closekit shows or stores is the link's: the load JSON, source_row,
    reject and the load history; the target's absolute path is nowhere."""
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "export-0131.csv").write_text(text(SALES.replace("100.00,\n", "1OO,\n")))
    settings = workspace(tmp_path / "ws")
    (settings.ledgers_dir / "2026-01" / "sales.csv").symlink_to(drop / "export-0131.csv")

    result = CliRunner().invoke(
        main, ["-w", str(settings.root), "load", "2026-01", "--format", "json"]
    )

    assert result.exit_code == 1  # the 1OO row
    (file,) = json.loads(result.stdout)
    assert (file["file"], file["read"], file["accepted"], file["rejected"]) == (
        "ledgers/2026-01/sales.csv",
        3,
        2,
        1,
    )
    con = connect(settings)
    stored = con.execute(
        "SELECT DISTINCT path FROM source_row UNION SELECT path FROM reject"
        " UNION SELECT path FROM load_file"
    ).fetchall()
    assert stored == [("ledgers/2026-01/sales.csv",)]


def test_a_link_to_a_file_in_the_same_folder_loads_it_once(tmp_path: Path) -> None:
    """sales-copy.csv -> sales.csv: one file under two names. It is loaded
    once, as sales.csv (the name that is not a link, although sales-copy.csv
    comes first in file-name order), its 3 rows accepted, none rejected as a
    duplicate of itself; the link is named in a warning."""
    settings = workspace(tmp_path, {"ledgers/2026-01/sales.csv": SALES})
    (settings.ledgers_dir / "2026-01" / "sales-copy.csv").symlink_to("sales.csv")

    report = load_period(settings, connect(settings), "2026-01")

    assert [(f.file, f.read, f.accepted, f.rejected) for f in report.files] == [
        ("ledgers/2026-01/sales.csv", 3, 3, 0)
    ]
    assert report.clean
    assert report.warnings == (
        "ledgers/2026-01/sales-copy.csv: ignored, the same file as ledgers/2026-01/sales.csv"
        " (a link to sales.csv)",
    )


def test_a_dangling_link_keeps_the_rows_and_says_so(tmp_path: Path) -> None:
    """expenses.csv links to a file elsewhere; the first load accepts its 2
    rows (E1 of P, E2 of U). Then the target is gone: the load names the
    file, exits 1 and keeps the period as it was (the 2 rows stay, with
    their counts), and rows_accounted fails so that the pack says DRAFT.
    When the target is back, the next load reads the period in full and is
    clean again."""
    outside = tmp_path / "drop" / "expenses.csv"
    outside.parent.mkdir()
    outside.write_text(text(EXPENSES))
    settings = workspace(tmp_path / "ws", {"ledgers/2026-01/sales.csv": SALES})
    link = settings.ledgers_dir / "2026-01" / "expenses.csv"
    link.symlink_to(outside)
    con = connect(settings)
    assert load_period(settings, con, "2026-01").clean
    rows = "SELECT count(*) FROM source_row WHERE path = 'ledgers/2026-01/expenses.csv'"
    assert con.execute(rows).fetchone() == (2,)
    con.close()

    outside.rename(outside.with_name("moved.csv"))
    result = CliRunner().invoke(main, ["-w", str(settings.root), "load", "2026-01"])

    message = (
        f"ledgers/2026-01/expenses.csv: cannot be read: it is a link to {outside},"
        f" which does not exist; {KEPT}"
    )
    assert result.exit_code == 1
    assert message in result.stderr.splitlines()
    assert "ledgers/2026-01/expenses.csv  expenses     2         2         0" in result.stdout
    con = connect(settings)
    assert con.execute(rows).fetchone() == (2,)
    # `closekit status` sees the inputs differ from what the period holds
    assert changed_since_load(settings, con, "2026-01") == ["ledgers/2026-01/expenses.csv changed"]
    check = rows_accounted(CheckContext(settings, con, "2026-01"))
    assert check.status == "fail"
    reason = message.split(": ", 1)[1]
    assert (
        check.detail == f"ledgers/2026-01/expenses.csv: read 2, accepted 2, rejected 0 ({reason})"
    )

    outside.with_name("moved.csv").rename(outside)
    again = load_period(settings, con, "2026-01")
    assert again.clean, again.error_lines()
    assert con.execute(rows).fetchone() == (2,)
    assert rows_accounted(CheckContext(settings, con, "2026-01")).status == "pass"


def test_a_file_that_cannot_be_opened_keeps_the_period_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file without read permission (simulated: the tests may run as root,
    who reads anything). A new sales file arrives at the same time: it is
    not loaded either, because the folder cannot be known whole."""
    settings = workspace(tmp_path, {"ledgers/2026-01/expenses.csv": EXPENSES})
    con = connect(settings)
    assert load_period(settings, con, "2026-01").clean
    (settings.ledgers_dir / "2026-01" / "sales.csv").write_text(text(SALES))
    real = period_folder.sha256_file

    def refuse(path: Path) -> str:
        if path.name == "expenses.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(period_folder, "sha256_file", refuse)
    report = load_period(settings, con, "2026-01")

    assert [format_problem(p) for p in report.files[0].errors] == [
        f"ledgers/2026-01/expenses.csv: cannot be read: Permission denied; {KEPT}"
    ]
    assert [(f.file, f.read, f.accepted) for f in report.files] == [
        ("ledgers/2026-01/expenses.csv", 2, 2)
    ]
    assert not report.clean
    assert con.execute("SELECT count(*), min(module) FROM source_row").fetchone() == (
        2,
        "expenses",
    )


def test_a_subfolder_of_the_period_folder_is_named_in_a_warning(tmp_path: Path) -> None:
    settings = workspace(
        tmp_path,
        {
            "ledgers/2026-01/sales.csv": SALES,
            "ledgers/2026-01/archive/sales-old.csv": SALES,
        },
    )
    report = load_period(settings, connect(settings), "2026-01")
    assert [f.file for f in report.files] == ["ledgers/2026-01/sales.csv"]
    assert report.warnings == (
        "ledgers/2026-01/archive: ignored, a folder (closekit reads only the files"
        " directly in ledgers/2026-01/)",
    )

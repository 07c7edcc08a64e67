"""The bad-input corpus: one defect per file, each reported exactly.

Each file of tests/bad_inputs/ (listed in expected.tsv with its period, the
rows read and rejected, and the error line after the path) is loaded alone
into the small group's workspace. The test asserts the exact
``path:row column: message`` line and that nothing is lost:
read = accepted + rejected.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from closekit.errors import format_problem
from closekit.load import load_period
from closekit.workspace import Settings
from tests.test_load_fixture import connect, workspace

CORPUS = Path(__file__).parent / "bad_inputs"


def _cases() -> list[tuple[str, str, int, int, str]]:
    with (CORPUS / "expected.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        (r["file"], r["period"], int(r["read"]), int(r["rejected"]), r["expected"]) for r in rows
    ]


CASES = _cases()


def test_corpus_is_large_and_complete() -> None:
    listed = {c[0] for c in CASES}
    on_disk = {p.name for p in CORPUS.iterdir() if p.name not in ("expected.tsv", "README.md")}
    assert listed == on_disk
    assert len(CASES) >= 30


@pytest.fixture(scope="module")
def group(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, duckdb.DuckDBPyConnection]]:
    """One workspace for the corpus: each case puts its file alone in the
    period folder (the folder is the truth, so the previous file's rows go)."""
    settings = workspace(
        tmp_path_factory.mktemp("corpus"),
        {"ledgers/2026-01/.keep": "", "ledgers/2026-02/.keep": ""},
    )
    con = connect(settings)
    yield settings, con
    con.close()


@pytest.mark.parametrize(
    ("name", "period", "read", "rejected", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input(
    group: tuple[Settings, duckdb.DuckDBPyConnection],
    name: str,
    period: str,
    read: int,
    rejected: int,
    expected: str,
) -> None:
    settings, con = group
    folder = settings.ledgers_dir / period
    for old in folder.iterdir():
        if not old.name.startswith("."):
            old.unlink()
    shutil.copy(CORPUS / name, folder / name)
    report = load_period(settings, con, period)

    (file,) = report.files
    lines = [format_problem(p) for p in file.errors]
    assert f"ledgers/{period}/{name}{expected}" in lines, lines
    assert (file.read, file.rejected) == (read, rejected)
    assert file.read == file.accepted + file.rejected
    assert not report.clean
    # the accepted rows are exactly the rows stored; every reason is stored
    stored = con.execute("SELECT count(*) FROM source_row WHERE path = ?", [file.file]).fetchone()
    assert stored == (file.accepted,)
    reasons = con.execute("SELECT count(*) FROM reject WHERE path = ?", [file.file]).fetchone()
    assert reasons == (len(file.errors),)

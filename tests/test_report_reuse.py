"""Re-close after one entity's late file: the other entities' outputs are
reused from the previous out/PERIOD, and the pack is byte for byte the one a
fresh close of the same inputs writes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from closekit import db
from closekit.bench import resend_one_file
from closekit.pipeline import close_period
from closekit.report import ReportSummary, reuse
from closekit.report.manifest import output_files
from closekit.sample.synthetic import write_synthetic
from closekit.sample.synthetic_master import FIRST_PERIOD, Size
from closekit.workspace import load_settings

TINY = Size(entities=4, business_units=2, profit_centers=4, cost_centers=8, lines=1000, periods=1)


def hashes(folder: Path) -> dict[str, str]:
    names = [*output_files(folder), "manifest.json"]
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def kept(summary: ReportSummary) -> dict[str, str]:
    """The fingerprints recorded beside the pack."""
    data = json.loads(reuse.record_path(summary.out_dir).read_text())
    return dict(data["entity_inputs"])


def close(root: Path) -> ReportSummary:
    return close_period(load_settings(root), FIRST_PERIOD).reports


Reclosed = tuple[ReportSummary, ReportSummary, dict[str, str], str]


@pytest.fixture(scope="module")
def reclosed(tmp_path_factory: pytest.TempPathFactory) -> Reclosed:
    """(re-close, fresh close of the same inputs, first fingerprints, late file)."""
    base = tmp_path_factory.mktemp("reuse")
    ws = write_synthetic(base / "a", TINY, "csv").root
    first_close = close(ws)
    assert first_close.reused == ()  # no previous pack
    first = kept(first_close)
    late = resend_one_file(ws, FIRST_PERIOD, "csv")
    fresh_ws = base / "b"
    shutil.copytree(ws, fresh_ws, ignore=shutil.ignore_patterns("out", "closekit.duckdb*"))
    return close(ws), close(fresh_ws), first, late.name


@pytest.mark.slow
def test_reclose_is_byte_identical_to_a_fresh_close(
    reclosed: Reclosed,
) -> None:
    again, fresh, _, _ = reclosed
    assert fresh.reused == ()
    assert hashes(again.out_dir) == hashes(fresh.out_dir)


def test_only_the_late_entity_fingerprint_changes(
    reclosed: Reclosed,
) -> None:
    again, _, first, late = reclosed
    now = kept(again)
    assert now.keys() == first.keys() and len(now) == 4
    changed = [e for e in now if now[e] != first[e]]
    # sales-E003.csv carries entity E003's sales: its books alone changed.
    assert [f"sales-{e}.csv" for e in changed] == [late]


def test_unchanged_entities_are_reused(reclosed: Reclosed) -> None:
    again, _, first, late = reclosed
    changed = late.removeprefix("sales-").removesuffix(".csv")
    assert again.reused == tuple(sorted(set(first) - {changed}))
    for entity in again.reused:  # the workbook, the statement page, the account pages
        files = reuse.entity_files(entity, output_files(again.out_dir))
        assert f"entities/{entity}.xlsx" in files and f"html/entities/{entity}.html" in files
        assert any(f.startswith(f"html/entities/{entity}/") for f in files)


def test_plan_reuses_only_files_whose_hash_still_matches(
    reclosed: Reclosed, tmp_path: Path
) -> None:
    again, _, _, _ = reclosed
    previous = tmp_path / "2026-01"
    shutil.copytree(again.out_dir, previous)
    inputs = kept(again)
    shutil.copyfile(reuse.record_path(again.out_dir), reuse.record_path(previous))
    assert reuse.plan(previous, reuse.Inputs(inputs)).entities == frozenset(inputs)
    # An edited page makes its entity render again; a changed fingerprint too.
    (previous / "html" / "entities" / "E000.html").write_text("edited")
    changed = {**inputs, "E001": "0" * 64}
    planned = reuse.plan(previous, reuse.Inputs(changed))
    assert planned.entities == frozenset(inputs) - {"E000", "E001"}
    # journal.parquet is cut by fingerprint alone: E000's lines are unchanged.
    assert planned.journal is not None and planned.journal.path == previous / "journal.parquet"
    assert set(planned.journal.spans) == set(inputs) - {"E001"}
    # An edited journal.parquet is never cut.
    with (previous / "journal.parquet").open("ab") as journal:
        journal.write(b"\0")
    assert reuse.plan(previous, reuse.Inputs(inputs)).journal is None
    # No previous pack, or one that is not the pack the record describes.
    assert reuse.plan(tmp_path / "none", reuse.Inputs(inputs)).entities == frozenset()
    (previous / "manifest.json").write_text("{}")
    assert reuse.plan(previous, reuse.Inputs(inputs)).entities == frozenset()


def test_what_a_page_shows_is_in_its_entity_fingerprint(tmp_path: Path) -> None:
    """A source row's description (shown on the entity's account pages, not
    in the journal), a translated balance and whether a line's file is a
    current input (its link) each change one fingerprint."""
    ws = write_synthetic(tmp_path / "ws", TINY, "csv").root
    settings = load_settings(ws)
    close_period(settings, FIRST_PERIOD)
    con = db.connect(settings)
    try:
        before = reuse.fingerprints(settings, con, FIRST_PERIOD, draft=False)
        con.execute(
            "UPDATE source_row SET description = description || ' (edited)' "
            "WHERE path = (SELECT min(path) FROM journal WHERE entity = 'E001' AND path LIKE "
            "'%sales-E001%') AND row_no = 2"
        )
        after_source = reuse.fingerprints(settings, con, FIRST_PERIOD, draft=False)
        con.execute(
            "UPDATE translated_balance SET amount_group = amount_group + 0.01 "
            "WHERE rowid = (SELECT min(rowid) FROM translated_balance WHERE entity = 'E002')"
        )
        after_keys = reuse.fingerprints(settings, con, FIRST_PERIOD, draft=False)
        drafted = reuse.fingerprints(settings, con, FIRST_PERIOD, draft=True)
        # A file that is no longer a current input: its lines lose their link.
        con.execute(
            "UPDATE load_file SET current = false WHERE path = (SELECT min(path) FROM journal "
            "WHERE entity = 'E003' AND path LIKE '%sales-E003%')"
        )
        after_link = reuse.fingerprints(settings, con, FIRST_PERIOD, draft=False)
    finally:
        con.close()
    assert [e for e in before if before[e] != after_source[e]] == ["E001"]
    assert [e for e in before if after_source[e] != after_keys[e]] == ["E002"]
    assert all(drafted[e] != after_keys[e] for e in before)  # DRAFT is on every page
    assert [e for e in before if after_keys[e] != after_link[e]] == ["E003"]

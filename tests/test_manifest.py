"""The audit pack: journal.parquet, rejects.csv, manifest.json and verify.

The close is the one worked in tests/report_tables.py; the report step runs
for real (workbooks included) over its tables.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from closekit import status
from closekit.cli import main
from closekit.errors import PeriodError
from closekit.load import lock_period
from closekit.master import sha256_file
from closekit.report import write_reports
from closekit.report.manifest import PLACEHOLDER, ManifestError, verify
from tests.report_tables import PERIOD, build


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """out/PERIOD of the failing close, written once."""
    settings, con = build(tmp_path_factory.mktemp("pack") / "ws", failed=True)
    summary = write_reports(settings, con, PERIOD)
    con.close()
    return summary.out_dir


@pytest.fixture
def closed(pack: Path, tmp_path: Path) -> Path:
    """A copy of the pack that a test may tamper with."""
    copy = tmp_path / PERIOD
    shutil.copytree(pack, copy)
    return copy


def test_manifest_lists_inputs_outputs_and_checks(
    closed: Path,
) -> None:
    out = closed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == PERIOD
    assert manifest["closekit_version"] == "0.1.0"
    assert manifest["draft"] is True
    # Only current file versions, with read = accepted + rejected.
    assert manifest["input_files"] == [
        {"path": "ledgers/2026-01/expenses.csv", "period": PERIOD, "module": "expenses",
         "sha256": "e1", "read": 2, "accepted": 1, "rejected": 1},
        {"path": "ledgers/2026-01/sales.csv", "period": PERIOD, "module": "sales",
         "sha256": "s1", "read": 2, "accepted": 2, "rejected": 0},
    ]  # fmt: skip
    assert [m["path"] for m in manifest["master_files"]] == [
        "master/accounts.csv",
        "master/entities.csv",
    ]
    assert [c["check"] for c in manifest["checks"]] == ["rows_accounted", "ic_matched"]
    outputs = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    for name in ("group.xlsx", "journal.parquet", "rejects.csv"):
        assert outputs[name] == sha256_file(out / name)
    # The index page shows the manifest's own SHA-256, written after the
    # manifest: its listed hash is of the page with the placeholder there.
    own = sha256_file(out / "manifest.json")
    page = (out / "html" / "index.html").read_bytes()
    assert f'<code id="manifest-sha256">{own}</code>'.encode() in page
    unsealed = page.replace(own.encode(), PLACEHOLDER.encode())
    assert outputs["html/index.html"] == hashlib.sha256(unsealed).hexdigest()
    assert "manifest.json" not in outputs
    # Every file in the folder but the manifest is listed, in path order.
    on_disk = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.name != "manifest.json"
        if p.is_file()
    )
    assert [o["path"] for o in manifest["outputs"]] == on_disk


def test_manifest_text_is_stable(closed: Path) -> None:
    out = closed
    text = (out / "manifest.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert "T" not in "".join(k for k in data)  # no timestamp keys such as loaded_at
    assert "loaded_at" not in text


def test_journal_parquet_holds_the_journal_with_lineage(
    closed: Path,
) -> None:
    out = closed
    parquet = duckdb.connect()
    rows = parquet.execute(
        f"SELECT entity, account, amount, path, row_no FROM '{out / 'journal.parquet'}'"
    ).fetchall()
    # Entity, date, module, doc order; amounts exact DECIMAL, lineage kept.
    assert rows == [
        ("P", "1000", Decimal("1000.00"), "ledgers/2026-01/sales.csv", 2),
        ("P", "4000", Decimal("-1000.00"), "ledgers/2026-01/sales.csv", 2),
        ("P", "1200", Decimal("200.00"), "ledgers/2026-01/sales.csv", 3),
        ("P", "4000", Decimal("-200.00"), "ledgers/2026-01/sales.csv", 3),
        ("S", "2200", Decimal("-28.00"), "ledgers/2026-01/expenses.csv", 2),
        ("S", "6000", Decimal("28.00"), "ledgers/2026-01/expenses.csv", 2),
    ]
    described = parquet.execute(f"DESCRIBE SELECT * FROM '{out / 'journal.parquet'}'").fetchall()
    kinds = {row[0]: row[1] for row in described}
    assert kinds["amount"] == "DECIMAL(18,2)"
    # Each line carries its source row's descriptive columns, and the columns
    # closekit does not use as a map of plain values (not JSON text).
    assert kinds["extra"] == "MAP(VARCHAR, VARCHAR)"
    memo = parquet.execute(
        f"SELECT DISTINCT description, extra['memo'] FROM '{out / 'journal.parquet'}' "
        "WHERE row_no = 3 AND path LIKE '%sales.csv'"
    ).fetchall()
    assert memo == [("support", '<script>alert("x")</script>')]


def test_rejects_csv(closed: Path) -> None:
    out = closed
    assert (out / "rejects.csv").read_bytes() == (
        b"path,row,column,message\n"
        b'ledgers/2026-01/expenses.csv,3,net_amount,"""x"" is not a number"\n'
    )


def test_no_rejects_csv_without_rejects(tmp_path: Path) -> None:
    settings, con = build(tmp_path / "ws")
    con.execute("DELETE FROM reject")
    summary = write_reports(settings, con, PERIOD)
    assert not (summary.out_dir / "rejects.csv").exists()
    assert summary.draft is False


def test_verify_clean_then_names_changed_missing_and_extra(
    closed: Path,
) -> None:
    out = closed
    assert verify(out) == []
    assert verify(out / "manifest.json") == []
    index = out / "html" / "index.html"
    data = bytearray(index.read_bytes())
    data[-2] ^= 1  # one byte
    index.write_bytes(bytes(data))
    (out / "rejects.csv").unlink()
    (out / "html" / "notes.txt").write_text("added by hand")
    assert verify(out) == [
        "changed: html/index.html",
        "extra: html/notes.txt",
        "missing: rejects.csv",
    ]


def test_verify_refuses_a_folder_without_manifest(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"no manifest\.json"):
        verify(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ManifestError, match="unreadable manifest"):
        verify(tmp_path)


def test_verify_command_exit_codes(closed: Path) -> None:
    out = closed
    runner = CliRunner()
    clean = runner.invoke(main, ["verify", str(out)])
    assert clean.exit_code == 0, clean.output
    (out / "group.xlsx").write_bytes(b"tampered")
    changed = runner.invoke(main, ["verify", str(out)])
    assert changed.exit_code == 1
    assert changed.stdout == "changed: group.xlsx\n"
    refused = runner.invoke(main, ["verify", str(out / "html")])
    assert refused.exit_code == 2
    assert "no manifest.json" in refused.stderr


def test_report_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    settings, con = build(tmp_path / "ws", failed=True)
    first = write_reports(settings, con, PERIOD)
    hashes = {p: sha256_file(p) for p in first.paths}
    status.mark(con, PERIOD, "checked")  # as a new close would
    second = write_reports(settings, con, PERIOD)
    assert second.paths == first.paths
    assert {p: sha256_file(p) for p in second.paths} == hashes


def test_report_replaces_the_whole_folder(tmp_path: Path) -> None:
    settings, con = build(tmp_path / "ws")
    out = settings.output_dir / PERIOD
    out.mkdir(parents=True)
    (out / "stale.xlsx").write_text("from an older report")
    summary = write_reports(settings, con, PERIOD)
    assert not (out / "stale.xlsx").exists()
    assert verify(summary.out_dir) == []
    # Beside the pack only the record of its fingerprints (closekit.report.reuse).
    assert sorted(p.name for p in settings.output_dir.iterdir()) == [
        f".{PERIOD}.reuse.json",
        PERIOD,
    ]


def test_report_marks_the_period_reported(tmp_path: Path) -> None:
    settings, con = build(tmp_path / "ws")
    write_reports(settings, con, PERIOD)
    status.require_step(con, PERIOD, "reported")


def test_report_needs_checks(tmp_path: Path) -> None:
    settings, con = build(tmp_path / "ws")
    con.execute("UPDATE period_status SET checked_at = NULL")
    with pytest.raises(PeriodError, match="not checked yet"):
        write_reports(settings, con, PERIOD)
    assert not (settings.output_dir / PERIOD).exists()


def test_a_locked_period_reports_on_its_own_master_data_after_it_changed(
    tmp_path: Path,
) -> None:
    """SPEC section 5: a renamed entity and next month's rates, loaded after
    the lock, neither block nor change the locked period's pack."""
    settings, con = build(tmp_path / "ws")
    lock_period(settings, con, PERIOD)
    write_reports(settings, con, PERIOD)
    manifest = (settings.output_dir / PERIOD / "manifest.json").read_bytes()

    con.execute("UPDATE entity SET name = 'Parent Renamed' WHERE entity = 'P'")
    con.execute("INSERT INTO fx_rate VALUES ('2026-02', 'USD', 7.3, 7.1)")
    status.mark(con, PERIOD, "checked")
    write_reports(settings, con, PERIOD)
    assert (settings.output_dir / PERIOD / "manifest.json").read_bytes() == manifest
    html = (settings.output_dir / PERIOD / "html" / "index.html").read_text(encoding="utf-8")
    assert "Parent Co" in html and "Parent Renamed" not in html


@pytest.mark.parametrize(("failed", "code"), [(False, 0), (True, 1)])
def test_report_command_exit_codes(tmp_path: Path, failed: bool, code: int) -> None:
    settings, con = build(tmp_path / "ws", failed=failed)
    con.close()
    result = CliRunner().invoke(main, ["-w", str(settings.root), "report", PERIOD])
    assert result.exit_code == code, result.output
    assert f"Reports: {settings.output_dir / PERIOD}" in result.stdout
    assert ("DRAFT" in result.stdout) == failed
    assert verify(settings.output_dir / PERIOD) == []


def test_report_command_refuses_an_unchecked_period(tmp_path: Path) -> None:
    settings, con = build(tmp_path / "ws")
    con.execute("UPDATE period_status SET checked_at = NULL")
    con.close()
    result = CliRunner().invoke(main, ["-w", str(settings.root), "report", PERIOD])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: period {PERIOD} is not checked yet; run `closekit check {PERIOD}` first\n"
    )


_names = st.lists(
    st.text(alphabet="abcdefghij_-", min_size=1, max_size=6), min_size=1, max_size=4, unique=True
)


@hypothesis_settings(max_examples=40, deadline=None)
@given(names=_names, data=st.data())
def test_verify_names_exactly_the_file_whose_byte_changed(
    names: list[str], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        contents = {f"{name}.txt": data.draw(st.binary(min_size=1, max_size=64)) for name in names}
        for name, body in contents.items():
            (folder / name).write_bytes(body)
        (folder / "manifest.json").write_text(
            json.dumps(
                {"outputs": [{"path": n, "sha256": sha256_file(folder / n)} for n in contents]}
            )
        )
        assert verify(folder) == []
        victim = data.draw(st.sampled_from(sorted(contents)))
        tampered = bytearray(contents[victim])
        at = data.draw(st.integers(0, len(tampered) - 1))
        tampered[at] ^= data.draw(st.integers(1, 255))
        (folder / victim).write_bytes(bytes(tampered))
        assert verify(folder) == [f"changed: {victim}"]

"""Master data frozen at lock, and locks against earlier and later periods
(SPEC section 5, section 20 "Locks").

The workspace is test_manage_end_to_end's: P (CNY) the parent, S (USD) its
subsidiary; USD closing 7.2 / average 7.0 in January, 7.3 / 7.1 in
February. January, by hand:

- P: cash 3,000 - 900 = 2,100.00; revenue -3,000.00 (PC1 1,000, PC2
  2,000); cost center IT (Group IT) 900.00; IC expense 350.00 to S,
  payable -350.00.
- S in USD: cash 100 - 20 = 80; revenue -100; IC receivable 50 from P, IC
  revenue -50; cost center OPS 20. Translated: cash 80 x 7.2 = 576.00,
  receivable 50 x 7.2 = 360.00, revenue -100 x 7.0 = -700.00, IC revenue
  -50 x 7.0 = -350.00, OPS 20 x 7.0 = 140.00; sum 26.00, so CTA -26.00.
- Group: cash 2,100 + 576 = 2,676.00; the IC pair 360.00 - 350.00 leaves
  10.00 on 1990; CTA -26.00; revenue -3,000 - 700 = -3,700.00; expense
  900 + 140 = 1,040.00 (the IC revenue and expense eliminate); sum 0.

February adds S's cash sale of 100 USD: YTD revenue of S -700.00 (January
at 7.0) - 710.00 (100 x 7.1) = -1,410.00. Its IC pair differs by 50 x 7.3 -
350 = 15.00, so the tolerance here is 20.00 (February closes clean).
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

import closekit
from closekit import db, snapshot
from closekit.cli import main
from closekit.errors import InvalidInput, PeriodError
from closekit.load import close_progress, load_period, lock_period, reopen_period
from closekit.master import load_master, read_master
from closekit.workspace import load_settings
from tests.inline import DEFAULT_TOML, write_workspace
from tests.test_manage_end_to_end import WORKSPACE

JANUARY_GROUP_TB = (
    "account,name,type,amount\n"
    "1000,Cash,asset,2676.00\n"
    "1990,IC difference,asset,10.00\n"
    "3300,CTA,equity,-26.00\n"
    "4000,Revenue,revenue,-3700.00\n"
    "6000,Operating expense,expense,1040.00\n"
)
JANUARY_S_GROUP = (
    "account,name,type,amount\n"
    "1000,Cash,asset,576.00\n"
    "1200,IC receivables,asset,360.00\n"
    "3300,CTA,equity,-26.00\n"
    "4000,Revenue,revenue,-700.00\n"
    "4100,IC service revenue,revenue,-350.00\n"
    "6000,Operating expense,expense,140.00\n"
)


OWNERSHIP_HEADER = "entity,from,parent,ownership_pct,method\n"
TOML = DEFAULT_TOML.replace('tolerance = "10.00"', 'tolerance = "20.00"')


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-w", str(root), *args])


def ok(root: Path, *args: str) -> str:
    result = run(root, *args)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def january_locked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """January closed, locked and reported (the pack says "period locked"),
    once; tests work on copies."""
    root = write_workspace(tmp_path_factory.mktemp("locked"), WORKSPACE, TOML)
    ok(root, "close", "2026-01")
    ok(root, "lock", "2026-01")
    ok(root, "report", "2026-01")
    return root


@pytest.fixture
def ws(january_locked: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(january_locked, root)
    return root


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "master" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_master_data(root: Path) -> None:
    """What happens to master data after a lock: next months' rates (and a
    January rate of EUR, a currency January had none of), a new entity (New
    Co, EUR, not consolidated: method none), a renamed cost center."""
    edit(
        root,
        "fx_rates.csv",
        "2026-02,USD,7.3,7.1\n",
        "2026-02,USD,7.3,7.1\n2026-01,EUR,7.7,7.6\n2026-02,EUR,7.9,7.8\n"
        "2026-03,USD,7.4,7.2\n2026-03,EUR,8.0,7.9\n",
    )
    edit(
        root,
        "entities.csv",
        "S,US Sub,USD,P,100,full\n",
        "S,US Sub,USD,P,100,full\nN,New Co,EUR,P,100,none\n",
    )
    edit(root, "cost_centers.csv", "IT,Group IT,P", "IT,Group IT & Digital,P")


def test_a_locked_period_reads_the_master_data_it_was_locked_with(ws: Path) -> None:
    """tb, costcenters, report and verify of locked January are unchanged
    after the master data changed and February was loaded with it."""
    manifest = (ws / "out/2026-01/manifest.json").read_bytes()
    costcenters = ok(ws, "costcenters", "2026-01", "--format", "csv")
    bu = ok(ws, "bu", "2026-01", "--format", "csv")
    assert "IT,IT,Group IT,P,6000,Operating expense,900.00,900.00,0.00\n" in costcenters

    edit_master_data(ws)
    ok(ws, "close", "2026-02")  # the new master data is loaded

    assert ok(ws, "tb", "2026-01", "--format", "csv") == JANUARY_GROUP_TB
    assert ok(ws, "tb", "2026-01", "--entity", "S", "--currency", "group", "--format", "csv") == (
        JANUARY_S_GROUP
    )
    assert ok(ws, "costcenters", "2026-01", "--format", "csv") == costcenters
    assert ok(ws, "bu", "2026-01", "--format", "csv") == bu
    drill = ok(ws, "drill", "2026-01", "--account", "6000", "--entity", "P", "--format", "csv")
    assert "J2,1" in drill
    unknown = run(ws, "tb", "2026-01", "--entity", "N")  # N joined after the lock
    assert (unknown.exit_code, unknown.stderr) == (
        2,
        "Error: unknown entity 'N'; see master/entities.csv\n",
    )
    assert ok(ws, "tb", "2026-02", "--entity", "N", "--format", "csv") == (
        "account,name,type,amount\n"
    )
    # February, open, reads the current master data
    assert "Group IT & Digital" in ok(ws, "costcenters", "2026-02", "--format", "csv")
    # the Python API answers from the same queries
    api = closekit.open(ws)
    assert set(api.costcenters("2026-01")["name"]) == {"Group IT", "Cloud operations"}
    assert "Group IT & Digital" in set(api.costcenters("2026-02")["name"])

    # The report of January is written again byte for byte: same outputs,
    # same master files in its manifest.
    ok(ws, "report", "2026-01")
    assert (ws / "out/2026-01/manifest.json").read_bytes() == manifest
    assert (
        ok(ws, "verify", str(ws / "out/2026-01"))
        == f"OK: every output of {ws / 'out/2026-01'} matches its manifest"
        " and the workspace's audit log\n"
    )
    # N's currency (EUR) has no January rate: on today's master data fx_rates
    # would fail; January is checked on its own
    checks = json.loads(ok(ws, "check", "2026-01", "--format", "json"))
    assert {c["check"]: c["status"] for c in checks}["fx_rates"] == "pass"
    assert all(c["status"] != "fail" for c in checks)


def test_reopen_drops_the_snapshot_and_the_next_close_uses_the_new_master_data(ws: Path) -> None:
    edit_master_data(ws)
    assert ok(ws, "reopen", "2026-01", "--reason", "new cost center names") == "2026-01 reopened\n"
    settings = load_settings(ws)
    con = db.connect(settings, read_only=True)
    log = con.execute("SELECT action, detail FROM audit_log WHERE action = 'reopen'").fetchall()
    assert not snapshot.has_snapshot(con, "2026-01")
    con.close()
    assert log == [
        (
            "reopen",
            "new cost center names; master files changed since the lock:"
            " master/cost_centers.csv, master/entities.csv, master/fx_rates.csv",
        )
    ]
    ok(ws, "close", "2026-01")
    assert "IT,IT,Group IT & Digital,P,6000" in ok(ws, "costcenters", "2026-01", "--format", "csv")
    ok(ws, "lock", "2026-01")
    manifest = json.loads((ws / "out/2026-01/manifest.json").read_text(encoding="utf-8"))
    assert {"path": "master/entities.csv", "rows": 3} in [
        {"path": f["path"], "rows": f["read"]} for f in manifest["master_files"]
    ]
    # the new snapshot holds the new entity
    assert (
        ok(ws, "tb", "2026-01", "--entity", "N", "--format", "csv") == "account,name,type,amount\n"
    )


REFUSED_BEFORE_LOCK = (
    "Error: period 2026-01 comes before locked period 2026-02, whose opening balances it"
    " gives; reopen 2026-02 first (`closekit reopen 2026-02 --reason ...`)\n"
)


def test_re_posting_before_a_locked_period_is_refused_naming_it(ws: Path) -> None:
    ok(ws, "reopen", "2026-01", "--reason", "close February first")
    ok(ws, "close", "2026-02")
    ok(ws, "lock", "2026-02")
    february = ok(ws, "tb", "2026-02", "--format", "csv")
    for command in ("close", "load", "post", "consolidate"):
        refused = run(ws, command, "2026-01")
        assert refused.exit_code == 2, command
        assert refused.stderr == REFUSED_BEFORE_LOCK, command
    # February is neither stale nor moved; January can still be read
    assert ok(ws, "tb", "2026-02", "--format", "csv") == february
    assert ok(ws, "tb", "2026-01", "--format", "csv") == JANUARY_GROUP_TB
    status = json.loads(ok(ws, "status", "--format", "json"))
    assert [(p["period"], p["held_by"], p["stale_reason"]) for p in status] == [
        ("2026-01", "2026-02", None),
        ("2026-02", None, None),
    ]
    assert "2026-01: held by the lock of 2026-02 (reopen 2026-02 to change it)\n" in ok(
        ws, "status"
    )
    # locking the earlier period too is allowed
    assert ok(ws, "lock", "2026-01") == "2026-01 locked\n"


def test_a_changed_rate_of_a_locked_month_is_refused_until_reopen(ws: Path) -> None:
    """January's closing rate 7.2 -> 7.25 would re-translate February."""
    edit(ws, "fx_rates.csv", "2026-01,USD,7.2,7.0", "2026-01,USD,7.25,7.0")
    refused = run(ws, "close", "2026-02")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: master/fx_rates.csv:2 closing: 7.25 differs from 7.2, as locked with 2026-01;"
        " reopen it first\n"
    )
    # a rate removed from the locked month; a rate of a currency it had no
    # rate of (EUR) is no change: January translated nothing with it
    edit(ws, "fx_rates.csv", "2026-01,USD,7.25,7.0\n", "2026-01,EUR,7.8,7.7\n")
    settings = load_settings(ws)
    con = db.connect(settings)
    with pytest.raises(InvalidInput) as refusal:
        load_period(settings, con, "2026-02")
    assert refusal.value.lines() == [
        "master/fx_rates.csv period: 2026-01 USD, locked with 2026-01, is missing; reopen it first",
    ]
    reopen_period(settings, con, "2026-01", "January rates restated")
    assert load_period(settings, con, "2026-02").clean
    con.close()


def test_a_rate_changed_after_consolidation_blocks_the_lock(tmp_path: Path) -> None:
    """January consolidated at 7.2, then its rate changed and February
    loaded (allowed: January is open): January's figures no longer agree
    with the rate February translates with, so it cannot be locked, not even
    with --force (its snapshot would freeze a rate February does not use)."""
    root = write_workspace(tmp_path / "ws", WORKSPACE, TOML)
    ok(root, "close", "2026-01")
    edit(root, "fx_rates.csv", "2026-01,USD,7.2,7.0", "2026-01,USD,7.25,7.0")
    ok(root, "load", "2026-02")
    refused = run(root, "lock", "2026-01")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: period 2026-01 is not closed clean: its inputs changed since the close: master"
        " data or closekit.toml changed; close it again, or lock it anyway with --force --reason"
        " TEXT (recorded in the audit log)\n",
    )
    refused = run(root, "lock", "2026-01", "--force", "--reason", "sign-off today")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: period 2026-01 was consolidated with other master data than is loaded now"
        " (fx_rates 2026-01 USD closing 7.2 -> 7.25); close 2026-01 again before locking it\n",
    )
    con = db.connect(load_settings(root))
    audit = con.execute("SELECT action FROM audit_log WHERE action LIKE 'lock%'").fetchall()
    con.close()
    assert audit == []  # the refused forced lock left no trace of a lock
    ok(root, "close", "2026-01")
    ok(root, "lock", "2026-01")


def test_a_later_period_opens_on_the_locked_figures(ws: Path) -> None:
    """February consolidated after January was locked and the master data
    edited: its year to date less its month is January as locked, and S's
    revenue is January's -700.00 plus February's 100 x 7.1."""
    edit_master_data(ws)
    ok(ws, "close", "2026-02")
    for args in ((), ("--entity", "S", "--currency", "group")):
        ytd = _amounts(ok(ws, "tb", "2026-02", *args, "--format", "csv"))
        month = _amounts(ok(ws, "tb", "2026-02", *args, "--basis", "period", "--format", "csv"))
        january = _amounts(ok(ws, "tb", "2026-01", *args, "--format", "csv"))
        opening = {a: ytd.get(a, D(0)) - month.get(a, D(0)) for a in ytd.keys() | month.keys()}
        assert {a: v for a, v in opening.items() if v} == january
    s_feb = _amounts(
        ok(ws, "tb", "2026-02", "--entity", "S", "--currency", "group", "--format", "csv")
    )
    assert s_feb["4000"] == D("-1410.00")


def test_an_ownership_row_of_a_locked_period_is_frozen_and_a_later_one_is_free(
    tmp_path: Path,
) -> None:
    """SPEC 20 "Locks and events": S held 100% from January (as entities.csv
    says), January closed and locked. Restating January's holding (90%), or
    adding a row dated January that makes a new company P2 a member then, is
    refused naming the row; rows from February (S 90%; P2 bought, with a
    January row saying it was not held then, which January never knew of)
    load (P2 for 100.00 booked on P's investment in February: goodwill
    100.00, P2 having no net assets), and January's group TB stays
    JANUARY_GROUP_TB (cash 2,100 + 80 x 7.2 = 2,676.00, ...: S in full, no
    NCI). Moving January's row within the file is no change."""
    toml = TOML.replace(
        'allocation = "6950"',
        'allocation = "6950"\nownership_changes = "3200"\ndisposal_gain = "7100"',
    )
    files = {
        **WORKSPACE,
        "master/ownership.csv": OWNERSHIP_HEADER + "S,2026-01,P,100,full\n",
        "master/accounts.csv": WORKSPACE["master/accounts.csv"].replace(
            "1700,Goodwill", "1500,Investments,asset,,,,investment,\n        1700,Goodwill"
        ),
        "ledgers/2026-02/journals.csv": WORKSPACE["ledgers/2026-02/journals.csv"]
        + "        J6,1,2026-02-01,P,CNY,1500,P2,,,100,\n"
        + "        J6,2,2026-02-01,P,CNY,1000,,,,,100\n",
    }
    root = write_workspace(tmp_path / "ws", files, toml)
    ok(root, "close", "2026-01")
    ok(root, "lock", "2026-01")
    ok(root, "report", "2026-01")
    manifest = (root / "out/2026-01/manifest.json").read_bytes()
    ownership = root / "master" / "ownership.csv"
    ownership.write_text(OWNERSHIP_HEADER + "S,2026-01,P,90,full\n", encoding="utf-8")
    refused = run(root, "close", "2026-02")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: master/ownership.csv:2 ownership_pct: 90 differs from 100, as locked with"
        " 2026-01; reopen it first\n",
    )
    ownership.write_text(
        OWNERSHIP_HEADER + "S,2026-01,P,100,full\nP2,2026-01,P,100,full\n", encoding="utf-8"
    )
    edit(
        root,
        "entities.csv",
        "S,US Sub,USD,P,100,full\n",
        "S,US Sub,USD,P,100,full\nP2,P2,CNY,P,100,full\n",
    )
    refused = run(root, "load", "2026-02")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: master/ownership.csv:3 from: P2 2026-01 is not in the master data locked with"
        " 2026-01; reopen it first\n",
    )
    ownership.write_text(
        OWNERSHIP_HEADER
        + "S,2026-02,P,90,full\nS,2026-01,P,100,full\nP2,2026-01,,0,none\nP2,2026-02,P,100,full\n",
        encoding="utf-8",
    )
    edit(root, "entities.csv", "S,US Sub,", "S,US Subsidiary,")  # renamed after the lock
    ok(root, "close", "2026-02")
    structure = json.loads(ok(root, "structure", "2026-02", "--format", "json"))
    assert [(e["kind"], e["entity"]) for e in structure["events"]] == [
        ("acquisition", "P2"),
        ("ownership_change", "S"),
    ]
    # January's structure is the locked one: S under its name then, P2
    # (unknown then) not in it
    january = json.loads(ok(root, "structure", "2026-01", "--format", "json"))
    assert [(e["entity"], e["name"], e["method"]) for e in january["entities"]] == [
        ("P", "Parent Co", "full"),
        ("S", "US Sub", "full"),
    ]
    assert ok(root, "tb", "2026-01", "--format", "csv") == JANUARY_GROUP_TB
    # January's pack is written again byte for byte and verifies
    ok(root, "report", "2026-01")
    assert (root / "out/2026-01/manifest.json").read_bytes() == manifest
    assert ok(root, "verify", str(root / "out/2026-01")).startswith("OK: ")
    con = db.connect(load_settings(root))
    assert [row[:5] for row in snapshot.snapshot_rows(con, "2026-01", "ownership")] == [
        ("S", "2026-01", "P", D("100"), "full")
    ]
    con.close()


def test_a_later_management_view_keeps_the_locked_months_allocations(ws: Path) -> None:
    """Cycle A-IT sends IT's cost by revenue. January (locked): IT 900.00;
    revenue PC1 1,000, PC2 2,000, PC3 100 x 7.0 + IC 50 x 7.0 = 1,050, of
    4,050: PC1 900 x 1,000 / 4,050 = 222.22, PC2 444.44, PC3 (last, takes
    the rest) 900 - 222.22 - 444.44 = 233.34. allocations.csv then sends
    everything to PC3 (fixed 1): February's IT 450.00 goes to PC3, but
    January stays as locked: February's year to date is PC1 222.22, PC2
    444.44, PC3 233.34 + 450 = 683.34, and its prior month is January's
    report (recomputed, January would send PC3 900.00 and PC1 nothing)."""
    january = {r[2]: r for r in _bu_rows(ok(ws, "bu", "2026-01", "--format", "csv"))}
    edit(
        ws,
        "allocations.csv",
        "A-IT,IT,PC3,revenue,\nA-IT,IT,PC1,revenue,\nA-IT,IT,PC2,revenue,",
        "A-IT,IT,PC3,fixed,1",
    )
    ok(ws, "close", "2026-02")
    february = {r[2]: r for r in _bu_rows(ok(ws, "bu", "2026-02", "--format", "csv"))}
    # month_allocations, ytd_allocations, prior_month_allocations
    assert {pc: (f[7], f[11], f[15]) for pc, f in february.items() if pc.startswith("PC")} == {
        "PC1": ("0.00", "222.22", "222.22"),
        "PC2": ("0.00", "444.44", "444.44"),
        "PC3": ("450.00", "683.34", "233.34"),
    }
    for pc in ("PC1", "PC2", "PC3"):
        assert february[pc][15] == january[pc][7]  # the comparative is January's report


def _bu_rows(csv_text: str) -> list[list[str]]:
    return [line.split(",") for line in csv_text.splitlines()[1:]]


def _amounts(csv_text: str) -> dict[str, D]:
    lines = csv_text.splitlines()[1:]
    return {line.split(",")[0]: D(line.rsplit(",", 1)[1]) for line in lines}


# ---- the snapshot itself --------------------------------------------------------------


def test_a_snapshot_holds_every_master_table_exactly_as_it_applied(ws: Path) -> None:
    settings = load_settings(ws)
    con = db.connect(settings)
    for table in snapshot.MASTER_TABLES:
        where = f"WHERE {table.dated_by} <= '2026-01'" if table.dated_by else ""
        stored = con.execute(f"SELECT * FROM {table.name} {where} ORDER BY rowid").fetchall()
        assert snapshot.snapshot_rows(con, "2026-01", table.name) == stored, table.name
    assert snapshot.snapshot_rows(con, "2026-01", "fx_rate") == [
        ("2026-01", "CNY", D(1), D(1)),
        ("2026-01", "USD", D("7.2"), D("7.0")),
    ]
    con.close()


def test_every_master_table_is_in_the_snapshot(ws: Path) -> None:
    """A master table added to master data without a line in
    snapshot.MASTER_TABLES would not be frozen at lock."""
    tables, _summary = read_master(load_settings(ws))
    derived = {"fx_cross", "master_file"}
    assert {t.name for t in snapshot.MASTER_TABLES} == set(tables) | derived


def test_a_column_added_to_a_master_table_later_reads_as_its_default(ws: Path) -> None:
    settings = load_settings(ws)
    con = db.connect(settings)
    con.execute("ALTER TABLE account ADD COLUMN later_class VARCHAR NOT NULL DEFAULT 'operating'")
    con.execute("UPDATE account SET later_class = 'investing'")
    assert snapshot.use_locked_master(con, "2026-01")
    assert con.execute("SELECT DISTINCT later_class FROM account").fetchall() == [("operating",)]
    snapshot.release_master(con)
    assert con.execute("SELECT DISTINCT later_class FROM account").fetchall() == [("investing",)]
    con.close()


def test_the_switch_reads_a_locked_period_only(ws: Path) -> None:
    settings = load_settings(ws)
    con = db.connect(settings)
    con.execute("UPDATE cost_center SET name = 'Renamed' WHERE cost_center = 'IT'")
    name = "SELECT name FROM cost_center WHERE cost_center = 'IT'"
    assert not snapshot.use_locked_master(con, "2026-02")  # open: as loaded
    assert con.execute(name).fetchall() == [("Renamed",)]
    with snapshot.locked_master(con, "2026-01") as switched:
        assert switched
        assert snapshot.in_use(con) == "2026-01"
        assert con.execute(name).fetchall() == [("Group IT",)]
    assert snapshot.in_use(con) is None
    assert con.execute(name).fetchall() == [("Renamed",)]
    # master data is never loaded into a locked period's TEMP tables
    snapshot.use_locked_master(con, "2026-01")
    with pytest.raises(RuntimeError, match="release_master first"):
        load_master(settings, con)
    snapshot.release_master(con)
    load_master(settings, con)
    assert con.execute(name).fetchall() == [("Group IT",)]  # as in the file
    con.close()


def test_lock_needs_an_unlocked_period_and_status_names_changed_master_files(ws: Path) -> None:
    settings = load_settings(ws)
    con = db.connect(settings)
    with pytest.raises(PeriodError, match="period 2026-01 is locked"):
        lock_period(settings, con, "2026-01")
    edit(ws, "cost_centers.csv", "IT,Group IT,P", "IT,Group IT & Digital,P")
    (january, _february), _entities = close_progress(settings, con)
    con.close()
    assert january.master_changed == ("master/cost_centers.csv",)
    assert (
        "2026-01: reads the master data it was locked with (changed since:"
        " master/cost_centers.csv)\n" in ok(ws, "status")
    )
    status = json.loads(ok(ws, "status", "--format", "json"))
    assert status[0]["master_changed_since_lock"] == ["master/cost_centers.csv"]


def test_a_period_locked_before_snapshots_gets_one_from_migration_060() -> None:
    """Its snapshot is the master data loaded when the migration runs."""
    con = duckdb.connect()
    con.execute("CREATE TABLE schema_migration (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for name, sql in db.migrations():
        if name < "060":
            con.execute(sql)
            con.execute("INSERT INTO schema_migration VALUES (?, now())", [name])
    con.execute("INSERT INTO entity VALUES ('P', 'Parent', '', 'CNY', '', 100, 'full')")
    con.execute(
        "INSERT INTO fx_rate VALUES ('2026-01', 'USD', 7.2, 7.0), ('2026-02', 'USD', 7.3, 7.1)"
    )
    con.execute(
        "INSERT INTO ownership (entity, from_period, parent, ownership_pct, method, path, row_no)"
        " VALUES ('S', '2026-01', 'P', 80, 'full', 'master/ownership.csv', 2),"
        " ('S', '2026-02', 'P', 90, 'full', 'master/ownership.csv', 3)"
    )
    con.execute("INSERT INTO period_status (period, locked_at) VALUES ('2026-01', now())")
    con.execute("INSERT INTO period_status (period) VALUES ('2026-02')")
    db.migrate(con)
    assert snapshot.snapshot_rows(con, "2026-01", "entity") == [
        ("P", "Parent", "", "CNY", "", D(100), "full")
    ]
    assert snapshot.snapshot_rows(con, "2026-01", "fx_rate") == [
        ("2026-01", "USD", D("7.2"), D("7.0"))
    ]
    ownership = snapshot.snapshot_rows(con, "2026-01", "ownership")
    assert [row[:5] for row in ownership] == [("S", "2026-01", "P", D(80), "full")]
    assert not snapshot.has_snapshot(con, "2026-02")
    # ic_margin (072) came after: not in these snapshots, it reads as loaded
    assert "ic_margin" not in snapshot.recorded_tables(con, "2026-01")
    con.execute("INSERT INTO ic_margin VALUES ('2026-01', 'S', 25, 'master/ic_margins.csv', 2)")
    assert snapshot.use_locked_master(con, "2026-01")
    assert con.execute("SELECT seller, margin_pct FROM ic_margin").fetchall() == [("S", D(25))]
    assert con.execute("SELECT count(*) FROM entity").fetchall() == [(1,)]

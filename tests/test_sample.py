"""The demo workspace: reproducible, rich enough, and valid under SPEC section 4.

The validity checks here are independent of closekit's loader: they re-read
the generated rows and apply SPEC's row rules directly, so a generator bug
cannot hide behind a loader bug (and vice versa).
"""

from __future__ import annotations

import filecmp
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from closekit.cli import main
from closekit.sample import chart, file_columns, posting_rules
from closekit.sample.demo import PERIODS, demo_tables
from closekit.sample.demo.master import (
    COST_CENTERS,
    ENTITIES,
    FX_RATES,
    PROFIT_CENTERS,
    allocations,
)
from closekit.sample.demo.newcomers import GROUP_COST_CENTERS, GROUP_ENTITIES
from closekit.sample.files import Cell, Table

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_ledgers"
D = Decimal


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    return {t.path: t for t in demo_tables()}


def records(table: Table) -> Iterator[dict[str, Cell]]:
    for row in table.rows:
        yield dict(zip(table.columns, row, strict=True))


def ledger(tables: dict[str, Table], module: str) -> Iterator[tuple[str, dict[str, Cell]]]:
    """(period, row) of every row of a module, all periods and files."""
    for path, table in tables.items():
        parts = path.split("/")
        if parts[0] == "ledgers" and parts[2].split("-")[0].split(".")[0].split("_")[0] == module:
            for row in records(table):
                yield parts[1], row


def test_init_sample_writes_exactly_the_committed_demo(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ws"), "--sample"])
    assert result.exit_code == 0, result.output
    written = sorted(
        p.relative_to(tmp_path / "ws") for p in (tmp_path / "ws").rglob("*") if p.is_file()
    )
    committed = sorted(
        p.relative_to(SAMPLE)
        for p in SAMPLE.rglob("*")
        if p.is_file() and "out" not in p.relative_to(SAMPLE).parts and "duckdb" not in p.name
    )
    assert written == committed
    _, mismatch, errors = filecmp.cmpfiles(
        tmp_path / "ws", SAMPLE, [str(p) for p in written], shallow=False
    )
    assert mismatch == [] and errors == []


def test_init_writes_a_blank_workspace_with_the_chart(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", str(tmp_path / "new")]).exit_code == 0
    master = tmp_path / "new" / "master"
    assert (master / "entities.csv").read_text() == ",".join(file_columns.ENTITY_COLUMNS) + "\n"
    accounts = (master / "accounts.csv").read_text().splitlines()
    assert len(accounts) == len(chart.ACCOUNTS) + 1  # the chart, ready to use
    assert (tmp_path / "new" / "ledgers").is_dir()


def test_init_refuses_an_existing_workspace(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path)]).exit_code == 0
    result = runner.invoke(main, ["init", str(tmp_path), "--sample"])
    assert result.exit_code == 2
    assert "already a closekit workspace" in result.output


def test_group_structure() -> None:
    parent = {e.entity: e.parent for e in ENTITIES}

    def depth(entity: str) -> int:
        return 0 if not parent[entity] else 1 + depth(parent[entity])

    assert len(ENTITIES) >= 7
    assert len({e.currency for e in ENTITIES}) >= 4
    assert max(depth(e.entity) for e in ENTITIES) >= 2  # three levels
    own = {e.entity: e.ownership_pct for e in ENTITIES}
    # an 80% sub-holding owning a 100% subsidiary, and a 60% subsidiary
    assert any(own[e.parent] == "80" and own[e.entity] == "100" for e in ENTITIES if e.parent)
    assert "60" in own.values()
    assert len(PROFIT_CENTERS) >= 12
    assert len(COST_CENTERS) >= 40
    assert len({cc.department for cc in COST_CENTERS}) >= 8
    assert any(not cc.profit_center for cc in COST_CENTERS)
    assert {basis for _, _, _, basis, _ in allocations()} == {"fixed", "revenue"}


def test_special_accounts_and_plugs_exist() -> None:
    accounts = {a.account: a for a in chart.ACCOUNTS}
    for code in (
        chart.RETAINED_EARNINGS,
        chart.CTA,
        chart.NCI_EQUITY,
        chart.NCI_PROFIT,
        chart.GOODWILL,
        chart.FX_GAIN_LOSS,
        chart.ALLOCATION,
    ):
        assert code in accounts
    assert (
        accounts[chart.IC_RECEIVABLES].ic_plug
        == accounts[chart.IC_PAYABLES].ic_plug
        == chart.IC_DIFFERENCE
    )
    assert accounts[chart.IC_REVENUE_GOODS].ic_plug == chart.COST_OF_SALES
    assert accounts[chart.IC_REVENUE_SERVICES].ic_plug == chart.IC_PL_DIFFERENCE
    assert accounts[chart.IC_SERVICE_EXPENSE].ic_plug == chart.IC_PL_DIFFERENCE
    assert (
        accounts[chart.IC_DIFFERENCE].role
        == accounts[chart.IC_PL_DIFFERENCE].role
        == "ic_difference"
    )
    for a in accounts.values():  # every parent exists and has the child's type
        assert not a.parent or accounts[a.parent].type == a.type


def test_posting_rule_sets_balance_by_construction() -> None:
    weight = {
        "net": Counter({"net": 1}),
        "tax": Counter({"tax": 1}),
        "gross": Counter({"net": 1, "tax": 1}),
        "value": Counter({"value": 1}),
    }
    sets: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for r in posting_rules.POSTING_RULES:
        sign = 1 if r.side == "debit" else -1
        for part, n in weight[r.amount].items():
            sets[(r.module, r.kind, r.intercompany)][part] += sign * n
    assert all(not +c and not -c for c in sets.values()), sets


def test_at_least_5000_source_rows_in_every_format(tables: dict[str, Table]) -> None:
    ledgers = [t for t in tables.values() if t.path.startswith("ledgers/")]
    assert sum(len(t.rows) for t in ledgers) >= 5000
    assert {t.fmt for t in ledgers} == {"csv", "gb18030", "xlsx", "parquet"}
    gb = next(t for t in ledgers if t.fmt == "gb18030")
    assert any("工资" in str(c) for row in gb.rows for c in row)


def rule_accounts(module: str, kind: str, partner: str) -> list[str]:
    flag = "yes" if partner else "no"
    for wanted in (flag, "any"):
        found = [
            r.account
            for r in posting_rules.POSTING_RULES
            if (r.module, r.kind, r.intercompany) == (module, kind, wanted)
        ]
        if found:
            return found
    raise AssertionError(f"no rule set for {module}/{kind}/{flag}")


def test_every_row_is_valid_under_spec_section_4(tables: dict[str, Table]) -> None:
    accounts = {a.account: a for a in chart.ACCOUNTS}
    summary = {a.parent for a in chart.ACCOUNTS}
    cc_entity = {cc.cost_center: cc.entity for cc in GROUP_COST_CENTERS}
    pcs = {pc for pc, *_ in PROFIT_CENTERS}
    entities = {e.entity for e in GROUP_ENTITIES}
    rated = {(period, ccy) for period, ccy, *_ in FX_RATES}
    seen: set[tuple[str, str, str, str, Cell]] = set()
    for module in ("sales", "purchasing", "inventory", "expenses", "journals", "opening"):
        for period, row in ledger(tables, module):
            entity, partner = str(row["entity"]), str(row.get("partner") or "")
            pc, cc = str(row.get("profit_center") or ""), str(row.get("cost_center") or "")
            key = (period, module, entity, str(row["doc_id"]), row["line"])
            assert key not in seen, key
            seen.add(key)
            day = row["date"]
            assert isinstance(day, date) and day.strftime("%Y-%m") == period
            assert entity in entities and (
                not partner or (partner in entities and partner != entity)
            )
            assert (period, row["currency"]) in rated
            assert not pc or pc in pcs
            assert not cc or cc_entity[cc] == entity, (module, row)
            if module in ("journals", "opening"):
                posted = [str(row["account"])]
            else:
                posted = rule_accounts(module, str(row["kind"]), partner)
            for code in posted:
                account = accounts[code]
                assert code not in summary, (module, row)
                if account.type in ("revenue", "expense"):
                    assert pc or cc, (module, row)
                if account.ic_plug or account.role == "investment":
                    assert partner, (module, row)


def test_journal_and_opening_documents_balance(tables: dict[str, Table]) -> None:
    for module in ("journals", "opening"):
        totals: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
        for period, row in ledger(tables, module):
            key = (period, str(row["entity"]), str(row["doc_id"]))
            if module == "opening":
                totals[key] += D(str(row["amount"]))
            else:
                totals[key] += D(str(row["debit"] or 0)) - D(str(row["credit"] or 0))
        assert totals and all(v == 0 for v in totals.values())


def test_foreign_opening_rows_carry_amount_group_on_historical_and_average_accounts(
    tables: dict[str, Table],
) -> None:
    accounts = {a.account: a for a in chart.ACCOUNTS}
    currency = {e.entity: e.currency for e in GROUP_ENTITIES}
    for _, row in ledger(tables, "opening"):
        account = accounts[str(row["account"])]
        translated_at_history = account.rate == "historical" or account.type in (
            "equity",
            "revenue",
            "expense",
        )
        if currency[str(row["entity"])] != "CNY" and translated_at_history:
            assert row["amount_group"] is not None, row


def test_intercompany_documents_agree_but_the_slip_and_the_late_invoice(
    tables: dict[str, Table],
) -> None:
    """Seller's invoices (sales with a partner) against the buyer's bookings
    (purchasing and expenses with a partner), per period, pair, currency and
    ``ic_ref`` (the seller's invoice number on both sides): all agree except
    US01's USD 1.00 slip on HK01's November fee, and CN01's last November
    invoice to JP01, which only CN01 has booked; JP01 accrues exactly its
    net (no VAT across the border) on stock and payables with CN01."""
    booked: dict[tuple[str, str, str, str, str], Decimal] = defaultdict(Decimal)
    for module, sign in (("sales", 1), ("purchasing", -1), ("expenses", -1)):
        for period, row in ledger(tables, module):
            if row["partner"]:
                entity, partner = str(row["entity"]), str(row["partner"])
                seller, buyer = (entity, partner) if sign == 1 else (partner, entity)
                gross = D(str(row["net_amount"])) + D(str(row["tax_amount"]))
                key = (period, seller, buyer, str(row["currency"]), str(row["ic_ref"]))
                booked[key] += sign * gross
    differences = {k: v for k, v in booked.items() if v}
    late = ("2026-11", "CN01", "JP01", "JPY", "CN01-IC-2611-JP01-005")
    assert differences == {
        ("2026-11", "HK01", "US01", "USD", "HK01-SV-2611-US01"): D("1.00"),
        late: booked[late],
    }
    usd_average = next(
        avg for period, ccy, _, avg in FX_RATES if (period, ccy) == ("2026-11", "USD")
    )
    assert D("1.00") * usd_average < D("10.00")  # 7.15 CNY: inside the tolerance
    accrual = [
        (row["account"], row["partner"], row["debit"], row["credit"])
        for period, row in ledger(tables, "journals")
        if row["doc_id"] == "JP01-ACR-2611-CN01"
    ]
    assert accrual == [
        (chart.INVENTORIES, "CN01", booked[late], None),
        (chart.IC_PAYABLES, "CN01", None, booked[late]),
    ]


def test_rates_for_every_currency_and_period() -> None:
    currencies = {e.currency for e in ENTITIES}
    assert {(p, c) for p in PERIODS for c in currencies} <= {(p, c) for p, c, *_ in FX_RATES}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    from closekit.sample.demo import write_demo

    a = write_demo(tmp_path / "a")
    b = write_demo(tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]

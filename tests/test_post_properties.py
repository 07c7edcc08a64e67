"""Invariants of posting, for random valid source rows (hypothesis).

Whatever the rows (any module and kind, credit notes, foreign document
currencies, intercompany or not, balanced manual journals in any currency):
every posted document sums to zero per entity, every entity's trial balance
sums to zero, the subledgers reconcile to the journal, and posting again gives
the same journal.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closekit import revalue, status
from closekit.checks.base import CheckContext
from closekit.checks.posting import entries_balanced, subledger_gl
from closekit.ledger import balance_query, trial_balance
from closekit.post import post_period
from tests.test_post_fixture import books, insert

KINDS = {
    "sales": ["goods", "service"],
    "purchasing": ["stock", "service"],
    "inventory": ["sale_issue", "scrap", "count_gain", "count_loss"],
    "expenses": ["travel"],
}
ENTITIES = {"P": "U", "U": "P"}  # entity -> its possible partner
CURRENCIES = ["CNY", "USD", "EUR"]

cents = st.integers(min_value=-(10**11), max_value=10**11).map(lambda c: Decimal(c).scaleb(-2))
positive_cents = st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def subledger_row(draw: st.DrawFn) -> dict[str, Any]:
    module = draw(st.sampled_from(sorted(KINDS)))
    entity = draw(st.sampled_from(sorted(ENTITIES)))
    row: dict[str, Any] = {
        "module": module,
        "entity": entity,
        "currency": draw(st.sampled_from(CURRENCIES)),
        "kind": draw(st.sampled_from(KINDS[module])),
        "partner": draw(st.sampled_from(["", ENTITIES[entity]])),
        "profit_center": "PC1",
    }
    if module == "inventory":
        row["value"] = draw(cents)
    else:
        row["net_amount"] = draw(cents)
        row["tax_amount"] = draw(st.one_of(st.just(""), cents))
    return row


@st.composite
def journal_document(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A manual journal that balances in its document currency."""
    entity = draw(st.sampled_from(sorted(ENTITIES)))
    currency = draw(st.sampled_from(CURRENCIES))
    amounts = draw(st.lists(cents, min_size=1, max_size=5))
    amounts.append(-sum(amounts))
    accounts = draw(
        st.lists(st.sampled_from(["1000", "1100", "2000", "6000", "6100"]),
                 min_size=len(amounts), max_size=len(amounts))
    )  # fmt: skip
    return [
        {
            "module": "journals",
            "entity": entity,
            "currency": currency,
            "account": account,
            "cost_center": "CC1",
            "debit": amount if amount > 0 else "",
            "credit": -amount if amount < 0 else "",
        }
        for account, amount in zip(accounts, amounts, strict=True)
    ]


def file_hash(module: str, rows: list[dict[str, Any]]) -> str:
    content = repr([sorted(r.items()) for r in rows if r["module"] == module])
    return hashlib.sha256(content.encode()).hexdigest()


def load(con, rows: list[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    """Replace the period's rows as a load would: each module's rows numbered in
    its file, whose SHA-256 changes with its rows."""
    con.execute(
        "DELETE FROM source_row; DELETE FROM journal; DELETE FROM journal_total; "
        "DELETE FROM period_status"
    )
    hashes = {r["module"]: file_hash(r["module"], rows) for r in rows}
    numbers: dict[str, int] = {}
    stored: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for n, row in enumerate(rows):
        module = row["module"]
        numbers[module] = numbers.get(module, 1) + 1
        full = {
            "period": "2026-01", "path": f"ledgers/2026-01/{module}.csv",
            "sha256": hashes[module],
            "row_no": numbers[module], "doc_id": row.pop("doc_id", f"D{n}"), "line": str(n),
            "date": "2026-01-15", **row,
        }  # fmt: skip
        stored.setdefault(tuple(full), []).append(full)
    for same_columns in stored.values():
        insert(con, "source_row", same_columns)
    status.mark(con, "2026-01", "loaded")


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One in-memory database with master data; each example replaces its rows."""
    config, con = books(tmp_path_factory.mktemp("ws"), in_memory=True)
    yield config, con
    con.close()


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(subledger_row(), max_size=12),
    journals=st.lists(journal_document(), max_size=3),
)
def test_every_document_and_every_trial_balance_sums_to_zero(
    group,  # type: ignore[no-untyped-def]
    rows: list[dict[str, Any]],
    journals: list[list[dict[str, Any]]],
) -> None:
    config, con = group
    journal_rows = [dict(line, doc_id=f"J{d}") for d, doc in enumerate(journals) for line in doc]
    load(con, [dict(r) for r in rows] + journal_rows)
    post_period(config, con, "2026-01")

    ctx = CheckContext(config, con, "2026-01")
    assert entries_balanced(ctx).status == "pass"
    assert subledger_gl(ctx).status == "pass", subledger_gl(ctx).detail
    # After month end, every foreign-currency monetary balance stands at the
    # closing rate: functional = round(document balance x closing ratio, 2).
    unrevalued = con.execute(
        f"""SELECT * FROM ({revalue.BALANCES}) b
            JOIN fx_cross x ON x.period = $period AND x.kind = 'closing'
             AND x.from_currency = b.currency AND x.to_currency = b.functional
            WHERE round(b.doc_balance * x.ratio, 2) <> b.functional_balance""",
        {"period": "2026-01"},
    ).fetchall()
    assert unrevalued == []
    off = con.execute(
        f"SELECT entity, sum(amount) FROM ({balance_query(config, '2026-01')}) "
        "GROUP BY entity HAVING sum(amount) <> 0"
    ).fetchall()
    assert off == []
    for entity in ENTITIES:
        lines = trial_balance(con, config, "2026-01", entity)
        assert sum((line.amount for line in lines), Decimal(0)) == 0

    # Re-posting gives the same lines (the journal's row order is no contract).
    first = con.execute("SELECT * EXCLUDE (period) FROM journal ORDER BY ALL").fetchall()
    post_period(config, con, "2026-01")
    assert con.execute("SELECT * EXCLUDE (period) FROM journal ORDER BY ALL").fetchall() == first

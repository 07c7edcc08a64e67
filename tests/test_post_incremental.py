"""Incremental posting: a period posted again rebuilds only the entities whose
accepted rows changed, and the journal is exactly what a full post gives.

The books are those of test_post_end_to_end (P in CNY owns U in USD,
December 2025 then January 2026), with January sales split into one file per
entity so that a late file touches one entity.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closekit import db
from closekit.cli import main
from closekit.load import load_period
from closekit.post import post_period
from closekit.workspace import Settings, load_settings
from tests.inline import write_workspace
from tests.test_post_end_to_end import FILES

SALES_HEADER = (
    "doc_id,line,date,entity,currency,kind,customer,partner,profit_center,net_amount,tax_amount"
)
JANUARY = "2026-01"


def sales(entity: str, currency: str, amounts: list[str]) -> str:
    rows = [
        f"{entity}S{n},1,2026-01-20,{entity},{currency},goods,Fabrikam,,PC1,{amount},"
        for n, amount in enumerate(amounts, start=1)
    ]
    return "\n".join([SALES_HEADER, *rows]) + "\n"


def journal(con: Any, period: str) -> list[tuple[Any, ...]]:
    """The period's lines, once their period totals are checked to be theirs."""
    totals = con.execute(
        "SELECT * FROM journal_total WHERE period = ? ORDER BY ALL", [period]
    ).fetchall()
    of_lines = con.execute(
        """SELECT period, entity, account, partner, profit_center, cost_center,
                  amount_group IS NOT NULL, sum(amount), sum(amount_group), flow
           FROM journal WHERE period = ? GROUP BY ALL ORDER BY ALL""",
        [period],
    ).fetchall()
    assert totals == of_lines
    return con.execute(  # type: ignore[no-any-return]
        "SELECT * FROM journal WHERE period = ? ORDER BY ALL", [period]
    ).fetchall()


@pytest.fixture
def books(tmp_path: Path):  # type: ignore[no-untyped-def]
    files = {k: v for k, v in FILES.items() if k != "ledgers/2026-01/sales.csv"}
    root = write_workspace(tmp_path, files)
    (root / "ledgers/2026-01/sales-P.csv").write_text(sales("P", "USD", ["200.00"]))
    (root / "ledgers/2026-01/sales-U.csv").write_text(sales("U", "USD", ["50.00"]))
    config = load_settings(root)
    con = db.connect(config)
    for period in ("2025-12", JANUARY):
        load_period(config, con, period)
        assert post_period(config, con, period).posted == ("P", "U")
    yield config, con
    con.close()


def repost(config: Settings, con: Any, period: str = JANUARY) -> tuple[str, ...]:
    load_period(config, con, period)
    return post_period(config, con, period).posted


def test_a_period_posted_again_without_changes_rebuilds_nothing(books) -> None:  # type: ignore[no-untyped-def]
    config, con = books
    before = journal(con, JANUARY)
    assert repost(config, con) == ()
    assert journal(con, JANUARY) == before


def test_a_late_file_reposts_its_entity_only_and_equals_a_full_post(books) -> None:  # type: ignore[no-untyped-def]
    config, con = books
    (config.root / "ledgers/2026-01/sales-U.csv").write_text(sales("U", "USD", ["50.00", "75.25"]))
    assert repost(config, con) == ("U",)
    again = post_period(config, con, JANUARY)  # nothing changed since
    assert (again.posted, again.kept) == ((), ("P", "U"))
    incremental = journal(con, JANUARY)
    assert post_period(config, con, JANUARY, full=True).posted == ("P", "U")
    assert journal(con, JANUARY) == incremental
    # U's new sale is in (USD is U's own currency): 50.00 + 75.25 of revenue.
    assert con.execute(
        "SELECT sum(amount) FROM journal WHERE period = ? AND entity = 'U' AND account = '4000'",
        [JANUARY],
    ).fetchone() == (Decimal("-125.25"),)


def test_a_changed_rate_table_reposts_every_entity(books) -> None:  # type: ignore[no-untyped-def]
    config, con = books
    rates = config.root / "master/fx_rates.csv"
    rates.write_text(rates.read_text().replace("2026-01,USD,7.20,7.15", "2026-01,USD,7.25,7.15"))
    assert repost(config, con) == ("P", "U")


def test_a_period_made_stale_by_an_earlier_repost_is_posted_in_full(books) -> None:  # type: ignore[no-untyped-def]
    config, con = books
    assert repost(config, con, "2025-12") == ()  # posted again: January is stale
    assert repost(config, con) == ("P", "U")


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["P", "U"]),
            st.lists(
                st.decimals(min_value=1, max_value=99999, places=2).map(str),
                min_size=0,
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_sequence_of_late_files_posts_what_a_full_post_posts(
    books: tuple[Settings, Any],
    edits: list[tuple[str, list[str]]],
) -> None:
    config, con = books
    for entity, amounts in edits:
        (config.root / f"ledgers/2026-01/sales-{entity}.csv").write_text(
            sales(entity, "USD", amounts)
        )
        repost(config, con)
        incremental = journal(con, JANUARY)
        post_period(config, con, JANUARY, full=True)
        assert journal(con, JANUARY) == incremental


def test_lines_missing_from_the_journal_make_the_post_full(books) -> None:  # type: ignore[no-untyped-def]
    config, con = books
    before = journal(con, JANUARY)
    con.execute("DELETE FROM journal WHERE period = ? AND entity = 'U'", [JANUARY])
    assert repost(config, con) == ("P", "U")
    assert journal(con, JANUARY) == before


def test_the_post_command_says_what_it_rebuilt_and_full_rebuilds_all(books) -> None:  # type: ignore[no-untyped-def]
    config, con = books
    con.close()  # the command opens the workspace itself
    kept = CliRunner().invoke(main, ["-w", str(config.root), "post", JANUARY])
    assert kept.exit_code == 0, kept.output
    assert "Rebuilt 0 of 2 entities (none); the others' rows had not changed." in kept.output
    full = CliRunner().invoke(main, ["-w", str(config.root), "post", JANUARY, "--full"])
    assert full.exit_code == 0, full.output
    assert "Rebuilt" not in full.output

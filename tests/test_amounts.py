"""Amounts too large for closekit (issue 18 item 2, SPEC section 1).

Amounts are kept in DECIMAL(18, 2): at most 9999999999999999.99. A row may
carry at most 99999999999999.99 (14 integer digits; more is rejected at load
with ``amount is too large (max 99999999999999.99)``), so that net + tax, a
translation and the sum of a hundred such rows still fit. Should many large
rows still add up past the limit, the step stops with one line on stderr and
exit 2, never a traceback, and leaves nothing half-written.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from closekit.cli import main
from closekit.consolidation import consolidate_period
from closekit.errors import format_problem
from closekit.load import load_period
from closekit.post import post_period
from tests.test_load_fixture import connect, workspace

JOURNAL_HEAD = (
    "doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,"
    "debit,credit,description"
)


def _journals(*lines: str) -> dict[str, str]:
    return {"ledgers/2026-01/journals.csv": "\n".join([JOURNAL_HEAD, *lines]) + "\n"}


def test_the_largest_amount_loads_posts_and_translates(tmp_path: Path) -> None:
    """U (USD, rates 2026-01: average 7.10) sells for the largest amount a
    row may carry, written with leading zeros on the receivable side.

    Revenue 4000 translated at the average rate:
    99999999999999.99 x 7.10 = 709999999999999.929 -> 709999999999999.93.
    """
    settings = workspace(
        tmp_path,
        _journals(
            "J1,1,2026-01-31,U,USD,1100,,PC1,,0099999999999999.99,,big sale",
            "J1,2,2026-01-31,U,USD,4000,,PC1,,,99999999999999.99,big sale",
        ),
    )
    con = connect(settings)
    loaded = load_period(settings, con, "2026-01")
    assert loaded.clean, [format_problem(p) for f in loaded.files for p in f.errors]
    post_period(settings, con, "2026-01")
    consolidate_period(settings, con, "2026-01")
    revenue = con.execute(
        "SELECT amount, amount_group FROM translated_balance"
        " WHERE period = '2026-01' AND entity = 'U' AND account = '4000'"
    ).fetchall()
    assert revenue == [(Decimal("-99999999999999.99"), Decimal("-709999999999999.93"))]


def test_two_rows_of_6e15_are_rejected_at_load_not_at_translation(tmp_path: Path) -> None:
    """The attack's two rows of 6000000000000000.00 on one account (each fits
    DECIMAL(18, 2), their sum 1.2e16 does not): rejected at load, each with
    its file, row and column, so that translation never sees them."""
    big = "6000000000000000.00"
    settings = workspace(
        tmp_path,
        _journals(
            f"J1,1,2026-01-31,P,CNY,1000,,,,{big},,big",
            f"J1,2,2026-01-31,P,CNY,1000,,,,{big},,big",
            f"J1,3,2026-01-31,P,CNY,2000,,,,,{big},big",
            f"J1,4,2026-01-31,P,CNY,2000,,,,,{big},big",
        ),
    )
    con = connect(settings)
    (report,) = load_period(settings, con, "2026-01").files
    assert (report.read, report.accepted, report.rejected) == (4, 0, 4)
    max_ = "amount is too large (max 99999999999999.99)"
    assert [format_problem(p) for p in report.errors] == [
        f"ledgers/2026-01/journals.csv:2 debit: {max_}",
        f"ledgers/2026-01/journals.csv:3 debit: {max_}",
        f"ledgers/2026-01/journals.csv:4 credit: {max_}",
        f"ledgers/2026-01/journals.csv:5 credit: {max_}",
    ]


def test_a_total_past_the_limit_stops_the_step_with_one_line(tmp_path: Path) -> None:
    """112 rows of 90000000000000.00 (each within the row limit) on P's cash,
    against as many on payables: the cash balance 112 x 9e13 = 1.008e16 is
    past 9999999999999999.99. Posting keeps each line (and sums in wider
    types); translation stores the balance and cannot. ``close`` exits 2 with
    one line naming the step, the period and the total; the consolidation is
    rolled back whole."""
    row = "90000000000000.00"
    lines = [f"J1,{n},2026-01-31,P,CNY,1000,,,,{row},,big" for n in range(1, 113)]
    lines += [f"J1,{n},2026-01-31,P,CNY,2000,,,,,{row},big" for n in range(113, 225)]
    settings = workspace(tmp_path, _journals(*lines))

    result = CliRunner().invoke(main, ["-w", str(settings.root), "close", "2026-01"])

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "Error: consolidate 2026-01: a total of 10080000000000000.00 is too large for closekit"
        " (max 9999999999999999.99); look for amounts with too many digits in the"
        " period's ledgers"
    ]
    con = connect(settings)
    assert con.execute("SELECT count(*) FROM translated_balance").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM consolidation_entry").fetchone() == (0,)

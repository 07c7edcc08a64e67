"""The demo group's structure events of November 2026 (issue 12 item 10;
SPEC 14-17), closed as `make demo` closes them, each figure worked in its
docstring from the demo's books (closekit/sample/demo/events.py and
newcomers.py) and the rates of master/fx_rates.csv.

Rates (CNY per unit, closing / average): SGD October 5.5120 / 5.5030,
November 5.5340 / 5.5250; EUR October 8.3120; HKD November average 0.9192;
JPY November closing 0.047103.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from closekit.consolidation import node_trial_balance
from closekit.statements.cash_flow import cash_flow_statement
from closekit.statements.equity import COLUMNS, EquityStatement, equity_statement
from closekit.workspace import Settings, load_settings
from tests.demo_cli import fresh_demo, run

D = Decimal


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Settings]]:
    root = fresh_demo(tmp_path_factory.mktemp("events") / "demo")
    result = run(root, "close", "2026-10..2026-11")
    assert result.exit_code == 0, result.output
    # every check passes: no DRAFT from the structure check (or any other)
    assert "2026-11  clean" in result.output, result.output
    yield root, load_settings(root)


def _con(root: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(root / "closekit.duckdb"), read_only=True)


def _event(root: Path, entity: str) -> tuple[object, ...]:
    with _con(root) as con:
        row = con.execute(
            "SELECT kind, holder, net_assets, net_assets_fc, consideration, consideration_fc, "
            "nci, goodwill_fc, gain, cta_reclassified FROM consolidation_event "
            "WHERE period = '2026-11' AND entity = ?",
            [entity],
        ).fetchone()
    assert row is not None
    return tuple(row)


def _tb(root: Path, settings: Settings, node: str = "CN00") -> dict[str, Decimal]:
    with _con(root) as con:
        lines = node_trial_balance(con, settings, "2026-11", node, "ytd")
    tb = {line.account: line.amount for line in lines}
    assert sum(tb.values()) == 0
    return tb


def test_acquisition_of_sg01_with_pre_acquisition_reserves(
    closed: tuple[Path, Settings],
) -> None:
    """CN00 buys 70% of SG01 (SGD) on 1 November for CNY 39,000,000.

    SG01 at the end of October, in SGD: capital 5,000,000 and reserves
    2,600,000 brought in, January-September profit 1,350,000 before tax
    (9,000,000 of sales less 4,950,000 cost of sales, 1,890,000 payroll,
    360,000 rent, 450,000 depreciation) less 17% tax 229,500 = 1,120,500,
    October 165,000 - 28,050 = 136,950: NA0_fc = 8,857,450.00, all of it
    pre-acquisition equity. NA0 = 8,857,450 x 5.5120 = 48,822,264.40.
    NCI = 48,822,264.40 - round(0.7 x 48,822,264.40) = 48,822,264.40 -
    34,175,585.08 = 14,646,679.32. C_fc = round(39,000,000 / 5.5120) =
    7,075,471.70; GW_fc = 7,075,471.70 - round(0.7 x 8,857,450) =
    7,075,471.70 - 6,200,215.00 = 875,256.70 SGD.

    November: goodwill 875,256.70 x 5.5340 = 4,843,670.58, plus JP01's
    (CNY 3,200,000 at its capital's 0.048 = JPY 66,666,666.67 x 0.047103 =
    3,140,200.00): 7,983,870.58 on 1700. The group's P&L takes SG01's
    November only, 153,550 SGD after tax (1,080,000 - 590,000 - 215,000 -
    40,000 - 50,000 = 185,000, tax 31,450) x 5.5250 = 848,363.75; its
    January-October 1,257,450 SGD are reversed as pre-acquisition.
    """
    root, settings = closed
    assert _event(root, "SG01") == (
        "acquisition",
        "CN00",
        D("48822264.40"),
        D("8857450.00"),
        D("39000000.00"),
        D("7075471.70"),
        D("14646679.32"),
        D("875256.70"),
        None,
        None,
    )
    assert _tb(root, settings)["1700"] == D("7983870.58")
    with _con(root) as con:
        pnl = "SELECT account FROM account WHERE type IN ('revenue', 'expense')"
        own = con.execute(
            f"SELECT sum(amount_group) FROM translated_balance WHERE period = '2026-11' "
            f"AND entity = 'SG01' AND account IN ({pnl})"
        ).fetchone()
        reversed_ = con.execute(
            f"SELECT sum(amount_group) FROM consolidation_entry WHERE period = '2026-11' "
            f"AND node = 'CN00' AND entity = 'SG01' AND step NOT LIKE 'nci%' "
            f"AND account IN ({pnl})"
        ).fetchone()
    assert own is not None and reversed_ is not None
    assert own[0] + reversed_[0] == D("-848363.75")


def test_disposal_of_de01_recycles_its_cta(closed: tuple[Path, Settings]) -> None:
    """HK01 sells all of DE01 (EUR) on 1 November for HKD 240,000,000; its
    investment cost HKD 105,120,000 (87,000,000 + October's capital
    increase 18,120,000): its own gain HKD 134,880,000 on 7600 with partner
    DE01.

    Measured at HK01 (DE01 100%, no NCI, no goodwill) from the end of
    October: Pr = own gain + the investment's decrease = HKD 240,000,000 x
    0.9192 = 220,608,000.00. NA = DE01's net assets, EUR 27,954,906.51 (cash
    12,810,276.37 + receivables 12,367,475.33 + stock 9,085,061.33 + VAT
    22,543.14 + equipment 3,000,000 - 1,225,000 - payables 51,059.89 - to
    HK01 5,883,720.13 - payroll 741,020.00 - VAT 1,339,518.32 - accruals
    90,131.32) x 8.3120 = 232,361,182.91, less the unrealised profit in its
    stock bought from HK01 that leaves with it (HK01's URP entry,
    -4,908,476.89; SPEC 16.1): 227,452,706.02. CTAo = DE01's CTA credit
    19,758,750.17 less the 10,039.00 of that URP: -19,748,711.17 (debit
    positive), recycled to profit (IAS 21.48). Gain = 220,608,000.00 -
    227,452,706.02 + 19,748,711.17 = 12,904,005.15, on 7600 at the group in
    place of HK01's own gain; nothing of it is left to retained earnings at
    HK01.

    DE01's January-October results stay in the group's year (IFRS 10.B88):
    the group's entries with DE01 in November hold its translated result at
    the end of October, a loss of 6,552,703.22, and the NCI's 20% of it
    (HK01's minorities), 1,310,540.64; its November books are left out.
    """
    root, settings = closed
    assert _event(root, "DE01") == (
        "loss_of_control",
        "HK01",
        D("227452706.02"),
        None,
        D("220608000.00"),
        None,
        D("0.00"),
        D("0.00"),
        D("12904005.15"),
        D("-19748711.17"),
    )
    assert _tb(root, settings)["7600"] == D("-12904005.15")
    assert _tb(root, settings, "HK01")["7600"] == D("-12904005.15")
    with _con(root) as con:
        plugged = con.execute(
            "SELECT count(*) FROM event_line WHERE entity = 'DE01' AND node = 'HK01' "
            "AND note LIKE '%NCI of the node above%'"
        ).fetchone()
        pnl = "SELECT account FROM account WHERE type IN ('revenue', 'expense')"
        kept = con.execute(
            f"SELECT sum(amount_group) FILTER (account <> $nci), "
            f"sum(amount_group) FILTER (account = $nci) FROM consolidation_entry "
            f"WHERE period = '2026-11' AND node = 'CN00' AND step = 'disposal' "
            f"AND entity = 'DE01' AND account IN ({pnl})",
            {"nci": settings.accounts.nci_profit},
        ).fetchone()
        october = con.execute(
            f"SELECT sum(amount_group) FROM translated_balance WHERE period = '2026-10' "
            f"AND entity = 'DE01' AND account IN ({pnl})"
        ).fetchone()
    assert plugged == (0,)
    assert kept is not None and october is not None
    assert kept[0] == october[0] == D("6552703.22")
    assert kept[1] == D("-1310540.64")


def test_associate_cn04_share_of_profit_and_dividend(closed: tuple[Path, Settings]) -> None:
    """CN00 buys 30% of CN04 (CNY) on 1 November for 52,000,000 (IAS 28).
    CN04 earns 22,000,000 - 16,200,000 - 2,100,000 - 1,000,000 = 2,700,000
    before tax in November, 2,025,000 after 25%, and pays a dividend of
    5,000,000 on the 20th, 1,500,000 of it to CN00 (4800, partner CN04).

    NA* moves by 2,025,000 - 5,000,000 = -2,975,000: carrying amount
    52,000,000 + 30% x -2,975,000 = 51,107,500.00, the group's only 1600
    balance (the subsidiaries' are eliminated). Share of profit 30% x
    2,025,000 = 607,500.00 on 7400; CN00's dividend income from CN04 is
    reversed (it is already out of the carrying amount), as are the
    dividends from JP01 and, at HK01, from US01: no 4800 at the group.
    """
    root, settings = closed
    tb = _tb(root, settings)
    assert tb["1600"] == D("51107500.00")
    assert tb["7400"] == D("-607500.00")
    assert tb.get("4800", D(0)) == 0
    assert _tb(root, settings, "HK01").get("4800", D(0)) == 0


def test_structure_lists_every_event_of_november(closed: tuple[Path, Settings]) -> None:
    """`closekit structure 2026-11` (shown by `make demo`) lists the four
    events, DE01's too though it has left the tree, with their amounts."""
    root, _ = closed
    out = run(root, "structure", "2026-11").output
    for line in (
        "equity_start      CN04    CN00",
        "loss_of_control   DE01    HK01",
        "ownership_change  JP01    CN00",
        "acquisition       SG01    CN00",
        "12,904,005.15",
        "14,646,679.32",
        "875,256.70",
        # DE01's CTA recycled; CN04's goodwill in its carrying amount:
        # 52,000,000 - 30% x its net assets at the end of October 151,125,000
        "19,748,711.17",
        "6,662,500.00",
    ):
        assert line in out, out


def test_management_view_takes_each_entity_for_its_member_months(
    closed: tuple[Path, Settings],
) -> None:
    """SPEC 20: the vertical view takes each entity's P&L for the periods it
    is a member. DE01 (sold 1 November) adds nothing to November's month:
    its January-October results, which the disposal keeps, stay on its own
    profit and cost centers (YTD = the prior month's YTD: profit centers
    17,523,522.94 of profit, unallocated 24,076,226.16 of cost), not in
    "Consolidation adjustments". SG01 (bought 1 November) shows only its
    November profit 848,363.75 on its profit centers, month and YTD (its
    pre-acquisition results and their reversal meet there)."""
    root, _ = closed
    with _con(root) as con:
        rows = con.execute(
            "SELECT entity, bucket, sum(month_amount), sum(ytd_amount), sum(prior_amount) "
            "FROM management_line WHERE period = '2026-11' AND entity IN ('DE01', 'SG01') "
            "GROUP BY ALL HAVING sum(month_amount) <> 0 OR sum(ytd_amount) <> 0 ORDER BY ALL"
        ).fetchall()
    assert rows == [
        ("DE01", "profit_center", D("0.00"), D("-17523522.94"), D("-17523522.94")),
        ("DE01", "unallocated", D("0.00"), D("24076226.16"), D("24076226.16")),
        ("SG01", "profit_center", D("-848363.75"), D("-848363.75"), D("0.00")),
    ]


def test_the_statements_attribute_the_events_as_measured(
    closed: tuple[Path, Settings],
) -> None:
    """The group's statements of November (SPEC 19.2), each event's line
    from what the event measured:

    - NCI's profit in November is NCI in results of the month, 19,604,353.50
      - 14,436,755.31 = 5,167,598.19 (the income statement's NCI, YTD
      November less YTD October): the equity statement's NCI profit row
      moves by exactly that from October to November.
    - DE01's CTA recycled by its disposal, 19,748,711.17 (debit positive
      -19,748,711.17, the event's), is the owners' 80% reclassified to
      profit or loss, 15,798,968.94 (IAS 21.48), and NCI's 20%,
      3,949,742.23, derecognised with the disposal, not reclassified (IAS
      21.48B): NCI's share of the gain is in its profit.
    - JP01's dividend, 9,370,000.00 in CNY, 25% of it to its outside
      shareholders: dividends to NCI 2,342,500.00; US01's dividend to HK01
      is intra-group (no row, though HK01 has NCI).
    - SG01: NCI at acquisition 14,646,679.32; cash flows 39,000,000.00 paid
      less SG01's cash at the end of October, 21,471,996.00: acquisition of
      subsidiaries, net of cash acquired, (17,528,004.00).
    - JP01 60 -> 75%: NCI (13,071,222.38), other reserves (428,777.62).
    """
    root, settings = closed
    with _con(root) as con:
        october = equity_statement(con, settings, "2026-10")
        november = equity_statement(con, settings, "2026-11")
        cash = cash_flow_statement(con, settings, "2026-11")

    def row(statement: EquityStatement, name: str) -> tuple[Decimal, ...]:
        found = statement.row(name)
        assert found is not None, name
        return found.amounts

    # share capital, other reserves, translation reserve, retained earnings,
    # owners, NCI, total
    nci = COLUMNS.index("nci")
    assert row(november, "profit")[nci] - row(october, "profit")[nci] == D("5167598.19")
    recycled = D("-15798968.94")
    assert row(november, "reclassified") == (0, 0, recycled, 0, recycled, 0, recycled)
    assert row(november, "disposal")[nci:] == (D("-3949742.23"), D("-3949742.23"))
    assert row(november, "dividend_nci")[nci:] == (D("-2342500.00"), D("-2342500.00"))
    assert november.row("dividend_owners") is None
    assert row(november, "acquisition")[nci:] == (D("14646679.32"), D("14646679.32"))
    step_up = row(november, "ownership_change")
    assert (step_up[COLUMNS.index("other_reserves")], step_up[nci]) == (
        D("-428777.62"),
        D("-13071222.38"),
    )
    lines = {line.line: line.amount for line in cash.lines}
    assert lines["acquisition"] == D("-17528004.00")
    assert lines["dividend_nci"] == D("-2342500.00")
    assert "dividend" not in lines

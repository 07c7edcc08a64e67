"""Posting source rows to the journal: rule sets, conversion, journals, opening balances.

Every expected trial balance below is worked by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closekit import status
from closekit.errors import PeriodError
from closekit.post import MissingRate, post_period
from tests.test_post_fixture import books, money, source, tb


def journal(con, where: str = "true"):  # type: ignore[no-untyped-def]
    return con.execute(
        f"""SELECT entity, account, partner, profit_center, cost_center, module, kind, doc_id,
                   line, currency, amount_doc, amount, amount_group, path, row_no
            FROM journal WHERE {where}
            ORDER BY period, path = '', path, row_no, amount < 0, account"""
    ).fetchall()


SUBLEDGERS = {
    "sales": """
        doc_id,line,date,entity,currency,kind,partner,profit_center,net_amount,tax_amount
        S1,1,2026-01-05,P,CNY,goods,,PC1,1000.00,130.00
        S2,1,2026-01-06,P,CNY,goods,U,PC1,2000.00,
        S3,1,2026-01-07,P,CNY,service,U,PC2,500.00,30.00
    """,
    "purchasing": """
        doc_id,line,date,entity,currency,kind,supplier,cost_center,net_amount,tax_amount
        P1,1,2026-01-08,P,CNY,stock,ACME,CC1,600.00,78.00
        P2,1,2026-01-09,P,CNY,service,ACME,CC1,200.00,12.00
    """,
    "inventory": """
        doc_id,line,date,entity,currency,kind,profit_center,cost_center,value
        I1,1,2026-01-10,P,CNY,sale_issue,PC1,,400.00
        I2,1,2026-01-11,P,CNY,scrap,,CC1,50.00
        I3,1,2026-01-12,P,CNY,count_gain,,CC1,20.00
        I4,1,2026-01-13,P,CNY,count_loss,,CC1,30.00
    """,
    "expenses": """
        doc_id,line,date,entity,currency,kind,payee,cost_center,net_amount,tax_amount
        E1,1,2026-01-14,P,CNY,travel,Li Lei,CC1,300.00,18.00
    """,
}


def test_every_module_and_kind_posts_its_rule_set(tmp_path: Path) -> None:
    settings, con = books(tmp_path)
    for module, text in SUBLEDGERS.items():
        source(con, "2026-01", module, text)
    report = post_period(settings, con, "2026-01")

    # S1 goods:      Dr 1100 1130 / Cr 4000 1000 / Cr 2100 130
    # S2 IC goods:   the exact 'yes' set: Dr 1150 2000 / Cr 4050 2000 (no tax: no tax line)
    # S3 IC service: no 'yes' set for service, so the 'any' set:
    #                Dr 1100 530 / Cr 4100 500 / Cr 2100 30
    # P1 stock:      Dr 1200 600 / Dr 1300 78 / Cr 2000 678
    # P2 service:    Dr 6000 200 / Dr 1300 12 / Cr 2000 212
    # I1..I4:        Dr 5000 400 / Cr 1200 400; Dr 6000 50 / Cr 1200 50;
    #                Dr 1200 20 / Cr 6000 20; Dr 6000 30 / Cr 1200 30
    # E1 travel:     Dr 6100 300 / Dr 1300 18 / Cr 2000 318
    assert tb(con, settings, "2026-01", "P") == money(
        {
            "1100": "1660.00",  # 1130 + 530
            "1150": "2000.00",
            "1200": "140.00",  # 600 - 400 - 50 + 20 - 30
            "1300": "108.00",  # 78 + 12 + 18
            "2000": "-1208.00",  # -678 - 212 - 318
            "2100": "-160.00",  # -130 - 30
            "4000": "-1000.00",
            "4050": "-2000.00",
            "4100": "-500.00",
            "5000": "400.00",
            "6000": "260.00",  # 200 + 50 - 20 + 30
            "6100": "300.00",
        }
    )
    # Lines by source row (debits first, then by account), each with the
    # row's dimensions and lineage.
    assert journal(con, "doc_id IN ('S1', 'S2')") == [
        ("P", "1100", "", "PC1", "", "sales", "goods", "S1", "1", "CNY",
         Decimal("1130.00"), Decimal("1130.00"), None, "ledgers/2026-01/sales.csv", 2),
        ("P", "2100", "", "PC1", "", "sales", "goods", "S1", "1", "CNY",
         Decimal("-130.00"), Decimal("-130.00"), None, "ledgers/2026-01/sales.csv", 2),
        ("P", "4000", "", "PC1", "", "sales", "goods", "S1", "1", "CNY",
         Decimal("-1000.00"), Decimal("-1000.00"), None, "ledgers/2026-01/sales.csv", 2),
        ("P", "1150", "U", "PC1", "", "sales", "goods", "S2", "1", "CNY",
         Decimal("2000.00"), Decimal("2000.00"), None, "ledgers/2026-01/sales.csv", 3),
        ("P", "4050", "U", "PC1", "", "sales", "goods", "S2", "1", "CNY",
         Decimal("-2000.00"), Decimal("-2000.00"), None, "ledgers/2026-01/sales.csv", 3),
    ]  # fmt: skip
    # Every line carries the row's dimensions, whatever the account (SPEC section 4).
    assert {r[4] for r in journal(con, "doc_id = 'P1'")} == {"CC1"}
    assert report.totals[0].entity == "P" and report.totals[0].total == 0
    assert {(p.module, p.lines) for p in report.lines} == {
        ("sales", 8),
        ("purchasing", 6),
        ("inventory", 8),
        ("expenses", 3),
    }
    assert report.revaluation_lines == 0  # everything in functional currency


def test_a_foreign_document_currency_converts_per_amount_column(tmp_path: Path) -> None:
    settings, con = books(tmp_path)
    source(con, "2026-01", "sales", """
        doc_id,line,date,entity,currency,kind,profit_center,net_amount,tax_amount
        S1,1,2026-01-05,P,USD,goods,PC1,333.33,43.33
        S2,1,2026-01-05,U,CNY,goods,PC1,1000.00,130.00
    """)  # fmt: skip
    post_period(settings, con, "2026-01")

    # P (CNY) sells in USD; average USD/CNY = 7.10:
    #   net 333.33 x 7.10 = 2366.643 -> 2366.64; tax 43.33 x 7.10 = 307.643 -> 307.64
    #   gross = 2366.64 + 307.64 = 2674.28 (not round(376.66 x 7.10) = 2674.29): the entry balances.
    # Month end, closing 7.20: USD 376.66 x 7.20 = 2711.952 -> 2711.95;
    # 2711.95 - 2674.28 = 37.67 gain.
    assert tb(con, settings, "2026-01", "P") == money(
        {"1100": "2711.95", "2100": "-307.64", "4000": "-2366.64", "7100": "-37.67"}
    )
    assert journal(con, "entity = 'P' AND module = 'sales'") == [
        ("P", "1100", "", "PC1", "", "sales", "goods", "S1", "1", "USD",
         Decimal("376.66"), Decimal("2674.28"), None, "ledgers/2026-01/sales.csv", 2),
        ("P", "2100", "", "PC1", "", "sales", "goods", "S1", "1", "USD",
         Decimal("-43.33"), Decimal("-307.64"), None, "ledgers/2026-01/sales.csv", 2),
        ("P", "4000", "", "PC1", "", "sales", "goods", "S1", "1", "USD",
         Decimal("-333.33"), Decimal("-2366.64"), None, "ledgers/2026-01/sales.csv", 2),
    ]  # fmt: skip
    # U (USD) sells in CNY; CNY->USD average = 1 / 7.10 = 0.140845070422535211 (18 places):
    #   net 1000 -> 140.85; tax 130 -> 18.31; gross 159.16.
    # Month end, CNY->USD closing = 1 / 7.20 = 0.138888888888888889: 1130 -> 156.94; loss 2.22.
    assert tb(con, settings, "2026-01", "U") == money(
        {"1100": "156.94", "2100": "-18.31", "4000": "-140.85", "7100": "2.22"}
    )


def test_manual_journals_post_as_given_and_a_converted_residue_goes_to_fx(tmp_path: Path) -> None:
    settings, con = books(tmp_path)
    source(con, "2026-01", "journals", """
        doc_id,line,date,entity,currency,account,partner,profit_center,cost_center,debit,credit,amount_group
        J1,1,2026-01-31,P,EUR,6000,,PC1,CC1,33.33,,
        J1,2,2026-01-31,P,EUR,6100,,,CC1,33.33,,
        J1,3,2026-01-31,P,EUR,2000,,,,,66.66,
        J2,1,2026-01-31,P,CNY,1000,,,,100.00,,
        J2,2,2026-01-31,P,CNY,3000,,,,,100.00,-100.00
        J3,1,2026-01-31,U,USD,1000,,,,50.00,,
        J3,2,2026-01-31,U,USD,3000,,,,,50.00,-360.00
        J3,3,2026-01-31,U,USD,6000,,,CC9,10.00,,70.00
        J3,4,2026-01-31,U,USD,2000,,,,,10.00,
    """)  # fmt: skip
    post_period(settings, con, "2026-01")

    # J1 in EUR, average EUR/CNY 7.7777777: 33.33 -> 259.2333 -> 259.23 (twice);
    # 66.66 -> 518.4666 -> 518.47. Lines sum to 259.23 + 259.23 - 518.47 = -0.01,
    # so +0.01 posts to 7100 with line 1's dimensions.
    assert journal(con, "doc_id = 'J1' AND account = '7100'") == [
        ("P", "7100", "", "PC1", "CC1", "journals", "conversion_rounding", "J1", "1", "EUR",
         Decimal("0.00"), Decimal("0.01"), None, "ledgers/2026-01/journals.csv", 2),
    ]  # fmt: skip
    # Month end: payable EUR -66.66 x closing 7.80 = -519.948 -> -519.95;
    # -519.95 - (-518.47) = -1.48 more payable, a 1.48 loss. 7100 = 0.01 + 1.48.
    assert tb(con, settings, "2026-01", "P") == money(
        {"1000": "100.00", "2000": "-519.95", "3000": "-100.00",
         "6000": "259.23", "6100": "259.23", "7100": "1.49"}
    )  # fmt: skip
    # amount_group: P's currency is the group currency, so never; U keeps it on
    # the historical-rate account 3000 only (not on average-rate 6000).
    assert [r[12] for r in journal(con, "module = 'journals' AND doc_id IN ('J2', 'J3')")] == [
        None,
        None,
        None,
        Decimal("-360.00"),
        None,
        None,
    ]
    assert tb(con, settings, "2026-01", "U") == money(
        {"1000": "50.00", "2000": "-10.00", "3000": "-50.00", "6000": "10.00"}
    )


def test_opening_balances_post_functional_amounts_and_join_revaluation(tmp_path: Path) -> None:
    settings, con = books(tmp_path)
    source(con, "2026-01", "opening", """
        doc_id,line,date,entity,currency,account,amount,amount_group,amount_doc
        OB1,1,2026-01-01,P,CNY,1000,5000.00,,
        OB1,2,2026-01-01,P,CNY,3000,-5000.00,,
        OB2,1,2026-01-01,P,EUR,1000,7750.00,,1000.00
        OB2,2,2026-01-01,P,CNY,3200,-7750.00,,
        OB3,1,2026-01-01,U,USD,1000,1000.00,7000.00,
        OB3,2,2026-01-01,U,CNY,3000,-800.00,-5600.00,
        OB3,3,2026-01-01,U,USD,4000,-200.00,-1410.00,
    """)  # fmt: skip
    post_period(settings, con, "2026-01")

    assert [r[9:13] for r in journal(con, "module = 'opening'")] == [
        ("CNY", Decimal("5000.00"), Decimal("5000.00"), None),
        ("CNY", Decimal("-5000.00"), Decimal("-5000.00"), None),
        # amount_doc given: the line is held in EUR and is revalued like any other
        ("EUR", Decimal("1000.00"), Decimal("7750.00"), None),
        ("CNY", Decimal("-7750.00"), Decimal("-7750.00"), None),
        # U is a USD entity: amount_group kept on historical (3000) and average (4000)
        # accounts, not on closing-rate cash; without amount_doc the currency is functional.
        ("USD", Decimal("1000.00"), Decimal("1000.00"), None),
        ("USD", Decimal("-800.00"), Decimal("-800.00"), Decimal("-5600.00")),
        ("USD", Decimal("-200.00"), Decimal("-200.00"), Decimal("-1410.00")),
    ]
    # EUR cash 1000 x closing 7.80 = 7800.00; 7800 - 7750 = 50.00 gain.
    assert tb(con, settings, "2026-01", "P") == money(
        {"1000": "12800.00", "3000": "-5000.00", "3200": "-7750.00", "7100": "-50.00"}
    )
    assert tb(con, settings, "2026-01", "U") == money(
        {"1000": "1000.00", "3000": "-800.00", "4000": "-200.00"}
    )


def test_posting_refuses_until_loaded_and_earlier_periods_are_posted(tmp_path: Path) -> None:
    settings, con = books(tmp_path, periods=("2026-01", "2026-02"))
    with pytest.raises(PeriodError, match="not loaded yet"):
        post_period(settings, con, "2026-01")
    source(con, "2026-02", "sales", SUBLEDGERS["sales"].replace("2026-01", "2026-02"))
    with pytest.raises(PeriodError, match="earlier period 2026-01 is not posted"):
        post_period(settings, con, "2026-02")
    source(con, "2026-01", "sales", SUBLEDGERS["sales"])
    post_period(settings, con, "2026-01")
    post_period(settings, con, "2026-02")

    con.execute("UPDATE period_status SET locked_at = now() WHERE period = '2026-02'")
    with pytest.raises(PeriodError, match="period 2026-02 is locked"):
        post_period(settings, con, "2026-02")
    con.execute("UPDATE period_status SET locked_at = NULL WHERE period = '2026-02'")

    # Re-posting January rebuilds the same journal: the balances February
    # builds on are as they were, so February stays valid (staleness follows
    # content, not timestamps).
    before = journal(con)
    post_period(settings, con, "2026-01")
    assert journal(con) == before
    status.require_step(con, "2026-02", "posted")

    # A late sale in January changes its balances: February is stale, which
    # refuses its trial balance until February is posted again.
    source(con, "2026-01", "sales", """
        doc_id,line,date,entity,currency,kind,partner,profit_center,net_amount,tax_amount
        S9,1,2026-01-30,P,CNY,goods,,PC1,100.00,13.00
    """)  # fmt: skip
    post_period(settings, con, "2026-01")
    with pytest.raises(
        PeriodError, match=r"2026-02 is stale \(2026-01 was re-posted with different balances\)"
    ):
        status.require_step(con, "2026-02", "posted")
    post_period(settings, con, "2026-02")
    status.require_step(con, "2026-02", "posted")


def test_posting_refuses_a_conversion_without_an_average_rate(tmp_path: Path) -> None:
    settings, con = books(tmp_path)
    con.execute("DELETE FROM fx_cross WHERE from_currency = 'EUR' AND kind = 'average'")
    source(con, "2026-01", "expenses", """
        doc_id,line,date,entity,currency,kind,cost_center,net_amount,tax_amount
        E1,1,2026-01-14,P,EUR,travel,CC1,300.00,
    """)  # fmt: skip
    with pytest.raises(MissingRate, match="no average rate to convert EUR -> CNY in 2026-01"):
        post_period(settings, con, "2026-01")
    assert journal(con) == []

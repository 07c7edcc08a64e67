"""Month-end revaluation of foreign-currency monetary balances (IAS 21.23), over two periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from closekit.post import post_period
from closekit.revalue import MissingClosingRate
from tests.test_post_fixture import ACCOUNTS, books, money, source, tb

# P (functional CNY) invoices a customer USD 1,000 in January and collects
# USD 400 in February. USD/CNY: January average 7.10, closing 7.20;
# February average 7.25, closing 7.30.
JANUARY_SALE = """
    doc_id,line,date,entity,currency,kind,customer,profit_center,net_amount,tax_amount
    S1,1,2026-01-15,P,USD,goods,Contoso,PC1,1000.00,
"""
FEBRUARY_RECEIPT = """
    doc_id,line,date,entity,currency,account,profit_center,debit,credit
    R1,1,2026-02-10,P,USD,1000,,400.00,
    R1,2,2026-02-10,P,USD,1100,PC1,,400.00
"""


def revaluation_lines(con, period: str):  # type: ignore[no-untyped-def]
    return con.execute(
        """SELECT date, entity, account, partner, profit_center, cost_center, kind, doc_id, line,
                  currency, amount_doc, amount, path, row_no
           FROM journal WHERE period = ? AND module = 'revaluation'
           -- each numbered key: its own account's leg, then fx_gain_loss (7100)
           ORDER BY entity, line::INTEGER, account = '7100'""",
        [period],
    ).fetchall()


def test_a_usd_receivable_is_revalued_each_month_end_and_partly_collected(tmp_path: Path) -> None:
    settings, con = books(tmp_path, periods=("2026-01", "2026-02"))
    source(con, "2026-01", "sales", JANUARY_SALE)
    post_period(settings, con, "2026-01")

    # January: booked USD 1000 x 7.10 = 7100.00; closing USD 1000 x 7.20 = 7200.00;
    # the receivable rises by 100.00 against an FX gain (credit 7100).
    assert revaluation_lines(con, "2026-01") == [
        (date(2026, 1, 31), "P", "1100", "", "PC1", "", "", "revaluation 2026-01", "1",
         "USD", Decimal("0.00"), Decimal("100.00"), "", None),
        (date(2026, 1, 31), "P", "7100", "", "PC1", "", "", "revaluation 2026-01", "1",
         "USD", Decimal("0.00"), Decimal("-100.00"), "", None),
    ]  # fmt: skip
    assert tb(con, settings, "2026-01", "P") == money(
        {"1100": "7200.00", "4000": "-7100.00", "7100": "-100.00"}
    )

    source(con, "2026-02", "journals", FEBRUARY_RECEIPT)
    post_period(settings, con, "2026-02")

    # February: the receipt posts USD 400 x 7.25 = 2900.00 to cash and off the receivable.
    # Cash key:       D = 400, F = 2900.00;               400 x 7.30 = 2920.00 -> +20.00
    # Receivable key: D = 600, F = 7100 + 100 - 2900 = 4300.00; 600 x 7.30 = 4380.00 -> +80.00
    # (cumulative: January's revaluation is part of F, so only the rate change posts).
    assert [r[2:5] + r[11:12] for r in revaluation_lines(con, "2026-02")] == [
        ("1000", "", "", Decimal("20.00")),
        ("7100", "", "", Decimal("-20.00")),
        ("1100", "", "PC1", Decimal("80.00")),
        ("7100", "", "PC1", Decimal("-80.00")),
    ]
    # USD 600 + USD 400 held at 7.30 = 7300.00 against 7100.00 booked: 200.00 gain YTD.
    assert tb(con, settings, "2026-02", "P") == money(
        {"1000": "2920.00", "1100": "4380.00", "4000": "-7100.00", "7100": "-200.00"}
    )
    assert tb(con, settings, "2026-02", "P", basis="period") == money(
        {"1000": "2920.00", "1100": "-2820.00", "7100": "-100.00"}  # -2900 + 80
    )


def test_a_settled_balance_leaves_its_realised_difference_on_fx_gain_loss(tmp_path: Path) -> None:
    settings, con = books(tmp_path, periods=("2026-01", "2026-02"))
    source(con, "2026-01", "sales", JANUARY_SALE)
    post_period(settings, con, "2026-01")
    source(con, "2026-02", "journals", FEBRUARY_RECEIPT.replace("400.00", "1000.00"))
    post_period(settings, con, "2026-02")

    # Receivable: D = 0, F = 7200 - 7250 = -50.00 -> +50.00 clears it;
    # cash: USD 1000 booked at 7250.00, closing 7300.00 -> +50.00. Gain: 100 + 50 + 50 = 200.
    assert tb(con, settings, "2026-02", "P") == money(
        {"1000": "7300.00", "4000": "-7100.00", "7100": "-200.00"}
    )


def test_functional_currency_balances_and_unrevalued_accounts_are_left_alone(
    tmp_path: Path,
) -> None:
    settings, con = books(tmp_path)
    source(con, "2026-01", "purchasing", """
        doc_id,line,date,entity,currency,kind,cost_center,net_amount,tax_amount
        P1,1,2026-01-08,P,CNY,stock,CC1,600.00,
        P2,1,2026-01-08,P,USD,stock,CC1,100.00,
    """)  # fmt: skip
    post_period(settings, con, "2026-01")
    # Only the USD payable (2000, revalue = yes) moves: -100 x 7.20 = -720 vs -710 booked;
    # USD inventory (1200) is not monetary and stays at its historical 710.00.
    assert [r[2] + " " + str(r[11]) for r in revaluation_lines(con, "2026-01")] == [
        "2000 -10.00",
        "7100 10.00",
    ]


def test_revaluation_refuses_without_a_closing_rate(tmp_path: Path) -> None:
    settings, con = books(tmp_path)
    con.execute("DELETE FROM fx_cross WHERE kind = 'closing' AND from_currency = 'USD'")
    source(con, "2026-01", "sales", JANUARY_SALE)
    with pytest.raises(MissingClosingRate, match="no closing rate to revalue USD -> CNY"):
        post_period(settings, con, "2026-01")


def test_the_revaluation_of_cash_is_a_translation_flow_and_the_rest_movements(
    tmp_path: Path,
) -> None:
    """SPEC 19.1: February's revaluation of the USD cash (+20.00 on 1000, a
    cash-class account) is an exchange difference on cash (translation);
    the receivable's +80.00 and both fx_gain_loss legs are movements."""
    header, *rows = ACCOUNTS.strip().splitlines()
    cash_flow = [row + (",cash" if row.startswith("1000,") else ",") for row in rows]
    accounts = "\n".join([header + ",cash_flow", *cash_flow])
    settings, con = books(tmp_path, periods=("2026-01", "2026-02"), accounts=accounts)
    source(con, "2026-01", "sales", JANUARY_SALE)
    post_period(settings, con, "2026-01")
    source(con, "2026-02", "journals", FEBRUARY_RECEIPT)
    post_period(settings, con, "2026-02")
    assert con.execute(
        "SELECT account, amount, flow FROM journal "
        "WHERE period = '2026-02' AND module = 'revaluation' ORDER BY line, account"
    ).fetchall() == [
        ("1000", Decimal("20.00"), "translation"),
        ("7100", Decimal("-20.00"), "movement"),
        ("1100", Decimal("80.00"), "movement"),
        ("7100", Decimal("-80.00"), "movement"),
    ]

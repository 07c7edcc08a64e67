"""IAS 21 translation, periodic method (SPEC 7.1), figures worked by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_consolidate_helpers import Group, amounts, d

from closekit.consolidation.translation import MissingTranslationRate, translated_trial_balance
from closekit.consolidation.translation_summary import translation_summary
from closekit.errors import PeriodError, UnknownCode


def _foreign_sub(tmp_path: Path) -> Group:
    """P (CNY, the group) owns S (USD). S opens with net assets of 1,000 USD
    whose equity was translated at 0.58, then earns 180 USD in January."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P")
    g.rate("2026-01", "USD", "0.66", "0.62")
    g.line("2026-01", "S", "1000", "1000", module="opening")
    g.line("2026-01", "S", "3000", "-1000", amount_group="-580.00", module="opening")
    g.line("2026-01", "S", "1000", "180", profit_center="PC1")
    g.line("2026-01", "S", "4000", "-180", profit_center="PC1")
    return g.post("2026-01")


def test_cta_of_a_foreign_subsidiary(tmp_path: Path) -> None:
    g = _foreign_sub(tmp_path)
    g.consolidate("2026-01")
    tb = amounts(translated_trial_balance(g.con, g.settings, "2026-01", "S", "ytd"))
    # cash (closing rate):     1,180 x 0.66 =  778.80
    # share capital (opening amount_group)  = -580.00
    # revenue (average):        -180 x 0.62 = -111.60
    # CTA = -(778.80 - 580.00 - 111.60)     =  -87.20 (a credit: the USD strengthened)
    assert tb == {
        "1000": d("778.80"),
        "3000": d("-580.00"),
        "4000": d("-111.60"),
        "3300": d("-87.20"),
    }
    assert sum(tb.values()) == 0


def test_group_currency_entity_translates_one_to_one(tmp_path: Path) -> None:
    g = _foreign_sub(tmp_path)
    g.line("2026-01", "P", "1000", "500").line("2026-01", "P", "3000", "-500", amount_group="-1")
    g.consolidate("2026-01")
    # amount_group is ignored for an entity in the group currency
    assert amounts(translated_trial_balance(g.con, g.settings, "2026-01", "P", "ytd")) == {
        "1000": d("500"),
        "3000": d("-500"),
    }


def test_average_rate_rounds_per_period_and_key(tmp_path: Path) -> None:
    """Two months of 0.05 USD revenue at 0.5: each month 0.025 -> 0.03 (half
    away from zero), so the YTD is 0.06, not round(0.10 x 0.5) = 0.05."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P")
    for period in ("2026-01", "2026-02"):
        g.rate(period, "USD", "0.5", "0.5")
        g.line(period, "S", "1000", "0.05").line(period, "S", "4000", "-0.05")
    g.post("2026-01", "2026-02").consolidate("2026-01")
    g.consolidate("2026-02")
    tb = amounts(translated_trial_balance(g.con, g.settings, "2026-02", "S", "ytd"))
    # cash 0.10 x 0.5 = 0.05; revenue -0.03 - 0.03 = -0.06; CTA = 0.01
    assert tb == {"1000": d("0.05"), "4000": d("-0.06"), "3300": d("0.01")}
    # the month alone: revenue -0.03, cash 0.05 - 0.03 (Jan at 0.5: 0.025 -> 0.03) = 0.02
    month = amounts(translated_trial_balance(g.con, g.settings, "2026-02", "S", "period"))
    assert month == {"1000": d("0.02"), "4000": d("-0.03"), "3300": d("0.01")}


def test_fiscal_year_roll_keeps_the_translated_result(tmp_path: Path) -> None:
    """Dec 2026: revenue 100 USD at 0.60 -> 60.00. Jan 2027 (new year, rates
    0.70/0.65): retained earnings receives the translated 60.00, not 100 x
    anything; January's 10 USD revenue at 0.65 -> 6.50.
    Cash 110 x 0.70 = 77.00; CTA = -(77.00 - 60.00 - 6.50) = -10.50."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P")
    g.rate("2026-12", "USD", "0.62", "0.60").rate("2027-01", "USD", "0.70", "0.65")
    g.line("2026-12", "S", "1000", "100").line("2026-12", "S", "4000", "-100")
    g.line("2027-01", "S", "1000", "10").line("2027-01", "S", "4000", "-10")
    g.post("2026-12", "2027-01").consolidate("2026-12")
    g.consolidate("2027-01")
    tb = amounts(translated_trial_balance(g.con, g.settings, "2027-01", "S", "ytd"))
    assert tb == {"1000": d("77.00"), "3200": d("-60.00"), "4000": d("-6.50"), "3300": d("-10.50")}
    # The month: P&L from zero; the December P&L rolled into retained earnings.
    # Dec: cash 62.00, revenue -60.00, CTA -2.00.  Cash +15.00, CTA -8.50.
    month = amounts(translated_trial_balance(g.con, g.settings, "2027-01", "S", "period"))
    assert month == {"1000": d("15.00"), "4000": d("-6.50"), "3300": d("-8.50")}


def test_historical_journal_keeps_its_amount_group(tmp_path: Path) -> None:
    """A capital increase of 200 USD booked at its own date's rate (0.61 ->
    122.00) keeps it; a dividend without amount_group takes the average."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P")
    g.rate("2026-01", "USD", "0.66", "0.62")
    g.line("2026-01", "S", "1000", "200").line("2026-01", "S", "3000", "-200", amount_group="-122")
    g.line("2026-01", "S", "3100", "50").line("2026-01", "S", "1000", "-50")
    g.post("2026-01").consolidate("2026-01")
    tb = amounts(translated_trial_balance(g.con, g.settings, "2026-01", "S", "ytd"))
    # cash 150 x 0.66 = 99.00; reserves 50 x 0.62 = 31.00; CTA = -(99 - 122 + 31) = -8.00
    assert tb == {"1000": d("99.00"), "3000": d("-122.00"), "3100": d("31.00"), "3300": d("-8.00")}


def test_missing_rate_refuses_naming_currency_and_period(tmp_path: Path) -> None:
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P")
    g.rate("2026-01", "USD", None, "0.62")
    g.line("2026-01", "S", "1000", "10").line("2026-01", "S", "4000", "-10")
    g.post("2026-01")
    with pytest.raises(MissingTranslationRate, match=r"USD 2026-01 \(closing\)"):
        g.consolidate("2026-01")


def test_queries_refuse_unknown_entity_and_unconsolidated_period(tmp_path: Path) -> None:
    g = _foreign_sub(tmp_path)
    with pytest.raises(PeriodError, match="not consolidated"):
        translated_trial_balance(g.con, g.settings, "2026-01", "S", "ytd")
    g.consolidate("2026-01")
    with pytest.raises(UnknownCode):
        translated_trial_balance(g.con, g.settings, "2026-01", "NOPE", "ytd")


def test_translation_summary_shows_rates_and_cta(tmp_path: Path) -> None:
    g = _foreign_sub(tmp_path)
    g.consolidate("2026-01")
    lines = [
        (x.entity, x.account, x.rate_kind, x.functional, x.rate, x.translated)
        for x in translation_summary(g.con, g.settings, "2026-01")
    ]
    assert lines == [
        ("S", "1000", "closing", d("1180"), Decimal("0.66"), d("778.80")),
        ("S", "3000", "historical", d("-1000"), None, d("-580.00")),
        ("S", "4000", "average", d("-180"), Decimal("0.62"), d("-111.60")),
        ("S", "3300", "cta", d("0"), None, d("-87.20")),
    ]


def test_fiscal_year_starting_in_april_rolls_in_april(tmp_path: Path) -> None:
    """Fiscal year from April: March's 100 USD revenue at 0.60 (60.00) moves to
    retained earnings in April, where revenue starts again from zero."""
    g = Group(tmp_path, fiscal_year_start=4).entity("P").entity("S", "USD", parent="P")
    g.rate("2026-03", "USD", "0.60", "0.60").rate("2026-04", "USD", "0.60", "0.60")
    g.line("2026-03", "S", "1000", "100").line("2026-03", "S", "4000", "-100")
    g.post("2026-03", "2026-04").consolidate("2026-03")
    g.consolidate("2026-04")
    march = amounts(translated_trial_balance(g.con, g.settings, "2026-03", "S", "ytd"))
    assert march == {"1000": d("60.00"), "4000": d("-60.00")}
    april = amounts(translated_trial_balance(g.con, g.settings, "2026-04", "S", "ytd"))
    assert april == {"1000": d("60.00"), "3200": d("-60.00")}


def test_closing_rate_pnl_account_closes_its_year_at_the_last_closing_rate(
    tmp_path: Path,
) -> None:
    """A revenue account kept at closing rate (not IAS 21's default): at Dec
    100 USD x 0.62 = 62.00; in January retained earnings keeps 62.00."""
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P")
    g.con.execute(
        "INSERT INTO account (account, name, type, rate) "
        "VALUES ('4900', 'Other', 'revenue', 'closing')"
    )
    g.rate("2026-12", "USD", "0.62", "0.60").rate("2027-01", "USD", "0.70", "0.65")
    g.line("2026-12", "S", "1000", "100").line("2026-12", "S", "4900", "-100")
    g.post("2026-12", "2027-01").consolidate("2026-12")
    assert amounts(translated_trial_balance(g.con, g.settings, "2026-12", "S", "ytd")) == {
        "1000": d("62.00"),
        "4900": d("-62.00"),
    }
    g.consolidate("2027-01")
    # cash 100 x 0.70 = 70.00; CTA = -(70.00 - 62.00) = -8.00
    assert amounts(translated_trial_balance(g.con, g.settings, "2027-01", "S", "ytd")) == {
        "1000": d("70.00"),
        "3200": d("-62.00"),
        "3300": d("-8.00"),
    }


def test_closing_rate_pnl_without_a_closing_rate_in_its_year_refuses(tmp_path: Path) -> None:
    g = Group(tmp_path).entity("P").entity("S", "USD", parent="P")
    g.con.execute(
        "INSERT INTO account (account, name, type, rate) "
        "VALUES ('4900', 'Other', 'revenue', 'closing')"
    )
    g.rate("2026-12", "USD", None, "0.60").rate("2027-01", "USD", "0.70", "0.65")
    g.line("2026-12", "S", "1000", "100").line("2026-12", "S", "4900", "-100")
    g.post("2026-12", "2027-01")
    with pytest.raises(MissingTranslationRate, match=r"USD fiscal year 2026 \(closing\)"):
        g.consolidate("2027-01")

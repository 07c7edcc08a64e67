"""master/ic_margins.csv (SPEC 18.1): each rule refuses with file, row and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closekit.errors import InvalidInput
from closekit.master import read_master
from closekit.workspace import Settings, load_settings
from tests.test_load_fixture import workspace

PATH = "master/ic_margins.csv"


def with_margins(tmp_path: Path, rows: str, account: bool = True) -> Settings:
    settings = workspace(tmp_path, master={PATH: "period,seller,margin_pct\n" + rows})
    if account:
        toml = settings.root / "closekit.toml"
        toml.write_text(
            toml.read_text().replace("[accounts]\n", '[accounts]\nunrealised_profit = "6000"\n')
        )
    return load_settings(settings.root)


def test_margins_are_stored_with_their_origin(tmp_path: Path) -> None:
    tables, _ = read_master(with_margins(tmp_path, "2026-01,P,25\n2026-03,P,-12.3456\n"))
    assert tables["ic_margin"] == [
        ("2026-01", "P", Decimal("25"), PATH, 2),
        ("2026-03", "P", Decimal("-12.3456"), PATH, 3),
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2026-01,P,100", f"{PATH}:2 margin_pct: 100 is not within -100 < x < 100"),
        ("2026-01,P,-100", f"{PATH}:2 margin_pct: -100 is not within -100 < x < 100"),
        ("2026-01,P,150.5", f"{PATH}:2 margin_pct: 150.5 is not within -100 < x < 100"),
        ("2026-01,P,12.34567", f"{PATH}:2 margin_pct: 12.34567 has more than 4 decimal places"),
        ("2026-01,P,abc", f'{PATH}:2 margin_pct: "abc" is not a number (-100 < x < 100)'),
        ("2026-01,ZZ,10", f'{PATH}:2 seller: unknown entity "ZZ"'),
        ("2026-13,P,10", f'{PATH}:2 period: "2026-13" is not a period (YYYY-MM)'),
    ],
)
def test_each_margin_rule_can_fail(tmp_path: Path, row: str, expected: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_master(with_margins(tmp_path, row + "\n"))
    assert refused.value.lines() == [expected]


def test_a_seller_has_one_margin_per_period(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_master(with_margins(tmp_path, "2026-01,P,10\n2026-01,P,12\n"))
    assert refused.value.lines() == [
        f"{PATH}:3 period: seller P already has a margin from 2026-01 ({PATH}:2)"
    ]


def test_margins_need_the_unrealised_profit_account(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_master(with_margins(tmp_path, "2026-01,P,10\n", account=False))
    assert refused.value.lines() == [
        f"{PATH}:2: margins need [accounts] unrealised_profit in closekit.toml "
        "(the P&L account unrealised profit moves through, SPEC 18.1)"
    ]

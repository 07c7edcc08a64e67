"""closekit.toml parsing and workspace discovery."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from closekit.errors import SettingsError
from closekit.workspace import find_workspace, load_settings
from tests.inline import DEFAULT_TOML, write_workspace


def test_default_settings_are_read(tmp_path: Path) -> None:
    settings = load_settings(write_workspace(tmp_path, {}))
    assert settings.currency == "CNY"
    assert settings.fiscal_year_start == 1
    assert settings.accounts.cta == "3300"
    assert settings.ic_tolerance == Decimal("10.00")
    assert settings.database == (tmp_path / "closekit.duckdb").resolve()
    assert settings.output_dir == (tmp_path / "out").resolve()
    assert settings.language == "en"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('currency = "CNY"', ""), "[group] currency is missing"),
        (('currency = "CNY"', 'currency = "YUAN"'), "is not a three-letter code"),
        (("fiscal_year_start = 1", "fiscal_year_start = 13"), "fiscal_year_start must be a month"),
        (('cta = "3300"', ""), "[accounts] cta is missing"),
        (('tolerance = "10.00"', "tolerance = 10.5"), "tolerance must be a quoted decimal"),
        (('tolerance = "10.00"', 'tolerance = "ten"'), "is not a number"),
        (('tolerance = "10.00"', 'tolerance = "-1"'), "zero or positive"),
        (("[group]", "[group\n"), "closekit.toml:"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    toml = DEFAULT_TOML.replace(*change)
    root = write_workspace(tmp_path, {}, toml=toml)
    with pytest.raises(SettingsError) as exc:
        load_settings(root)
    assert message in str(exc.value)


def test_language_must_be_en_or_zh(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, {}, toml=DEFAULT_TOML + '\n[output]\nlanguage = "fr"\n')
    with pytest.raises(SettingsError, match='language must be "en" or "zh"'):
        load_settings(root)


def test_missing_settings_file_says_it_is_no_workspace(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not a closekit workspace"):
        load_settings(tmp_path)


def test_workspace_option_then_environment_then_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLOSEKIT_WORKSPACE", raising=False)
    assert find_workspace(None) == tmp_path.resolve()
    monkeypatch.setenv("CLOSEKIT_WORKSPACE", str(tmp_path / "env"))
    assert find_workspace(None) == (tmp_path / "env").resolve()
    assert find_workspace(str(tmp_path / "opt")) == (tmp_path / "opt").resolve()

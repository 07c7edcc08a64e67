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


def test_workspace_option_then_environment_then_the_nearest_folder_upwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_workspace(tmp_path / "group", {"out/2026-11/html/.keep": ""})
    other = write_workspace(tmp_path / "other", {})
    monkeypatch.delenv("CLOSEKIT_WORKSPACE", raising=False)
    monkeypatch.chdir(root / "out" / "2026-11" / "html")
    assert find_workspace(None) == root.resolve()  # found upwards, as git does
    monkeypatch.setenv("CLOSEKIT_WORKSPACE", str(other))
    assert find_workspace(None) == other.resolve()
    assert find_workspace(str(root)) == root.resolve()


def test_no_workspace_says_where_it_looked_and_how_to_give_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLOSEKIT_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError) as exc:
        find_workspace(None)
    assert str(exc.value) == (
        f"no closekit workspace in {tmp_path.resolve()} or any folder above it "
        "(no closekit.toml); give one with -w DIR or CLOSEKIT_WORKSPACE=DIR, "
        "or create one with `closekit init DIR`"
    )
    with pytest.raises(SettingsError) as exc:
        find_workspace(str(tmp_path))
    assert str(exc.value) == (
        f"{tmp_path.resolve()} (given with -w): not a closekit workspace (no closekit.toml); "
        "see `closekit init`"
    )
    monkeypatch.setenv("CLOSEKIT_WORKSPACE", str(tmp_path))
    with pytest.raises(SettingsError, match=r"\(from CLOSEKIT_WORKSPACE\): not a closekit"):
        find_workspace(None)

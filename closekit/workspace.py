"""Find the workspace and read ``closekit.toml`` into frozen :class:`Settings`."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from closekit.errors import SettingsError

SETTINGS_FILE = "closekit.toml"


@dataclass(frozen=True)
class SpecialAccounts:
    """Accounts with a special role in consolidation (``[accounts]``)."""

    retained_earnings: str
    cta: str
    nci_equity: str
    nci_profit: str
    goodwill: str
    fx_gain_loss: str
    allocation: str
    # SPEC 20: required only when the workspace has the events that use them.
    bargain_purchase: str | None = None
    ownership_changes: str | None = None
    disposal_gain: str | None = None
    associate_result: str | None = None
    unrealised_profit: str | None = None


@dataclass(frozen=True)
class Settings:
    """Everything read from ``closekit.toml``, with paths made absolute.

    root: the workspace folder.
    group_name: the group's name shown on reports.
    currency: group (presentation) currency, upper-case.
    fiscal_year_start: month number (1-12) in which the fiscal year starts.
    accounts: the special accounts.
    ic_tolerance: intercompany tolerance in group currency, per pair and plug.
    database: path of the DuckDB state file.
    output_dir: folder of ``out/PERIOD`` reports.
    language: ``en`` or ``zh``.
    input_encoding: forced CSV encoding, or None to detect.
    """

    root: Path
    group_name: str
    currency: str
    fiscal_year_start: int
    accounts: SpecialAccounts
    ic_tolerance: Decimal
    database: Path
    output_dir: Path
    language: str
    input_encoding: str | None

    @property
    def master_dir(self) -> Path:
        return self.root / "master"

    @property
    def ledgers_dir(self) -> Path:
        return self.root / "ledgers"

    def relative(self, path: Path) -> str:
        """Workspace-relative path with forward slashes, as shown to users.

        A symbolic link keeps its own name: ``ledgers/2026-10/sales.csv``
        linking to a file elsewhere is that, not the target's path.
        """
        named = path.absolute()
        for inside, root in (
            (named, self.root.absolute()),
            (named.parent.resolve() / named.name, self.root.resolve()),
        ):
            if inside.is_relative_to(root):
                return inside.relative_to(root).as_posix()
        return path.as_posix()


WORKSPACE_ENV = "CLOSEKIT_WORKSPACE"


def find_workspace(option: str | None, start: Path | None = None) -> Path:
    """The workspace folder (SPEC section 2): ``-w/--workspace``, else
    ``CLOSEKIT_WORKSPACE``, else the nearest folder holding ``closekit.toml``
    from ``start`` (the current directory) upwards, as git finds its
    repository, so that closekit works from ``out/`` or ``ledgers/2026-11/``.

    Raises SettingsError naming where it looked and how to say where the
    workspace is.
    """
    if option:
        return _workspace(Path(option), "given with -w")
    if os.environ.get(WORKSPACE_ENV):
        return _workspace(Path(os.environ[WORKSPACE_ENV]), f"from {WORKSPACE_ENV}")
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise SettingsError(
        f"no closekit workspace in {here} or any folder above it (no {SETTINGS_FILE}); "
        f"give one with -w DIR or {WORKSPACE_ENV}=DIR, or create one with `closekit init DIR`"
    )


def _workspace(path: Path, how: str) -> Path:
    root = path.resolve()
    if not (root / SETTINGS_FILE).is_file():
        raise SettingsError(
            f"{root} ({how}): not a closekit workspace (no {SETTINGS_FILE}); see `closekit init`"
        )
    return root


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise SettingsError(f"{SETTINGS_FILE}: [{name}] must be a table")
    return value


def _text(section: dict[str, Any], table: str, key: str, default: str | None = None) -> str:
    value = section.get(key, default)
    if value is None:
        raise SettingsError(f"{SETTINGS_FILE}: [{table}] {key} is missing")
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{SETTINGS_FILE}: [{table}] {key} must be a non-empty string")
    return value.strip()


OPTIONAL_ACCOUNTS = (
    "bargain_purchase",
    "ownership_changes",
    "disposal_gain",
    "associate_result",
    "unrealised_profit",
)


def _optional_text(section: dict[str, Any], table: str, key: str) -> str | None:
    return _text(section, table, key) if key in section else None


def load_settings(root: Path) -> Settings:
    """Read and validate ``root/closekit.toml``; refuse with a clear message."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        raise SettingsError(
            f"{path}: not a closekit workspace (no {SETTINGS_FILE}); see `closekit init`"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{SETTINGS_FILE}: {exc}") from None

    group = _section(data, "group")
    currency = _text(group, "group", "currency").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise SettingsError(
            f"{SETTINGS_FILE}: [group] currency {currency!r} is not a three-letter code"
        )
    fy_start = group.get("fiscal_year_start", 1)
    if not isinstance(fy_start, int) or isinstance(fy_start, bool) or not 1 <= fy_start <= 12:
        raise SettingsError(
            f"{SETTINGS_FILE}: [group] fiscal_year_start must be a month number 1-12"
        )

    acc = _section(data, "accounts")
    accounts = SpecialAccounts(
        retained_earnings=_text(acc, "accounts", "retained_earnings"),
        cta=_text(acc, "accounts", "cta"),
        nci_equity=_text(acc, "accounts", "nci_equity"),
        nci_profit=_text(acc, "accounts", "nci_profit"),
        goodwill=_text(acc, "accounts", "goodwill"),
        fx_gain_loss=_text(acc, "accounts", "fx_gain_loss"),
        allocation=_text(acc, "accounts", "allocation"),
        **{key: _optional_text(acc, "accounts", key) for key in OPTIONAL_ACCOUNTS},
    )

    ic = _section(data, "intercompany")
    raw_tolerance = ic.get("tolerance", "0")
    if isinstance(raw_tolerance, float):
        raise SettingsError(
            f'{SETTINGS_FILE}: [intercompany] tolerance must be a quoted decimal, e.g. "10.00"'
        )
    try:
        tolerance = Decimal(str(raw_tolerance).strip())
    except InvalidOperation:
        raise SettingsError(
            f"{SETTINGS_FILE}: [intercompany] tolerance {raw_tolerance!r} is not a number"
        ) from None
    if not tolerance.is_finite() or tolerance < 0:
        raise SettingsError(f"{SETTINGS_FILE}: [intercompany] tolerance must be zero or positive")

    database = _text(_section(data, "database"), "database", "path", "closekit.duckdb")
    output = _section(data, "output")
    language = _text(output, "output", "language", "en").lower()
    if language not in ("en", "zh"):
        raise SettingsError(
            f'{SETTINGS_FILE}: [output] language must be "en" or "zh", not {language!r}'
        )
    encoding = _section(data, "input").get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or not encoding.strip()):
        raise SettingsError(f'{SETTINGS_FILE}: [input] encoding must be a string such as "gb18030"')

    return Settings(
        root=root,
        group_name=str(group.get("name", "")).strip() or root.name,
        currency=currency,
        fiscal_year_start=fy_start,
        accounts=accounts,
        ic_tolerance=tolerance,
        database=(root / database).resolve(),
        output_dir=(root / _text(output, "output", "dir", "out")).resolve(),
        language=language,
        input_encoding=encoding.strip() if isinstance(encoding, str) else None,
    )

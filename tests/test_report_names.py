"""File names made from codes are one to one (issue 18 item 7).

The attack: entity codes ``CN01.`` and ``Z/1`` beside ``CN01`` and ``Z_1``
wrote ``entities/CN01.xlsx`` and ``entities/Z_1.xlsx`` twice, the later
workbook overwriting the earlier, and ``verify`` passed. Every per-code file
of a pack is now named by :func:`closekit.report.names.slug`.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from closekit.pipeline import close_period
from closekit.report.manifest import verify
from closekit.report.names import slug
from closekit.sample.demo import write_demo
from closekit.workspace import load_settings

# Codes that look alike once a file system has had its say.
ALIKE = ["CN01", "CN01.", "Z/1", "Z_1", "Z~2F1", "CON", "con", "nul.x", "COM1", ".", ".."]


def test_the_attack_codes_and_windows_device_names() -> None:
    assert [slug(c) for c in ALIKE] == [
        "CN01",
        "CN01.",
        "Z~2F1",
        "Z_1",
        "Z~7E2F1",
        "~43ON",
        "~63on",
        "~6Eul.x",
        "~43OM1",
        "~2E",
        "~2E.",
    ]


@settings(deadline=None)  # a loaded CI machine; the property is what matters
@given(
    st.lists(
        st.one_of(st.sampled_from(ALIKE), st.text(min_size=1, max_size=8)),
        min_size=2,
        max_size=6,
        unique=True,
    )
)
def test_distinct_codes_get_distinct_safe_names(codes: list[str]) -> None:
    names = [slug(c) for c in codes]
    assert len(set(names)) == len(codes)
    for name in names:
        assert name.isascii() and "/" not in name and "\\" not in name
        assert not name.startswith(".")
        assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_entities_whose_codes_look_alike_each_get_their_own_workbook(tmp_path: Path) -> None:
    """The demo group plus CN01., Z/1 and Z_1 (CNY subsidiaries of CN00
    without rows): 13 entities, 13 workbooks, each titled with its own
    code, 13 entity pages; the pack verifies."""
    root = tmp_path / "ws"
    write_demo(root)
    with (root / "master" / "entities.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "CN01.,Dot Co,,CNY,CN00,100,full\n"
            "Z/1,Slash Co,,CNY,CN00,100,full\n"
            "Z_1,Under Co,,CNY,CN00,100,full\n"
        )
    settings = load_settings(root)
    close_period(settings, "2026-10")

    pack = settings.output_dir / "2026-10"
    workbooks = sorted(p.name for p in (pack / "entities").iterdir())
    assert workbooks == [
        "CN00.xlsx",
        "CN01..xlsx",
        "CN01.xlsx",
        "CN02.xlsx",
        "CN03.xlsx",
        "CN04.xlsx",
        "DE01.xlsx",
        "HK01.xlsx",
        "JP01.xlsx",
        "SG01.xlsx",
        "US01.xlsx",
        "Z_1.xlsx",
        "Z~2F1.xlsx",
    ]
    for code in ("CN01", "CN01.", "Z/1", "Z_1"):
        book = openpyxl.load_workbook(pack / "entities" / f"{slug(code)}.xlsx", read_only=True)
        title = next(book.worksheets[0].iter_rows(max_row=1, values_only=True))[0]
        assert str(title).startswith(f"{code} "), title
    pages = sorted(p.name for p in (pack / "html" / "entities").glob("*.html"))
    assert len(pages) == 13
    assert verify(pack) == []

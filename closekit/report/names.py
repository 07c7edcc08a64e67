"""File names made from codes, for every per-code output of a pack: entity
and node workbooks (``entities/CODE.xlsx``, ``nodes/CODE.xlsx``) and the
audit site's pages (``html/entities/CODE.html``, ``html/nodes/CODE/ACCOUNT.html``, ...).

One function, :func:`slug`, so that a workbook and a page of one code never
disagree and two codes never share a file (issue 18: ``CN01.`` and ``Z/1``
once became ``CN01.xlsx`` and ``Z_1.xlsx``, overwriting the workbooks of
``CN01`` and ``Z_1`` while ``verify`` still passed).
"""

from __future__ import annotations

import functools

# Names Windows reserves for devices, whatever the extension (CON.xlsx too).
_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)]
)


def _escaped(char: str) -> str:
    return "".join(f"~{byte:02X}" for byte in char.encode("utf-8"))


@functools.lru_cache(maxsize=1 << 16)  # the same codes name thousands of links
def slug(code: str) -> str:
    """A code as a file name, one to one: ASCII letters, digits, '-', '_'
    and '.' (not leading) kept, every other character written as ``~XX``
    hex of its UTF-8 bytes ('~' itself included), so distinct codes never
    share a file and no code climbs out of its folder. A Windows device name
    (``CON``, ``nul``, ``COM1``) has its first letter escaped as well
    (``~43ON``): no other code escapes a letter, so this stays one to one."""
    out = [
        char
        if char.isascii() and (char.isalnum() or char in "-_" or (char == "." and n > 0))
        else _escaped(char)
        for n, char in enumerate(code)
    ]
    if code.split(".")[0].upper() in _DEVICES:
        out[0] = _escaped(code[0])
    return "".join(out) or "~"

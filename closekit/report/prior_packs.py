"""The packs of earlier periods beside this one, which the site's comparative
figures link to (SPEC 10, issue 13 item 6).

A comparative figure (the prior fiscal year end's balance, the same months a
year earlier) is a figure of another period's pack: ``out/PRIOR``, written
by ``closekit report PRIOR``. It links to that pack's page, where it drills
down as the current figures do, when the pack is there (its
``manifest.json``, written last, seals it) and holds that page. Otherwise
the figure is shown without a link and the page says why: a static site
links only to files that exist.

Whether those packs are there is an input of this pack's pages: it is part
of the reuse fingerprint (:func:`fingerprint`), so a page reused from an
earlier report gains its links once the prior period is reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from closekit.periods import add_months, fiscal_year_start, previous
from closekit.report.manifest import MANIFEST_FILE
from closekit.report.names import slug
from closekit.report.statement_columns import Column
from closekit.report.statements import Statement
from closekit.statements.flows import prior_year_end
from closekit.workspace import Settings


def comparative_periods(settings: Settings, period: str) -> tuple[str, ...]:
    """The periods whose figures are comparatives of ``period``'s: the prior
    fiscal year end (balance sheet) and the same month a year earlier (the
    year to date of the P&L, OCI, cash flows, equity, roll-forwards)."""
    year_end = previous(fiscal_year_start(period, settings.fiscal_year_start))
    found = {year_end, prior_year_end(settings, period), add_months(period, -12)}
    return tuple(sorted(p for p in found if p))


class PriorPacks:
    """``out/PRIOR`` of the other periods, looked up once per report run."""

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self._files = cache(self._pages)

    def exists(self, period: str) -> bool:
        """Whether the pack of ``period`` was written (its manifest sealed it)."""
        return (self.output_dir / period / MANIFEST_FILE).is_file()

    def _pages(self, period: str) -> frozenset[str]:
        html = self.output_dir / period / "html"
        if not self.exists(period) or not html.is_dir():
            return frozenset()
        return frozenset(p.relative_to(html).as_posix() for p in html.rglob("*.html"))

    def href(self, period: str, page: str, anchor: str = "", root: str = "../") -> str:
        """The link to ``page`` (relative to ``html/``) of the pack of
        ``period`` from a page ``root`` below ``html/`` (``../`` for
        ``nodes/N.html``), '' when that pack or page is not there."""
        if page not in self._files(period):
            return ""
        return f"{root}../../{period}/html/{page}{anchor}"


def fingerprint(settings: Settings, period: str) -> list[list[str]]:
    """[period, SHA-256 of its manifest] of each comparative pack that is
    there: what the links of ``period``'s pages depend on."""
    out = []
    for prior in comparative_periods(settings, period):
        manifest = settings.output_dir / prior / MANIFEST_FILE
        if manifest.is_file():
            out.append([prior, hashlib.sha256(manifest.read_bytes()).hexdigest()])
    return out


# A balance sheet's and an income statement's comparative columns (statement_columns.py).
COMPARATIVES = frozenset({"prior_year_end", "prior_year_ytd"})


@dataclass(frozen=True)
class FigureLinks:
    """The links of a statement page's comparative figures: per statement
    kind, ``link(column index, account)`` ('' for this period's columns), or
    None when no comparative column's pack is there; ``unlinked`` the
    comparative columns whose pack is not."""

    links: dict[str, Callable[[int, str], str] | None]
    unlinked: tuple[Column, ...]

    def notes(self, language: str, text: Callable[[str], str]) -> list[str]:
        """What the page says of each column left unlinked."""
        return [
            text("unlinked").format(period=c.period, months=c.span(language)) for c in self.unlinked
        ]


def figure_links(
    packs: PriorPacks, statements: Sequence[Statement], page: str, worksheet: bool
) -> FigureLinks:
    """The links of the comparative figures of the statements on ``page``
    (``nodes/N`` or ``entities/E``, under html/, without ``.html``): an
    account's figure links to that account's page in its period's pack
    (``page/ACCOUNT.html``), else to the statement page there (a node's at
    the account's ``worksheet`` line, where a summary account's posting
    accounts are listed with their links)."""
    links: dict[str, Callable[[int, str], str] | None] = {}
    unlinked: dict[str, Column] = {}
    for statement in statements:
        linked = {}
        for index, column in enumerate(statement.columns):
            if column.key not in COMPARATIVES:
                continue
            if packs.exists(column.period):
                linked[index] = column.period
            else:
                unlinked.setdefault(column.period, column)

        def link(index: int, account: str, linked: dict[int, str] = linked) -> str:
            period = linked.get(index)
            if period is None:
                return ""
            code = slug(account)
            return packs.href(period, f"{page}/{code}.html") or packs.href(
                period, f"{page}.html", f"#ws-{code}" if worksheet else ""
            )

        links[statement.kind] = link if linked else None
    return FigureLinks(links, tuple(unlinked[p] for p in sorted(unlinked)))

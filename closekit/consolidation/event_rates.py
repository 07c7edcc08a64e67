"""The closing rates of P-1 the period's events need (SPEC 14: "a rate an
event needs (closing of P-1) is part of the fx_rates check"; IFRS 3.32,
IFRS 10.B98, IAS 28.22, IAS 21.47).

- an acquisition (a sub-group's members included) measures its net assets
  and goodwill at closing(S, P-1), its consideration at closing(Q, P-1);
- a loss of control keeping a stake, and the end of equity accounting
  keeping one, measure the stake at ``fair_value`` x closing(S, P-1).

Both the ``fx_rates`` check and consolidation read :func:`missing_event_rates`;
consolidation refuses before measuring anything, naming each event by the
ownership.csv row that makes it (``path:row column: message``, formatted
by :func:`closekit.errors.format_problem`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from closekit.consolidation.structure import PeriodStructure
from closekit.consolidation.translation import MissingTranslationRate
from closekit.errors import Problem, format_problem
from closekit.periods import previous
from closekit.workspace import Settings

if TYPE_CHECKING:
    import duckdb

_WHAT = {
    "acquisition": "the acquisition of",
    "loss_of_control": "the loss of control of",
    "equity_end": "the end of equity accounting of",
}


@dataclass(frozen=True)
class EventRate:
    """A closing rate an event of ``event_period`` needs: ``currency`` at
    ``period`` (P-1), for ``event`` (in words), made by the master row
    ``origin`` ("master/ownership.csv:4")."""

    currency: str
    period: str
    event: str
    origin: str
    event_period: str

    def problem(self) -> Problem:
        path, _, row = self.origin.rpartition(":")
        column = "from" if path.endswith("ownership.csv") else ""
        return Problem(
            path,
            int(row) if row.isdigit() else None,
            column,
            f"{self.event} in {self.event_period} needs the {self.currency} closing rate of "
            f"{self.period}, which master/fx_rates.csv does not give",
        )


class MissingEventRate(MissingTranslationRate):
    """An event of the period needs a closing rate of P-1 that fx_rates.csv
    lacks (exit 2); one line per event."""

    def __init__(self, missing: list[EventRate]) -> None:
        self.problems = tuple(m.problem() for m in missing)
        super().__init__("; ".join(format_problem(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [format_problem(p) for p in self.problems]


def _needed(structure: PeriodStructure) -> list[tuple[str, str, str, str]]:
    """(entity whose currency, P-1, event in words, origin) for every rate
    the period's events read."""
    prior = structure.previous
    if prior is None:
        return []
    needed = []
    for e in structure.events:
        what = _WHAT.get(e.kind)
        if what is None:
            continue
        event = f"{what} {e.entity}"
        if e.kind == "acquisition":
            # acquisition.py measures at the calendar month before P
            before = previous(structure.period)
            needed.append((e.entity, before, event, e.after.origin))
            if not e.sub_group_of:
                needed.append((e.holder, before, event, e.after.origin))
        elif not e.sub_group_of and e.after.ownership > 0:
            needed.append((e.entity, prior, event, e.after.origin))
    return needed


def missing_event_rates(
    settings: Settings, con: duckdb.DuckDBPyConnection, structure: PeriodStructure
) -> list[EventRate]:
    """The closing rates of P-1 the period's events need that fx_rates.csv
    lacks (the group currency needs none), one per currency and event."""
    currency = dict(con.execute("SELECT entity, currency FROM entity").fetchall())
    rates = set(
        con.execute("SELECT currency, period FROM fx_rate WHERE closing IS NOT NULL").fetchall()
    )
    missing: list[EventRate] = []
    for entity, period, event, origin in _needed(structure):
        code = currency.get(entity, settings.currency)
        need = EventRate(code, period, event, origin, structure.period)
        if code != settings.currency and (code, period) not in rates and need not in missing:
            missing.append(need)
    return missing


def require_event_rates(
    settings: Settings, con: duckdb.DuckDBPyConnection, structure: PeriodStructure
) -> None:
    """Refuse the consolidation when an event lacks its rate (exit 2)."""
    missing = missing_event_rates(settings, con, structure)
    if missing:
        raise MissingEventRate(missing)

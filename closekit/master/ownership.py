"""ownership.csv (SPEC 14, 15.4): the group structure over time.

From period ``from`` on, until the entity's next row, a row gives the
entity's direct parent, the parent's holding and the method; entities.csv
gives the state before an entity's first row. :func:`holdings_at` is the one
place that turns those rows into the structure of a period: master data
validation uses it to prove the structure is a tree in every period, and
consolidation uses it to find members and events.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from closekit.errors import PeriodError, Problem
from closekit.master.records import (
    RATE_PLACES,
    MasterRows,
    Row,
    check_enum,
    decimal_value,
    places,
)
from closekit.periods import parse_period
from closekit.workspace import SETTINGS_FILE, Settings

METHODS = ("full", "equity", "none")
PCT_PLACES = 6
MIGRATION_COLUMNS = (
    "pre_acquisition_equity",
    "pre_acquisition_cta",
    "acquisition_rate",
    "goodwill",
    "nci_opening",
)
AMOUNT_COLUMNS = ("nci_fair_value", "fair_value", *MIGRATION_COLUMNS)


@dataclass(frozen=True)
class Holding:
    """An entity's place in the structure from some period on.

    parent: the direct parent ('' for the top entity, or a `none` row held by
        nobody). ownership: the parent's direct holding in percent.
    method: full | equity | none. origin: ``path:row`` of the master row.
    """

    parent: str
    ownership: Decimal
    method: str
    origin: str


def holdings_at(
    base: dict[str, Holding], rows: dict[str, list[tuple[str, Holding]]], period: str
) -> dict[str, Holding]:
    """Every entity's holding in force at ``period``: its latest ownership row
    with ``from`` <= period, else its entities.csv state (``base``).
    ``rows`` are by entity, sorted by ``from``."""
    state = dict(base)
    for entity, dated in rows.items():
        for start, holding in dated:
            if start > period:
                break
            state[entity] = holding
    return state


def _amount(row: Row, column: str, problems: list[Problem]) -> Decimal | None:
    text = row.get(column)
    if not text:
        return None
    value = decimal_value(text)
    limit = RATE_PLACES if column == "acquisition_rate" else 2
    if value is None:
        problems.append(row.problem(column, f'"{text}" is not a number'))
    elif places(value) > limit:
        problems.append(row.problem(column, f"{text} has more than {limit} decimal places"))
    elif column == "acquisition_rate" and value <= 0:
        problems.append(row.problem(column, f"{text} is not positive"))
    else:
        return value
    return None


def _pct(row: Row, method: str, problems: list[Problem]) -> Decimal:
    text = row.get("ownership_pct")
    value = decimal_value(text) if text else (Decimal(0) if method == "none" else None)
    if value is None:
        problems.append(row.problem("ownership_pct", f'"{text}" is not a number (0 < x <= 100)'))
        return Decimal(0)
    low_ok = value >= 0 if method == "none" else value > 0
    if not low_ok or value > 100:
        bounds = "0 <= x <= 100" if method == "none" else "0 < x <= 100"
        problems.append(row.problem("ownership_pct", f"{value} is not within {bounds}"))
    elif places(value) > PCT_PLACES:
        problems.append(
            row.problem("ownership_pct", f"{value} has more than {PCT_PLACES} decimal places")
        )
    return value


@dataclass(frozen=True)
class _Parsed:
    row: Row
    entity: str
    start: str
    holding: Holding
    amounts: dict[str, Decimal | None]


def _parse(row: Row, entities: set[str], top: str, problems: list[Problem]) -> _Parsed | None:
    entity = row.get("entity")
    if not entity:
        problems.append(row.problem("entity", "is required"))
        return None
    if entity not in entities:
        problems.append(row.problem("entity", f'unknown entity "{entity}"'))
        return None
    if entity == top:
        problems.append(
            row.problem("entity", f"{entity} is the top entity; it has no ownership rows")
        )
        return None
    try:
        start = parse_period(row.get("from"))
    except PeriodError:
        problems.append(row.problem("from", f'"{row.get("from")}" is not a period (YYYY-MM)'))
        return None
    method = check_enum(row, "method", METHODS, problems, default="full")
    parent = row.get("parent")
    if parent and parent not in entities:
        problems.append(row.problem("parent", f'unknown entity "{parent}"'))
    elif parent == entity:
        problems.append(row.problem("parent", f"{entity} cannot hold itself"))
    elif not parent and method != "none":
        problems.append(row.problem("parent", f"a {method} row needs the parent that holds it"))
    pct = _pct(row, method, problems)
    amounts = {c: _amount(row, c, problems) for c in AMOUNT_COLUMNS}
    holding = Holding(parent, pct, method, f"{row.path}:{row.row}")
    return _Parsed(row, entity, start, holding, amounts)


def _event_checks(p: _Parsed, before: Holding, settings: Settings, problems: list[Problem]) -> None:
    """What the change from ``before`` to this row implies (SPEC 14, 15.1,
    16.1, 20): a fair value where a stake is remeasured, an [accounts] key
    for the event's entries, and no restructuring under common control."""
    now = p.holding
    what = f"{p.entity} from {p.start}"
    if before.method == "full" and now.method == "full" and before.parent != now.parent:
        problems.append(
            p.row.problem(
                "parent",
                f"{what} changes parent from {before.parent} to {now.parent} while consolidated "
                "(restructuring under common control is not supported in v2)",
            )
        )
    held_before = before.parent == now.parent and before.ownership > 0
    needs_fair_value = (
        # step acquisition: the previously held interest is remeasured (IFRS 3.42)
        (now.method == "full" and before.method != "full" and held_before)
        # loss of control or end of significant influence keeping a stake (IFRS 10.25(b))
        or (
            before.method in ("full", "equity")
            and now.method != before.method
            and now.method != "full"
            and now.ownership > 0
        )
    )
    if needs_fair_value and p.amounts["fair_value"] is None:
        problems.append(
            p.row.problem(
                "fair_value", f"{what} remeasures a held stake; its fair value is required"
            )
        )
    needed: list[tuple[str, str]] = []
    if before.method == "full" and now.method == "full" and before.ownership != now.ownership:
        needed.append(("ownership_changes", "a change in ownership"))
    if before.method == "full" and now.method != "full":
        needed.append(("disposal_gain", "a loss of control"))
    if now.method == "equity" or (before.method == "equity" and now.method != "equity"):
        needed.append(("associate_result", "equity accounting"))
    if before.method == "equity" and now.method == "none":
        needed.append(("disposal_gain", "the end of equity accounting"))
    for key, event in needed:
        if getattr(settings.accounts, key) is None:
            problems.append(
                p.row.problem(
                    "method",
                    f"{what} is {event}; set [accounts] {key} in {SETTINGS_FILE}",
                )
            )


def _migration_checks(p: _Parsed, first_period: str | None, problems: list[Problem]) -> None:
    given = [c for c in MIGRATION_COLUMNS if p.amounts[c] is not None]
    if given and p.start != first_period:
        problems.append(
            p.row.problem(
                given[0],
                f"migration columns are allowed only on a row whose from is the first period"
                f" ({first_period or 'no period folder yet'})",
            )
        )
    elif given and p.holding.method == "full":
        for column in ("pre_acquisition_equity", "acquisition_rate"):
            if p.amounts[column] is None:
                problems.append(p.row.problem(column, "is required on a migration row"))


def _tree_checks(
    base: dict[str, Holding], dated: dict[str, list[tuple[str, Holding]]], problems: list[Problem]
) -> None:
    """The structure must be a tree in every period in which it changes."""
    for period in sorted({start for rows in dated.values() for start, _ in rows}):
        state = holdings_at(base, dated, period)
        for entity, holding in sorted(state.items()):
            seen = [entity]
            cursor = holding.parent
            while cursor and cursor not in seen:
                seen.append(cursor)
                cursor = state[cursor].parent if cursor in state else ""
            if cursor:
                path, row = holding.origin.rsplit(":", 1)
                problems.append(
                    Problem(
                        path,
                        int(row),
                        "parent",
                        f"in {period} the structure is no tree: " + " -> ".join([*seen, cursor]),
                    )
                )
                return


def ownership(
    m: MasterRows,
    base: dict[str, Holding],
    top: str,
    first_period: str | None,
    settings: Settings,
) -> list[tuple[object, ...]]:
    """Validate ownership.csv against entities.csv's structure (``base``)."""
    problems = m.problems
    parsed: list[_Parsed] = []
    seen: dict[tuple[str, str], Row] = {}
    for row in m.rows.get("ownership", []):
        p = _parse(row, set(base), top, problems)
        if p is None:
            continue
        key = (p.entity, p.start)
        if key in seen:
            problems.append(
                row.problem(
                    "from", f"{p.entity} {p.start} appears twice (first on row {seen[key].row})"
                )
            )
            continue
        seen[key] = row
        parsed.append(p)
    parsed.sort(key=lambda p: (p.entity, p.start))
    dated: dict[str, list[tuple[str, Holding]]] = {}
    for p in parsed:
        rows = dated.setdefault(p.entity, [])
        before = rows[-1][1] if rows else base[p.entity]
        # A row in force at the first period is the opening structure, not an
        # event: no period before it consolidated entities.csv's holding.
        if first_period is None or p.start > first_period:
            _event_checks(p, before, settings, problems)
        _migration_checks(p, first_period, problems)
        rows.append((p.start, p.holding))
    for entity, holding in base.items():
        if holding.method == "equity" and settings.accounts.associate_result is None:
            path, line = holding.origin.rsplit(":", 1)
            problems.append(
                Problem(
                    path,
                    int(line),
                    "method",
                    f"{entity} is equity-accounted; set [accounts] associate_result"
                    f" in {SETTINGS_FILE}",
                )
            )
    _tree_checks(base, dated, problems)
    return [
        (
            p.entity,
            p.start,
            p.holding.parent,
            p.holding.ownership,
            p.holding.method,
            *(p.amounts[c] for c in AMOUNT_COLUMNS),
            p.row.path,
            p.row.row,
        )
        for p in parsed
    ]

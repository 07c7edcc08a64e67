"""``master/ic_margins.csv`` (SPEC 18.1): a group seller's gross margin on
intra-group goods, percent of the selling price, from a period on.

Consolidation (closekit.consolidation.urp) takes, for a seller and a period,
the row with the latest ``period`` at or before it; a seller without such a
row has no margin and its goods carry no unrealised profit.
"""

from __future__ import annotations

from decimal import Decimal

from closekit.errors import PeriodError, Problem
from closekit.master.records import MasterRows, Row, decimal_value, places
from closekit.periods import parse_period

MARGIN_PLACES = 4
LIMIT = Decimal(100)


def _margin(row: Row, problems: list[Problem]) -> Decimal | None:
    text = row.get("margin_pct")
    value = decimal_value(text)
    if value is None:
        problems.append(row.problem("margin_pct", f'"{text}" is not a number (-100 < x < 100)'))
        return None
    if not -LIMIT < value < LIMIT:
        problems.append(row.problem("margin_pct", f"{value} is not within -100 < x < 100"))
        return None
    if places(value) > MARGIN_PLACES:
        problems.append(
            row.problem("margin_pct", f"{value} has more than {MARGIN_PLACES} decimal places")
        )
        return None
    return value


def ic_margins(m: MasterRows, entities: set[str], has_account: bool) -> list[tuple[object, ...]]:
    """The rows of ``ic_margin``: (period, seller, margin_pct, path, row_no).

    has_account: ``[accounts] unrealised_profit`` is set; a margin needs it
    (the account the movement of unrealised profit is booked to).
    """
    out: list[tuple[object, ...]] = []
    seen: dict[tuple[str, str], Row] = {}
    for row in m.rows.get("ic_margins", []):
        problems = m.problems
        before = len(problems)
        try:
            period = parse_period(row.get("period"))
        except PeriodError:
            text = row.get("period")
            problems.append(row.problem("period", f'"{text}" is not a period (YYYY-MM)'))
            period = ""
        seller = row.get("seller")
        if seller not in entities:
            problems.append(row.problem("seller", f'unknown entity "{seller}"'))
        margin = _margin(row, problems)
        if period and seller in entities:
            first = seen.setdefault((seller, period), row)
            if first is not row:
                problems.append(
                    row.problem(
                        "period",
                        f"seller {seller} already has a margin from {period} "
                        f"({first.path}:{first.row})",
                    )
                )
        if len(problems) == before and margin is not None:
            out.append((period, seller, margin, row.path, row.row))
    if out and not has_account:
        first_row = m.rows["ic_margins"][0]
        m.problems.append(
            first_row.problem(
                "",
                "margins need [accounts] unrealised_profit in closekit.toml "
                "(the P&L account unrealised profit moves through, SPEC 18.1)",
            )
        )
    return out

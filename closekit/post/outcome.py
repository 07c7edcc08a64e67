"""What a post wrote, per period: :class:`PostReport`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class PostedLines:
    """Journal lines one module posted for one entity in the period."""

    entity: str
    module: str
    lines: int


@dataclass(frozen=True)
class EntityTotal:
    """An entity's functional trial balance total at the period: always 0.00."""

    entity: str
    total: Decimal


@dataclass(frozen=True)
class PostReport:
    """What :func:`closekit.post.post_period` wrote.

    period: the posted period.
    posted: the entities whose lines were rebuilt.
    kept: the entities whose lines were kept, their inputs unchanged since
        the period was last posted (none after a full post).
    lines: journal lines per entity and module (module ``revaluation`` included).
    totals: every entity's trial balance total (year-to-date), which is zero.
    """

    period: str
    posted: tuple[str, ...]
    kept: tuple[str, ...]
    lines: tuple[PostedLines, ...]
    totals: tuple[EntityTotal, ...]

    @property
    def revaluation_lines(self) -> int:
        return sum(p.lines for p in self.lines if p.module == "revaluation")

    def entity_lines(self, entity: str, module: str | None = None) -> int:
        """Lines posted for ``entity`` (of one ``module`` when given)."""
        return sum(
            p.lines
            for p in self.lines
            if p.entity == entity and (module is None or p.module == module)
        )


def reports(
    con: duckdb.DuckDBPyConnection, posted: Mapping[str, Sequence[str]]
) -> list[PostReport]:
    """The report of each period of ``posted`` (period -> entities rebuilt),
    in period order, read back from the journal and its period totals."""
    periods = sorted(posted)
    entities = [e for (e,) in con.execute("SELECT entity FROM entity ORDER BY entity").fetchall()]
    lines = con.execute(
        """SELECT period, entity, module, count(*) FROM journal
           WHERE period BETWEEN $first AND $last
           GROUP BY ALL ORDER BY ALL""",
        {"first": periods[0], "last": periods[-1]},
    ).fetchall()
    # A trial balance's total is the sum of every line through the period:
    # the fiscal-year roll only moves amounts between the entity's accounts.
    totals = con.execute(
        """SELECT p.period, t.entity, sum(t.amount)::DECIMAL(18, 2)
           FROM unnest($periods::VARCHAR[]) p(period)
           JOIN journal_total t ON t.period <= p.period
           WHERE t.period <= $last
           GROUP BY ALL ORDER BY ALL""",
        {"periods": periods, "last": periods[-1]},
    ).fetchall()
    return [
        PostReport(
            period=period,
            posted=tuple(posted[period]),
            kept=tuple(e for e in entities if e not in posted[period]),
            lines=tuple(PostedLines(e, m, n) for p, e, m, n in lines if p == period),
            totals=tuple(EntityTotal(e, t) for p, e, t in totals if p == period),
        )
        for period in periods
    ]

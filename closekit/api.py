"""closekit from Python, for analysts: the close's steps and its queries, with
answers as polars DataFrames whose money is exact (``pl.Decimal``, never a
float).

    import closekit
    ws = closekit.open("mygroup")
    ws.close("2026-10..2026-11")
    tb = ws.tb("2026-11", node="CN00")
    tb.filter(pl.col("type") == "revenue")["amount"].sum()

Every method opens the workspace database for its own call and closes it,
so a notebook never holds the workspace busy between cells. The queries
are those of the CLI (:mod:`closekit.queries`): a DataFrame has the columns
and rows of the same command's CSV. A query is a few lines here: the
query function and its arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

from closekit import close_status, db, pipeline, queries, status
from closekit.ledger import Basis
from closekit.periods import parse_range
from closekit.queries import Column, Table
from closekit.workspace import Settings, find_workspace, load_settings

T = TypeVar("T")

# Exact decimals: money with two places, shares and rates with eighteen.
_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "int": pl.Int64(),
    "bool": pl.Boolean(),
    "float": pl.Float64(),
    "money": pl.Decimal(38, 2),
    "decimal": pl.Decimal(38, 18),
    "date": pl.Date(),
}


def frame(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> pl.DataFrame:
    """Rows as a DataFrame with one typed column each (exact decimals)."""
    return pl.DataFrame(
        {
            c.name: pl.Series(c.name, [row[i] for row in rows], dtype=_DTYPES[c.kind])
            for i, c in enumerate(columns)
        }
    )


def to_polars(table: Table) -> pl.DataFrame:
    """A query's table as a DataFrame: its columns and rows, as the CSV has them."""
    return frame(table.columns, table.rows)


class Workspace:
    """One closekit workspace (SPEC section 2)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __repr__(self) -> str:
        return f"closekit.Workspace({str(self.settings.root)!r})"

    @property
    def root(self) -> Path:
        return self.settings.root

    # ---- plumbing -------------------------------------------------------

    def _read(self, ask: Callable[[Settings, duckdb.DuckDBPyConnection], T]) -> T:
        con = db.connect(self.settings, read_only=True)
        try:
            return ask(self.settings, con)
        finally:
            con.close()

    def _query(self, ask: Callable[[Settings, duckdb.DuckDBPyConnection], Table]) -> pl.DataFrame:
        return to_polars(self._read(ask))

    def periods(self, periods: str) -> list[str]:
        """``YYYY-MM`` or ``FIRST..LAST`` -> the periods with a folder, in order."""
        return pipeline.periods_between(self.settings, *parse_range(periods))

    # ---- the close --------------------------------------------------------

    def close(
        self, periods: str, full: bool = False, reports: pipeline.Reports = "all"
    ) -> pl.DataFrame:
        """Close a period or a range ``FIRST..LAST`` in order (reports for
        ``all`` periods, the ``last``, or ``none``); one row a period: clean,
        draft, rows read and rejected, checks failed and warned, seconds, and
        where its reports are. Raises ClosekitError on a refusal (a range's
        names the period, the ones before it stay closed)."""
        if reports not in pipeline.REPORTS:
            raise ValueError(f"reports must be one of {pipeline.REPORTS}, not {reports!r}")
        done = pipeline.close_range(self.settings, self.periods(periods), full, reports)
        columns = (
            Column("period"),
            Column("clean", "bool"),
            Column("draft", "bool"),
            Column("rows_read", "int"),
            Column("rows_rejected", "int"),
            Column("checks_failed"),
            Column("checks_warned"),
            Column("seconds", "float"),
            Column("reports"),
        )
        rows = [
            (
                r.period,
                r.clean,
                r.draft,
                sum(f.read for f in r.load.files),
                sum(f.rejected for f in r.load.files),
                ",".join(c.check for c in r.checks if c.status == "fail"),
                ",".join(c.check for c in r.checks if c.status == "warn"),
                round(sum(r.seconds.values()), 3),
                self.settings.relative(r.reports.out_dir) if r.reports else "",
            )
            for r in done
        ]
        return frame(columns, rows)

    def checks(self, period: str) -> pl.DataFrame:
        """The period's recorded check results (SPEC section 9): check, status, detail."""

        def ask(s: Settings, con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
            status.require_period_folder(s, period)
            return con.execute(
                "SELECT check_id, status, detail FROM check_result WHERE period = ? ORDER BY seq",
                [period],
            ).fetchall()

        return frame((Column("check"), Column("status"), Column("detail")), self._read(ask))

    def status(self) -> pl.DataFrame:
        """Where each period's close stands (as ``closekit status``): stage,
        result (final or DRAFT), rows read and rejected, checks failed and
        warned, locked, stale, inputs changed since the close."""
        states, _ = self._read(lambda s, con: close_status.period_states(s, con))
        columns = (
            Column("period"),
            Column("stage"),
            Column("result"),
            Column("rows_read", "int"),
            Column("rows_rejected", "int"),
            Column("checks_failed"),
            Column("checks_warned"),
            Column("locked_at"),
            Column("stale_reason"),
            Column("inputs_changed"),
        )
        rows = [
            (
                p.period,
                p.stage,
                p.result,
                p.rows_read,
                p.rows_rejected,
                ",".join(p.checks_failed),
                ",".join(p.checks_warned),
                p.locked_at or "",
                p.stale_reason or "",
                "; ".join(p.inputs_changed),
            )
            for p in states
        ]
        return frame(columns, rows)

    # ---- queries: each as the CLI command of the same name ---------------

    def tb(
        self,
        period: str,
        entity: str | None = None,
        node: str | None = None,
        currency: str | None = None,
        basis: Basis = "ytd",
    ) -> pl.DataFrame:
        """Trial balance (``closekit tb``): account, name, type, amount."""
        return self._query(lambda s, c: queries.tb(s, c, period, entity, node, currency, basis))

    def drill(
        self,
        period: str,
        account: str,
        entity: str | None = None,
        node: str | None = None,
        profit_center: str | None = None,
        cost_center: str | None = None,
    ) -> pl.DataFrame:
        """The lines behind a balance (``closekit drill``), with their source ``file:row``."""
        return self._query(
            lambda s, c: queries.drill(
                s, c, period, account, entity, node, profit_center, cost_center
            )
        )

    def flows(
        self, period: str, node: str | None = None, account: str | None = None
    ) -> pl.DataFrame:
        """The flows of every balance-sheet key of a node (default: the group)
        from the prior fiscal year end (``closekit flows``): node, entity,
        account, partner, flow, amount; ``account`` keeps it and the accounts
        under it. Per key, opening + flows = closing."""
        return self._query(lambda s, c: queries.flows(s, c, period, node, account))

    def bu(self, period: str) -> pl.DataFrame:
        """Management P&L by business unit and profit center (``closekit bu --format csv``)."""
        return self._query(lambda s, c: queries.bu(s, c, period))

    def allocations(self, period: str) -> pl.DataFrame:
        """The month's allocation postings, shares exact (``closekit bu --allocations``)."""
        return self._query(lambda s, c: queries.allocations(s, c, period))

    def costcenters(self, period: str) -> pl.DataFrame:
        """Cost by department, cost center and account (``closekit costcenters``)."""
        return self._query(lambda s, c: queries.costcenters(s, c, period))


def open_workspace(path: str | Path | None = None) -> Workspace:
    """The workspace at ``path``; without one, ``CLOSEKIT_WORKSPACE`` or the
    nearest folder holding closekit.toml from the current one up."""
    root = Path(path).resolve() if path is not None else find_workspace(None)
    return Workspace(load_settings(root))

"""The columns of the management view (SPEC section 8): month, year to date
and prior month, each labelled with the months it covers, and whether a
month can be told apart at all. The view's figures are differences of the
group members' finished year-to-date balances, so in the first period,
when the members brought the year to date forward in opening rows, its
month (and the month before it) is not known and is left blank."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from closekit.consolidation import consolidation_nodes
from closekit.periods import fiscal_year_start, previous
from closekit.report import labels
from closekit.report.sources import LedgerBalances, node_month_known
from closekit.report.statement_columns import Column
from closekit.workspace import Settings


@dataclass(frozen=True)
class VerticalColumns:
    """month, ytd, prior month; whether the month and prior month are known."""

    columns: tuple[Column, Column, Column]
    month_known: bool
    prior_known: bool

    @property
    def known(self) -> tuple[bool, bool, bool]:
        return self.month_known, True, self.prior_known

    def notes(self, language: str) -> list[str]:
        """Why a column is blank."""
        month, _ytd, prior = self.columns
        return [
            labels.text(language, "month_unknown").format(column.span(language))
            for column, known in ((month, self.month_known), (prior, self.prior_known))
            if not known
        ]


def vertical_columns(
    con: duckdb.DuckDBPyConnection, settings: Settings, ledger: LedgerBalances, period: str
) -> VerticalColumns:
    nodes = consolidation_nodes(con, period)
    top = nodes[0] if nodes else ""
    prior = previous(period)
    columns = (
        Column("month", period, period),
        Column("ytd", period, fiscal_year_start(period, settings.fiscal_year_start)),
        Column("prior_month", prior, prior),
    )
    return VerticalColumns(
        columns,
        node_month_known(con, settings, ledger, top, period),
        node_month_known(con, settings, ledger, top, prior),
    )

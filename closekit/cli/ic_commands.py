"""`closekit ic PERIOD` (SPEC section 20): intercompany reconciliation by document."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from closekit import db
from closekit.cli.base import (
    EXIT_OK,
    Context,
    echo_csv,
    echo_json,
    echo_table,
    format_option,
    handles_errors,
    main,
    period_argument,
)

if TYPE_CHECKING:  # the command imports the consolidation step when it runs
    from closekit.consolidation.reconciliation_records import ICLine, ICReconciliation, PlugTotal

__all__ = ["main"]

# The CSV: one row per line, the pair in the first two columns.
CSV_HEADER = (
    "entity",
    "partner",
    "plug_account",
    "source",
    "ic_ref",
    "status",
    "missing_side",
    "date",
    "age_days",
    "entity_doc_ids",
    "partner_doc_ids",
    "entity_currency",
    "entity_amount_doc",
    "partner_currency",
    "partner_amount_doc",
    "difference_doc",
    "entity_amount",
    "partner_amount",
    "difference",
)


def _cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def csv_rows(pairs: Sequence[ICReconciliation]) -> list[list[Any]]:
    rows = []
    for pair in pairs:
        for line in pair.lines:
            record = line.as_json()
            rows.append([pair.entity, pair.partner, *(_cell(record[c]) for c in CSV_HEADER[2:])])
    return rows


def _table_row(line: ICLine) -> list[Any]:
    what = line.status if line.source == "document" else line.source
    return [
        what,
        line.ic_ref,
        _cell(line.date),
        _cell(line.age_days),
        line.entity_currency or line.partner_currency,
        _cell(line.entity_amount_doc),
        _cell(line.partner_amount_doc),
        _cell(line.difference_doc),
        line.entity_amount,
        line.partner_amount,
        line.difference,
    ]


def _total_row(plug: PlugTotal) -> list[Any]:
    return ["total", *[""] * 7, plug.entity_side, plug.partner_side, plug.difference]


def echo_pairs(pairs: Sequence[ICReconciliation], currency: str) -> None:
    """Per pair and plug: the balances, then the lines that explain them."""
    if not pairs:
        click.echo("No intercompany pair has a balance or a document on a matching account.")
    for n, pair in enumerate(pairs):
        if n:
            click.echo("")
        counts = pair.counts()
        click.echo(
            f"{pair.entity} / {pair.partner} at {pair.node}, {pair.period}: "
            f"{counts['matched']} matched, {counts['amount_differs']} amount differs, "
            f"{counts['one_side_only']} one side only ({currency})"
        )
        for plug in pair.plugs:
            kind = "matching account" if plug.checked else "elimination target, not checked"
            click.echo(
                f"  plug {plug.plug_account} ({kind}): {pair.entity} {plug.entity_side}, "
                f"{pair.partner} {plug.partner_side}, difference {plug.difference}"
            )
            lines = pair.lines_of(plug.plug_account)
            if not lines:
                continue
            echo_table(
                [
                    "status / source",
                    "ic_ref",
                    "date",
                    "age",
                    "currency",
                    f"{pair.entity} (doc)",
                    f"{pair.partner} (doc)",
                    "difference (doc)",
                    pair.entity,
                    pair.partner,
                    "difference",
                ],
                [*(_table_row(line) for line in lines), _total_row(plug)],
                right=(3,),
            )


@main.command("ic")
@period_argument
@click.option("--pair", help="One pair, as ENTITY/PARTNER (either order).")
@click.option("--node", help="Reconcile the pairs of this node's members (default: the group).")
@click.option(
    "--all-plugs",
    is_flag=True,
    help="Also plug accounts that are plain elimination targets (no ic_difference role).",
)
@format_option("table", "csv", "json")
@click.pass_obj
@handles_errors
def ic_command(
    obj: Context, period: str, pair: str | None, node: str | None, all_plugs: bool, fmt: str
) -> int:
    """Intercompany reconciliation of PERIOD, document by document: per pair,
    every intra-group invoice of either side (matched, amount differs, one
    side only) and the lines not based on a document, adding up to the pair's
    difference on each matching account."""
    from closekit.consolidation.reconciliation import intercompany_reconciliation

    settings = obj.settings()
    con = db.connect(settings, read_only=True)
    try:
        pairs = intercompany_reconciliation(con, settings, period, node, pair, all_plugs)
    finally:
        con.close()
    if fmt == "json":
        echo_json([p.as_json() for p in pairs])
    elif fmt == "csv":
        echo_csv(CSV_HEADER, csv_rows(pairs))
    else:
        echo_pairs(pairs, settings.currency)
    return EXIT_OK

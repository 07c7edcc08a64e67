"""`closekit structure PERIOD` (SPEC 14): the group tree with direct and
effective holdings and the period's events. A query command: exit 0."""

from __future__ import annotations

import dataclasses

import click

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

__all__ = ["main"]

_EVENT_HEADER = (
    "event",
    "entity",
    "holder",
    "sub-group of",
    "before %",
    "after %",
    "net assets",
    "consideration",
    "NCI",
    "goodwill (fc)",
    "goodwill",
    "gain",
    "CTA reclassified",
)


@main.command()
@period_argument
@click.option("--node", default=None, help="Show the tree below this entity (default the group).")
@format_option("table", "csv", "json")
@click.pass_obj
@handles_errors
def structure(obj: Context, period: str, node: str | None, fmt: str) -> int:
    """The group structure at PERIOD: holdings and the period's events."""
    from closekit import db  # imported when the command runs (closekit --help stays fast)
    from closekit.consolidation.events import structure_view

    settings = obj.settings()
    con = db.connect(settings, read_only=True)
    try:
        view = structure_view(settings, con, period, node)
    finally:
        con.close()
    if fmt == "json":
        echo_json(dataclasses.asdict(view))
        return EXIT_OK
    rows = [
        [
            "  " * line.depth + line.entity,
            line.name,
            line.parent,
            line.method,
            f"{line.direct:.2f}",
            f"{line.effective:.4f}",
            line.origin,
        ]
        for line in view.entities
    ]
    header = ["entity", "name", "parent", "method", "direct %", "effective %", "origin"]
    events = [
        [
            e.kind,
            e.entity,
            e.holder,
            e.sub_group_of,
            f"{e.before:.2f}",
            f"{e.after:.2f}",
            # what the event did not measure is blank, not "None"
            *("" if v is None else v for v in (e.net_assets, e.consideration, e.nci)),
            *("" if v is None else v for v in (e.goodwill_fc, e.goodwill, e.gain)),
            "" if e.cta_reclassified is None else e.cta_reclassified,
        ]
        for e in view.events
    ]
    if fmt == "csv":
        # one table: each entity with the kinds of its events in the period
        kinds: dict[str, list[str]] = {}
        for e in view.events:
            kinds.setdefault(e.entity, []).append(e.kind)
        echo_csv(
            [*header, "events"],
            [
                [line.entity, *row[1:], " ".join(kinds.get(line.entity, []))]
                for line, row in zip(view.entities, rows, strict=True)
            ],
        )
        return EXIT_OK
    click.echo(f"structure at {view.period} below {view.node}")
    echo_table(header, rows, right=(4, 5))
    click.echo("")
    if events:
        echo_table(_EVENT_HEADER, events, right=(4, 5))
    else:
        click.echo(f"no events in {view.period}")
    return EXIT_OK

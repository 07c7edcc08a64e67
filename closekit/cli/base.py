"""What every command shares: the group, the workspace option, exit codes, output.

Exit codes (SPEC section 11): 0 success; 1 the work ran but its result is not
clean; 2 closekit refused or could not start (raised as ClosekitError). One
decorator, :func:`handles_errors`, owns that mapping; commands return the
exit code of their result.
"""

from __future__ import annotations

import functools
import importlib
import io
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from closekit import __version__, db, progress
from closekit.errors import ClosekitError
from closekit.periods import parse_period, parse_range
from closekit.workspace import Settings, find_workspace, load_settings

# The library is imported when a command runs (closekit.pipeline by
# run_steps, a command's own modules in its body): ``closekit --help``
# imports no step and no DuckDB, and a command only what it runs.
if TYPE_CHECKING:
    import duckdb

    from closekit.pipeline import Ahead, Step
    from closekit.queries import Table

EXIT_OK, EXIT_NOT_CLEAN, EXIT_REFUSED = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """The ``-w/--workspace`` option; the workspace is looked for only by the
    commands that need one (``init``, ``sample`` and ``verify`` do not)."""

    option: str | None

    @property
    def root(self) -> Path:
        return find_workspace(self.option)

    def settings(self) -> Settings:
        return load_settings(self.root)


# Each command's module, imported when the command is asked for (named on the
# command line, or listed by --help): ``closekit tb`` imports ledger_commands
# and nothing of load, close or report. tests/test_cli_imports.py checks this
# table against the commands the modules register.
COMMANDS = {
    "bu": "management_commands",
    "check": "close_commands",
    "close": "close_commands",
    "consolidate": "consolidation_commands",
    "costcenters": "management_commands",
    "drill": "ledger_commands",
    "flows": "statements_commands",
    "ic": "ic_commands",
    "init": "workspace_commands",
    "load": "load_commands",
    "lock": "load_commands",
    "log": "report_commands",
    "manage": "management_commands",
    "post": "ledger_commands",
    "reopen": "load_commands",
    "report": "report_commands",
    "sample": "workspace_commands",
    "status": "load_commands",
    "structure": "structure_commands",
    "tb": "ledger_commands",
    "verify": "report_commands",
}


class LazyGroup(click.Group):
    """A group whose commands register themselves when their module is
    imported, which :data:`COMMANDS` does on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        home = COMMANDS.get(cmd_name)
        if home is not None and cmd_name not in self.commands:
            importlib.import_module(f"closekit.cli.{home}")
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMANDS:
            # an unknown name: every command registered, for click's "Did you mean"
            for home in sorted(set(COMMANDS.values())):
                importlib.import_module(f"closekit.cli.{home}")
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="closekit")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False),
    help="Workspace folder (default: $CLOSEKIT_WORKSPACE, else the nearest folder holding"
    " closekit.toml from the current one up).",
)
@click.pass_context
def main(ctx: click.Context, workspace: str | None) -> None:
    """closekit: period close and consolidation from subledger extracts."""
    ctx.obj = Context(workspace)


def handles_errors(func: F) -> F:
    """Map ClosekitError to exit 2 (one line per problem on stderr) and a
    returned int to the process exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            code = func(*args, **kwargs)
        except ClosekitError as exc:
            for line in exc.lines():
                click.echo(f"Error: {line}" if line == exc.lines()[0] else line, err=True)
            sys.exit(EXIT_REFUSED)
        sys.exit(code or EXIT_OK)

    return wrapper  # type: ignore[return-value]


def period_argument(func: F) -> F:
    """PERIOD as YYYY-MM, validated (exit 2 otherwise)."""

    def convert(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
        try:
            return parse_period(value)
        except ClosekitError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.argument("period", callback=convert)(func)


def periods_argument(func: F) -> F:
    """PERIOD as YYYY-MM or a range FIRST..LAST, validated (exit 2 otherwise);
    the command receives (first, last)."""

    def convert(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, str]:
        try:
            return parse_range(value)
        except ClosekitError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.argument("periods", metavar="PERIOD[..PERIOD]", callback=convert)(func)


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices, case_sensitive=False),
        default=default,
        show_default=True,
        help="Output format.",
    )


def is_terminal() -> bool:
    """Progress is shown on a terminal and stays quiet when piped."""
    return sys.stderr.isatty()


def progress_shown() -> AbstractContextManager[None]:
    """The progress line of the steps run inside, on a terminal only."""
    if not is_terminal():
        return progress.showing(None)
    from closekit.cli.meter import TerminalMeter

    return progress.showing(TerminalMeter())


def run_steps(
    settings: Settings,
    periods: tuple[str, str],
    command: str,
    step: Step[T],
    on_result: Callable[[T], None] | None = None,
    ahead: Ahead[T] | None = None,
) -> list[T]:
    """Run a step over PERIOD or FIRST..LAST (pipeline.run_range, ``ahead``
    before the first period), with the progress line on a terminal; each
    result is handed to ``on_result`` as its period is done."""
    from closekit.pipeline import periods_between, run_range

    chosen = periods_between(settings, *periods)
    with progress_shown():
        return run_range(settings, chosen, command, step, on_result, ahead)


# ---- output -------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON form: money and rates as strings ("1234.50"), everything else as is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, date):
        return value.isoformat()
    return value


def query(obj: Context, ask: Callable[[Settings, duckdb.DuckDBPyConnection], Table]) -> Table:
    """Answer a query over a read-only connection to the workspace."""
    settings = obj.settings()
    con = db.connect(settings, read_only=True)
    try:
        return ask(settings, con)
    finally:
        con.close()


def echo_query(table: Table, fmt: str) -> None:
    """A query's table as CSV (header and rows), JSON (a list of objects) or,
    for people, its title, the table with its total row, and its notes.
    Warnings go to stderr."""
    for warning in table.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if fmt == "csv":
        echo_csv(table.header, table.rows)
    elif fmt == "json":
        echo_json([dict(zip(table.header, row, strict=True)) for row in table.rows])
    else:
        click.echo(table.title)
        click.echo()
        rows = [*table.rows, table.total] if table.total else table.rows
        echo_table([h.replace("_", " ") for h in table.header], rows)
        for note in table.notes:
            click.echo(note)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(_plain(value), ensure_ascii=False, indent=2))


def echo_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """RFC 4180 CSV, UTF-8 without BOM, \\n line endings."""
    import csv  # imported here: only CSV output needs it

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_plain(v) for v in row] for row in rows])
    sys.stdout.write(buffer.getvalue())


def money(value: Decimal | None) -> str:
    """Display form: thousands separators, negatives in parentheses."""
    if value is None:
        return ""
    text = f"{abs(value):,.2f}"
    return f"({text})" if value < 0 else text


def terminal_width() -> int:
    """Columns of the terminal (``COLUMNS`` when set), 120 when there is none."""
    import shutil  # imported here: with bz2, lzma and fnmatch, 2 ms that --help does not need

    return shutil.get_terminal_size((120, 24)).columns


def echo_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    right: Sequence[int] = (),
    wrap: int | None = None,
) -> None:
    """A plain aligned text table. Money (Decimal) and the columns listed in
    ``right`` align right. The column ``wrap`` (the last one) is wrapped to the
    terminal's width, its continuation lines under it."""

    def shown(value: Any) -> str:
        return money(value) if isinstance(value, Decimal) else str(value)

    cells = [[str(h) for h in header]] + [[shown(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    indent = 0
    if wrap is not None:
        assert wrap == len(header) - 1, "only the last column wraps"
        indent = sum(widths[:wrap]) + 2 * wrap
        widths[wrap] = max(len(cells[0][wrap]), min(widths[wrap], terminal_width() - 1 - indent))
    for n, row in enumerate(cells):
        parts = [
            text.rjust(width)
            if i in right or (n and isinstance(rows[n - 1][i], Decimal))
            else text.ljust(width)
            for i, (text, width) in enumerate(zip(row, widths, strict=True))
        ]
        if wrap is not None and n:
            first, *more = textwrap.wrap(row[wrap], widths[wrap]) or [""]
            parts[wrap] = first
            click.echo("  ".join(parts).rstrip())
            for line in more:
                click.echo(" " * indent + line)
        else:
            click.echo("  ".join(parts).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))

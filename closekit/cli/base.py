"""What every command shares: the group, the workspace option, exit codes, output.

Exit codes (SPEC section 11): 0 success; 1 the work ran but its result is not
clean; 2 closekit refused or could not start (raised as ClosekitError). One
decorator, :func:`handles_errors`, owns that mapping; commands return the
exit code of their result.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from closekit import __version__
from closekit.errors import ClosekitError
from closekit.periods import parse_period
from closekit.workspace import Settings, find_workspace, load_settings

EXIT_OK, EXIT_NOT_CLEAN, EXIT_REFUSED = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Context:
    """What the group option resolved: the workspace folder."""

    root: Path

    def settings(self) -> Settings:
        return load_settings(self.root)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="closekit")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False),
    help="Workspace folder (default: $CLOSEKIT_WORKSPACE, else the current directory).",
)
@click.pass_context
def main(ctx: click.Context, workspace: str | None) -> None:
    """closekit: period close and consolidation from subledger extracts."""
    ctx.obj = Context(find_workspace(workspace))


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
    return value


def echo_json(value: Any) -> None:
    click.echo(json.dumps(_plain(value), ensure_ascii=False, indent=2))


def echo_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """RFC 4180 CSV, UTF-8 without BOM, \\n line endings."""
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


def echo_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = ()
) -> None:
    """A plain aligned text table. Money (Decimal) and the columns listed in
    ``right`` align right."""

    def shown(value: Any) -> str:
        return money(value) if isinstance(value, Decimal) else str(value)

    cells = [[str(h) for h in header]] + [[shown(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        parts = [
            text.rjust(width)
            if i in right or (n and isinstance(rows[n - 1][i], Decimal))
            else text.ljust(width)
            for i, (text, width) in enumerate(zip(row, widths, strict=True))
        ]
        click.echo("  ".join(parts).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))

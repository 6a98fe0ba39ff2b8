"""How commands print: tables and details for people, JSON for scripts.

People copy ids, URLs and secrets out of the terminal, so no value is ever broken across lines: a table that cannot
show every value whole at the terminal's width (rich reads `COLUMNS`) is printed as records instead, one
`name  value` line per field (psql's expanded display). A line longer than the terminal may then wrap on screen,
but it is one line of output, and a terminal copies it whole.

`--json` keys are identifiers, never labels: Cognito's own names (PascalCase) wherever a command prints a Cognito
shape, Cognate's additions to such a shape included; snake_case in Cognate's own records (keys, audit, config,
bench), which have no Cognito counterpart.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of a table.")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@cache
def _rich_console() -> Console:
    """rich is imported by the commands that print with it, not by `cognate serve` (README "Measured costs").
    No markup or emoji: values such as passwords may hold `[...]` or `:...:`."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, markup=False, emoji=False)


class _Console:
    """`console.print(...)` as the commands write it; the rich Console behind it is made on first use."""

    def print(self, *objects: Any, **options: Any) -> None:
        _rich_console().print(*objects, **options)


console = _Console()


def emit_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def shown(value: Any) -> str:
    """A value as one cell: lists joined with commas, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Rows under a header; as records when a value would not fit whole."""
    cells = [[shown(v) for v in row] for row in rows]
    if not _print_if_whole(_grid(title, columns, cells, header=True), [title, *columns, *_flat(cells)]):
        _records(title, [list(zip(columns, row, strict=True)) for row in cells])


def details(title: str, data: Mapping[str, Any]) -> None:
    """One object's fields, a line each."""
    pairs = [(key, shown(value)) for key, value in data.items()]
    cells = [list(pair) for pair in pairs]
    if not _print_if_whole(_grid(title, ["field", "value"], cells, header=False), [title, *_flat(cells)]):
        _records(title, [pairs])


def _flat(cells: list[list[str]]) -> list[str]:
    return [cell for row in cells for cell in row]


def _grid(title: str, columns: Sequence[str], cells: list[list[str]], *, header: bool) -> Table:
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(title), title_justify="left", show_header=header)
    for n, column in enumerate(columns):
        grid.add_column(column, overflow="fold", style="bold" if n == 0 and not header else None)
    for row in cells:
        grid.add_row(*(Text(cell) for cell in row))
    return grid


def _print_if_whole(grid: Table, texts: list[str]) -> bool:
    """Render the table at the terminal's width; print it only if every word of every text is whole on a line."""
    rich_console = _rich_console()
    with rich_console.capture() as captured:
        rich_console.print(grid)
    rendered = captured.get()
    lines = _ANSI.sub("", rendered).splitlines()
    for word in {word for text in texts for word in text.split()}:
        if not any(word in line for line in lines):
            return False
    sys.stdout.write(rendered)
    sys.stdout.flush()
    return True


def _records(title: str, records: list[list[tuple[str, str]]]) -> None:
    width = max((len(name) for record in records for name, _ in record), default=0)
    lines = [title]
    for record in records:
        if len(records) > 1:
            lines.append("")
        lines += [f"{name.ljust(width)}  {value}".rstrip() for name, value in record]
    print("\n".join(lines), flush=True)

"""Entry point of the `cognate` command and its sub-command groups.

Commands are imported when one is named (or help lists them): `cognate serve`, which starts every server process,
loads none of the groups (`pool`, `client`, ...), and `main` pauses the cyclic garbage collector while the named
command's modules import. Those ~900 modules' classes, functions and tables live as long as the process, so the
collections they would trigger during start-up (README "Measured costs") find nothing to free; the collector runs
normally again from the moment the command's options are handled (`_globals`).
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

SERVE_HELP = "Start the server (HTTP API, OAuth endpoints, hosted UI)."
LOGIN_HELP = "Sign in through the hosted UI in a browser and print the verified tokens (like `aws sso login`)."
# name -> (module, function, help) of the single commands, listed first.
SINGLE: dict[str, tuple[str, str, str]] = {
    "serve": ("cognate.cli.serve", "serve", SERVE_HELP),
    "login": ("cognate.cli.login", "login", LOGIN_HELP),
}
# name -> (module whose `app` is the group, help); in the order `cognate --help` lists them after `serve`.
GROUPS: dict[str, tuple[str, str]] = {
    "config": ("cognate.cli.config", "Show the effective configuration."),
    "db": ("cognate.cli.db", "Database schema migrations."),
    "pool": ("cognate.cli.pools", "User pools."),
    "client": ("cognate.cli.clients", "App clients of a pool."),
    "domain": ("cognate.cli.domains", "Hosted-UI domains of a pool."),
    "resource-server": ("cognate.cli.resource_servers", "Resource servers (custom OAuth scopes)."),
    "user": ("cognate.cli.users", "Users of a pool."),
    "group": ("cognate.cli.groups", "Groups of a pool."),
    "keys": ("cognate.cli.keys", "Signing keys of a pool."),
    "audit": ("cognate.cli.audit", "The audit trail of sign-ins, tokens and admin changes."),
    "token": ("cognate.cli.tokens", "Verify Cognate or Cognito JWTs."),
    "bench": ("cognate.cli.bench", "Benchmarking aids (bulk users); see bench/run.py."),
}


def command(name: str) -> Any:
    """A single command as `app.command(name)` would make it, or a group as `add_typer(module.app, ...)` would."""
    if name in SINGLE:
        module_name, function, help_text = SINGLE[name]
        single = typer.Typer(add_completion=False, rich_markup_mode=None)
        single.command(name, help=help_text)(getattr(importlib.import_module(module_name), function))
        return typer.main.get_command(single)
    module, help_text = GROUPS[name]
    sub: typer.Typer = importlib.import_module(module).app
    sub.info.name, sub.info.help, sub.info.cls = name, help_text, ReadableGroup
    sub.rich_markup_mode = None
    return typer.main.get_group(sub)


class ReadableGroup(TyperGroup):
    """Help as click writes it (wrapped to the terminal, at most 80 columns), except that each command's summary is
    its docstring's whole first paragraph, wrapped, where click would cut it at the column with "..."."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:  # typer's vendored click Context, HelpFormatter
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, " ".join((command.short_help or command.help or "").split("\n\n")[0].split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class _Commands(MutableMapping[str, Any]):
    """The top-level commands: `serve` and `login`, then the groups, each imported on first look-up."""

    def __init__(self, loaded: MutableMapping[str, Any]) -> None:
        self._loaded = dict(loaded)
        self._names = [*loaded, *(n for n in (*SINGLE, *GROUPS) if n not in loaded)]

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            if name not in SINGLE and name not in GROUPS:
                raise KeyError(name)
            self._loaded[name] = command(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._names:
            self._names.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)


class _LazyGroups(ReadableGroup):
    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(self.commands)


app = typer.Typer(
    cls=_LazyGroups,
    help="Cognate: a self-hosted identity service that speaks Amazon Cognito's languages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _globals(
    ctx: typer.Context,
    data_dir: Path = typer.Option(None, "--data-dir", help="Data directory (env COGNATE_DATA_DIR)."),
    database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (env COGNATE_DATABASE_URL)."),
    create_database: bool = typer.Option(False, "--create-database", envvar="COGNATE_CREATE_DATABASE",
                                         help="Let this command create the database if it does not exist yet "
                                         "(as `cognate db upgrade` and `cognate serve` do)."),
) -> None:
    from cognate.cli._common import Globals

    if _gc_paused:  # the command is resolved and imported by now (click resolves it before calling this)
        gc.enable()
    ctx.obj = Globals(data_dir=data_dir, database_url=database_url, create_database=create_database)


_gc_paused = False


def main() -> None:
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True
    app()

"""What the real `cognate` command prints (issue 13 §2): ids, URLs and secrets whole on one line at any width,
`--json` keys that scripts can use, help readable at 80 columns, shell completion.

One pool with a client (secret, callback and sign-in URLs), a domain, a user, a group and a resource server serves
every test of the module."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from cognate.cli.main import app
from tests.conftest import run_database
from tests.support.processes import COGNATE, Cli

PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
CALLBACK = "https://app.example.com/auth/callback/with/a/long/path"
RESOURCE = "https://api.example.com/orders"


@dataclass(frozen=True)
class World:
    cli: Cli
    pool_id: str
    client_id: str
    secret: str
    secret_id: str
    sign_in_urls: list[str]
    domain_url: str
    sub: str
    kids: list[str]



@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with run_database(tmp_path_factory, "output") as url:
        cli = Cli(data_dir=tmp_path_factory.mktemp("output-data"), database_url=url)
        pool_id = cli.json("pool", "create", "Output check")["UserPool"]["Id"]
        domain = cli.json("domain", "create", pool_id, "output-check")
        created = cli.json("client", "create", pool_id, "web", "--callback-url", CALLBACK, "--flow", "code",
                           "--flow", "implicit", "--scope", "openid", "--scope", "email")
        client = created["UserPoolClient"]
        user = cli.json("user", "create", pool_id, "alice", "--email", "alice@example.com")
        cli.run("group", "create", pool_id, "admins", "--description", "People who administer everything here")
        cli.run("group", "add-user", pool_id, "admins", "alice")
        cli.run("resource-server", "create", pool_id, RESOURCE, "Orders",
                "--scope", "read:Read orders")
        [secret] = cli.json("client", "secrets", pool_id, client["ClientId"])["ClientSecrets"]
        attributes = {a["Name"]: a["Value"] for a in user["User"]["Attributes"]}
        yield World(
            cli=cli, pool_id=pool_id, client_id=client["ClientId"], secret=client["ClientSecret"],
            secret_id=secret["ClientSecretId"], sign_in_urls=list(created["SignInUrls"].values()),
            domain_url=domain["URL"],
            sub=attributes["sub"],
            kids=[k["kid"] for k in cli.json("keys", "list", pool_id)])


def _commands(w: World) -> list[list[str]]:
    """Every list/show command, with the arguments the world gives it."""
    p, c = w.pool_id, w.client_id
    return [["pool", "list"], ["pool", "show", p], ["client", "list", p], ["client", "show", p, c],
            ["client", "secrets", p, c], ["domain", "show", "output-check"], ["domain", "show", "--pool", p],
            ["user", "list", p], ["user", "show", p, "alice"], ["group", "list", p], ["group", "show", p, "admins"],
            ["group", "members", p, "admins"], ["group", "of-user", p, "alice"], ["resource-server", "list", p],
            ["resource-server", "show", p, RESOURCE], ["keys", "list", p], ["audit", "list", "--pool", p],
            ["config", "show"]]


def _expected(w: World) -> dict[str, list[str]]:
    """The ids, URLs and secrets each command shows; the commands whose values need the width also at 80."""
    p, c = w.pool_id, w.client_id
    return {
        "pool list": [p], f"pool show {p}": [p], f"client list {p}": [p, c],
        f"client show {p} {c}": [p, c, w.secret, CALLBACK, *w.sign_in_urls],
        f"client secrets {p} {c}": [c, w.secret_id],
        "domain show output-check": [p, w.domain_url], f"domain show --pool {p}": [p, w.domain_url],
        f"user list {p}": [p], f"user show {p} alice": [w.sub], f"resource-server list {p}": [p, RESOURCE],
        f"resource-server show {p} {RESOURCE}": [RESOURCE], f"keys list {p}": [p, *w.kids],
        f"audit list --pool {p}": [p], "config show": [str(w.cli.data_dir)],
    }


WIDE = ("client show", "domain show --pool", "resource-server show", "keys list", "audit list", "config show")


def _outputs(cli: Cli, commands: list[list[str]], *extra: str) -> dict[str, str]:
    """`cognate ARGS` for each command, three at a time (each is a process start), by command line."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        done = pool.map(lambda args: cli.run(*args, *extra).stdout, commands)
        return {" ".join(args): out for args, out in zip(commands, done, strict=True)}


@pytest.mark.parametrize("columns", [60, 80])
def test_ids_urls_and_secrets_are_never_split_across_lines(world: World, columns: int) -> None:
    narrow = Cli(world.cli.data_dir, world.cli.database_url, {**world.cli.env, "COLUMNS": str(columns)})
    expected = {command: tokens for command, tokens in _expected(world).items()
                if columns == 60 or command.startswith(WIDE)}
    shown = _outputs(narrow, [command.split() for command in expected])
    for command, tokens in expected.items():
        lines = shown[command].splitlines()
        for token in tokens:
            assert any(token in line for line in lines), \
                f"cognate {command} at COLUMNS={columns}: {token} not whole on a line:\n{shown[command]}"


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


OWN_RECORDS = ("keys", "audit", "config")  # Cognate's own records (no Cognito counterpart): snake_case


def test_json_keys_are_identifiers_in_one_convention(world: World) -> None:
    """Cognito's names (PascalCase) wherever a command prints a Cognito shape, extensions included; snake_case in
    Cognate's own records."""
    for command, out in _outputs(world.cli, _commands(world), "--json").items():
        data, args = json.loads(out), command.split()
        pattern = SNAKE if args[0] in OWN_RECORDS else PASCAL
        odd = sorted({key for key in _keys(data) if not pattern.match(key)})
        assert not odd, f"cognate {' '.join(args)} --json: {odd}"
    updated = world.cli.json("client", "update", world.pool_id, world.client_id, "--name", "web")
    assert not [key for key in _keys(updated) if not PASCAL.match(key)], updated
    branding = world.cli.json("pool", "branding", world.pool_id, "--primary-color", "#0a7c3e")
    assert not [key for key in _keys(branding) if not PASCAL.match(key)], branding


def _all_commands() -> Iterator[list[str]]:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    yield []
    for name, command in root.commands.items():
        yield [name]
        if isinstance(command, TyperGroup):
            for sub in command.commands:
                yield [name, sub]


def _unreadable(help_text: str) -> list[str]:
    """Lines past 80 columns, or cut short with an ellipsis (click's usage line `[ARGS]...` is notation)."""
    lines = help_text.splitlines()
    return [line for line in lines if len(line) > 80 or "…" in line
            or ("..." in line and not line.startswith("Usage:"))]


def test_help_of_every_command_fits_80_columns_without_ellipsis() -> None:
    runner = CliRunner()
    for args in _all_commands():
        result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "80"}, prog_name="cognate")
        assert result.exit_code == 0, (args, result.output)
        assert not _unreadable(result.output), f"cognate {' '.join(args)} --help:\n{result.output}"


def test_real_help_at_80_columns(tmp_path: Path) -> None:
    cli = Cli(data_dir=tmp_path, database_url="", env={"COLUMNS": "80"})
    for args in (["--help"], ["client", "create", "--help"]):
        out = cli.run(*args).stdout
        assert not _unreadable(out), out
    assert "--callback-url" in out and "--prevent-user-existence-errors" in out and "COGNATE_REQUIRE_PKCE" in out


def test_shell_completion_script_and_completions(tmp_path: Path) -> None:
    """`--show-completion` prints the script for the shell it runs in (typer detects it from the parent processes);
    the script asks `cognate` itself for completions through `_COGNATE_COMPLETE`, as done here."""
    cli = Cli(data_dir=tmp_path, database_url="")
    shell = subprocess.run(["bash", "-c", f"{COGNATE} --show-completion; true"], capture_output=True, text=True,
                           env=cli.environ(), timeout=60, check=True)
    assert "_COGNATE_COMPLETE=complete_bash" in shell.stdout and "complete -o default -F" in shell.stdout, shell
    cli.env.update({"_COGNATE_COMPLETE": "complete_bash", "COMP_WORDS": "cognate cli", "COMP_CWORD": "1"})
    assert cli.run().stdout.split() == ["client"]
    cli.env.update({"COMP_WORDS": "cognate client cr", "COMP_CWORD": "2"})
    assert cli.run().stdout.split() == ["create"]

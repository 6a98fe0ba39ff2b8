"""The README stays true: its configuration table and its CLI table match the code."""

from __future__ import annotations

from pathlib import Path

import typer.main

from cognate.cli.main import app
from cognate.settings import markdown_table

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()


def test_settings_table_is_generated_from_settings() -> None:
    start = README.index("<!-- settings-table:start -->\n") + len("<!-- settings-table:start -->\n")
    end = README.index("<!-- settings-table:end -->")
    assert README[start:end].strip() == markdown_table()


def test_every_cli_command_is_in_the_readme() -> None:
    root = typer.main.get_command(app)
    commands = getattr(root, "commands", {})
    assert "serve" in commands and "pool" in commands
    for name, command in commands.items():
        assert f"`cognate {name}" in README, name
        if hasattr(command, "commands"):
            line = next(ln for ln in README.splitlines() if ln.startswith(f"| `cognate {name} "))
            for sub in command.commands:
                assert sub in line, f"cognate {name} {sub}"


def test_quick_start_is_make_serve_and_make_test() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make serve" in quick and "make test" in quick

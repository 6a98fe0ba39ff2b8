"""The README stays true: its configuration table, its CLI table and its layout match the code; so does
docs/REQUEST_PATHS.md's list of modules."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from cognate.cli.main import app
from cognate.settings import markdown_table

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text()


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


def test_layout_lists_every_package() -> None:
    layout = README.split("## Layout", 1)[1]
    package = ROOT / "cognate"
    for init in sorted(package.rglob("__init__.py")):
        name = init.parent.relative_to(ROOT).as_posix()
        assert f"`{name}/`" in layout, name
    for module in ("app.py", "settings.py"):
        assert f"`cognate/{module}`" in layout, module


def test_request_paths_name_only_modules_that_exist() -> None:
    """docs/REQUEST_PATHS.md names modules relative to `cognate/` (or to the root: `scripts/`); a module moved or
    renamed must be renamed there."""
    text = (ROOT / "docs" / "REQUEST_PATHS.md").read_text()
    named = set(re.findall(r"`([a-z_]+(?:/[a-z_]+)*\.py)", text))
    assert len(named) > 40
    missing = sorted(path for path in named if not (ROOT / "cognate" / path).is_file() and not (ROOT / path).is_file())
    assert missing == []

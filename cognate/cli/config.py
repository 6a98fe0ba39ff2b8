"""`cognate config show`: the effective settings with secrets redacted."""

from __future__ import annotations

import typer

from cognate.cli._common import JSON_OPTION, details, emit_json, settings_from

app = typer.Typer(no_args_is_help=True)


@app.command("show")
def show(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Print every COGNATE_* setting in effect (secrets shown only as set/unset)."""
    data = settings_from(ctx).redacted()
    if as_json:
        emit_json(data)
    else:
        details("Effective configuration", {f"COGNATE_{k.upper()}": v for k, v in data.items()})

"""What `cognate serve` leaves in its data dir for the CLI: its public URL, and the demo it made.

CLI commands run beside a server usually share its data dir but not its flags: a server started with
`--port 9300` (or `--public-url`) would otherwise leave the CLI printing sign-in and domain URLs for the default
port and checking tokens against the wrong issuer. The server writes `{data_dir}/server.json` when it starts; a
command that is not given `COGNATE_PUBLIC_URL` itself uses the recorded URL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cognate.settings import Settings

FILE_NAME = "server.json"
DEMO_FILE_NAME = "demo.json"  # {"pool_id", "client_id", "password"}, 0600, written by `serve --demo`


def record_public_url(settings: Settings) -> None:
    """Written whole (temporary file, then rename), so a command reading it meanwhile sees the old or new URL."""
    path = settings.data_dir / FILE_NAME
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    temporary.write_text(json.dumps({"public_url": settings.effective_public_url}) + "\n")
    temporary.replace(path)


def recorded_public_url(data_dir: Path) -> str | None:
    """None when no server recorded one here (or the file is unreadable: the CLI then falls back to settings)."""
    try:
        found = json.loads((data_dir / FILE_NAME).read_text()).get("public_url")
    except (OSError, ValueError, AttributeError):
        return None
    return found if isinstance(found, str) and found.startswith(("http://", "https://")) else None


def with_server_public_url(settings: Settings) -> Settings:
    """An explicit `COGNATE_PUBLIC_URL` wins; else the running server's recorded URL; else the default."""
    if settings.public_url:
        return settings
    recorded = recorded_public_url(settings.data_dir)
    return settings.model_copy(update={"public_url": recorded}) if recorded else settings


def recorded_demo(data_dir: Path) -> tuple[str, str] | None:
    """(pool id, client id) of the demo `cognate serve --demo` made in this data dir, if any."""
    try:
        saved = json.loads((data_dir / DEMO_FILE_NAME).read_text())
        return str(saved["pool_id"]), str(saved["client_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None

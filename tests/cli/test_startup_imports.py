"""What a `cognate serve` process imports before its first request stays lean (issue 6: start-up < 1 s, idle RSS
< 80 MB): the CLI's other command groups, botocore (SigV4, the API model), Jinja, rich and httpx wait until a
request or a command needs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SERVER_IMPORTS = """
import json, sys
from typer.main import get_command
from cognate.cli.main import app
import cognate.app
cognate.app.surface_routes()
group = get_command(app)
assert group.commands["serve"] is not None
print(json.dumps(sorted(sys.modules)))
"""
DEFERRED = ("botocore", "jinja2", "rich", "httpx", "alembic", "cognate.cli.pools", "cognate.cli.users",
            "cognate.cli.tokens", "cognate.cli.bench", "cognate.verify")


def test_serving_imports_none_of_what_only_some_requests_or_commands_need() -> None:
    out = subprocess.run([sys.executable, "-c", SERVER_IMPORTS], check=True, capture_output=True, text=True).stdout
    loaded = set(json.loads(out))
    assert not {m for m in loaded for d in DEFERRED if m == d or m.startswith(d + ".")}


PAUSED_GC = """
import atexit, gc, sys
from cognate.cli import main as cli
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info["generation"]) if phase == "stop" else None)
atexit.register(lambda: print(gc.isenabled(), len(collections)))
sys.argv = ["cognate", "--data-dir", sys.argv[1], "config", "show", "--json"]
cli.main()
"""


def test_the_collector_pauses_while_a_command_imports_and_runs_again_for_the_command(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", PAUSED_GC, str(tmp_path)], check=True, capture_output=True,
                          text=True)
    enabled, collections = done.stdout.split()[-2:]
    assert enabled == "True"
    assert int(collections) < 60  # ~240 while importing with the collector running

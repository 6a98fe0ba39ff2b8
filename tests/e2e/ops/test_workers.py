"""`cognate serve --workers N`: several processes share the port and the database; SIGTERM stops them all, exit 0."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.cli.test_pools_clients import make_pool
from tests.support.processes import Cli, Server


def test_two_workers_serve_and_stop_cleanly(cli: Cli, server: Server) -> None:
    pool_id = make_pool(cli, "workers")
    server.args = ("--workers", "2")
    server.start(timeout=30)
    for _ in range(20):
        assert httpx.get(f"{server.url}/{pool_id}/.well-known/jwks.json", timeout=10).status_code == 200
    assert server.process is not None
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert len(workers) == 2, [Path(f"/proc/{c}/cmdline").read_bytes() for c in children]
    assert server.stop() == 0, server.log()
    assert "Stopping parent process" in server.log()

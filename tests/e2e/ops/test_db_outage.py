"""A PostgreSQL outage: 503s (never a hang or a 500 page), /health stays 200, recovery without a restart,
nothing lost (issue 6). The database is reached through a proxy the test cuts and restores."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.support.processes import Cli, Server, free_port
from tests.support.tcp_proxy import TcpProxy


def _via_proxy(url: str, port: int) -> str:
    head, _, tail = url.partition("@")
    _, _, name = tail.partition("/")
    return f"{head}@127.0.0.1:{port}/{name}"


def test_outage_answers_503_and_recovers(tmp_path: Path, fresh_pg_url: str) -> None:
    direct = Cli(data_dir=tmp_path / "data", database_url=fresh_pg_url)
    pool_id = direct.json("pool", "create", "outage")["UserPool"]["Id"]
    proxy = TcpProxy(listen_port=free_port(), target_port=5432)
    proxy.open()
    proxied = Cli(data_dir=tmp_path / "data", database_url=_via_proxy(fresh_pg_url, proxy.listen_port))
    server = Server(cli=proxied, port=free_port())
    try:
        server.start()
        jwks = f"{server.url}/{pool_id}/.well-known/jwks.json"
        keys = httpx.get(jwks, timeout=10).json()
        proxy.cut()
        time.sleep(1.1)  # configuration and keys may be served from a cache for up to one second
        started = time.monotonic()
        during = httpx.get(jwks, timeout=20)
        assert during.status_code == 503, during.text
        assert "Traceback" not in during.text
        assert time.monotonic() - started < 12
        assert httpx.get(f"{server.url}/ready", timeout=20).status_code == 503
        assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200
        proxy.open()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and httpx.get(jwks, timeout=20).status_code != 200:
            time.sleep(0.2)
        assert httpx.get(jwks, timeout=10).json() == keys
        assert httpx.get(f"{server.url}/ready", timeout=10).status_code == 200
        assert server.stop() == 0
    finally:
        server.kill()
        proxy.close()

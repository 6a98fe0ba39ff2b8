"""A real `cognate serve` process: discovery, JWKS, health/ready, restart keeps keys and pools, clean SIGTERM."""

from __future__ import annotations

import socket
import time

import httpx
import jwt as pyjwt

from tests.cli.test_pools_clients import make_pool
from tests.support.processes import Cli, Server


def _discovery(server: Server, pool_id: str) -> dict[str, object]:
    response = httpx.get(f"{server.url}/{pool_id}/.well-known/openid-configuration", timeout=5)
    assert response.status_code == 200
    return dict(response.json())


def test_discovery_jwks_and_restart(cli: Cli, server: Server) -> None:
    pool_id = make_pool(cli, "served")
    cli.run("domain", "create", pool_id, "served-app")
    server.start()
    doc = _discovery(server, pool_id)
    issuer = f"http://127.0.0.1:{server.port}/{pool_id}"
    assert doc["issuer"] == issuer
    assert doc["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert doc["authorization_endpoint"] == f"http://served-app.auth.localhost:{server.port}/oauth2/authorize"
    assert doc["end_session_endpoint"] == f"http://served-app.auth.localhost:{server.port}/logout"
    assert doc["token_endpoint"] == f"http://127.0.0.1:{server.port}/oauth2/token"  # servers can't resolve *.localhost
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["response_types_supported"] == ["code", "token"]

    jwks = httpx.get(str(doc["jwks_uri"]), timeout=5).json()
    kids = sorted(k["kid"] for k in jwks["keys"])
    assert len(kids) == 2
    for key in jwks["keys"]:
        assert set(key) == {"alg", "e", "kid", "kty", "n", "use"}
        assert key["alg"] == "RS256" and key["kty"] == "RSA" and key["e"] == "AQAB" and key["use"] == "sig"
        assert pyjwt.PyJWK(key).key.key_size == 2048  # an independent JOSE library reads it

    assert httpx.get(f"{server.url}/health").status_code == 200
    assert httpx.get(f"{server.url}/ready").json() == {"status": "ready"}
    assert httpx.get(f"{server.url}/us-east-1_AAAAAAAAA/.well-known/jwks.json").status_code == 404
    assert httpx.get(f"{server.url}/not-a-pool/.well-known/openid-configuration").status_code == 404

    assert server.stop() == 0, server.log()
    server.start()
    assert sorted(k["kid"] for k in httpx.get(str(doc["jwks_uri"])).json()["keys"]) == kids
    assert _discovery(server, pool_id) == doc
    assert [p["Id"] for p in cli.json("pool", "list")] == [pool_id]
    assert server.stop() == 0


def test_rotation_is_visible_to_a_running_server(cli: Cli, server: Server) -> None:
    pool_id = make_pool(cli)
    server.start()
    url = f"{server.url}/{pool_id}/.well-known/jwks.json"
    before = {k["kid"] for k in httpx.get(url).json()["keys"]}
    rotated = {k["kid"] for k in cli.json("keys", "rotate", pool_id)}
    deadline = time.monotonic() + 1.5  # another process changed them: seen within the one-second bound
    while (after := {k["kid"] for k in httpx.get(url).json()["keys"]}) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert after == before | rotated and len(after) == 4


def test_serve_demo_prints_sign_in_url_and_admin_keys(cli: Cli, server: Server) -> None:
    server.args = ("--demo",)
    server.start()
    log = server.log()
    assert "admin credentials (shown once" in log and "AWS_ACCESS_KEY_ID=AKCG" in log
    assert f"sign in at:  {server.url}/token-viewer?client_id=" in log and "demo@example.com / Demo-" in log
    pools = cli.json("pool", "list")
    assert [p["Name"] for p in pools] == ["Cognate demo"]
    assert server.stop() == 0
    server.start()  # a restart reuses the demo and does not print the admin secret again
    assert [p["Name"] for p in cli.json("pool", "list")] == ["Cognate demo"]
    assert server.log().count("AWS_SECRET_ACCESS_KEY=") == 1


def test_a_busy_port_is_one_line_naming_it_and_the_option(cli: Cli) -> None:
    """Before: "Cognate listening on ..." was printed, migrations ran, then uvicorn logged the bind error as JSON and
    the command exited 3."""
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        busy = Cli(cli.data_dir, cli.database_url, {**cli.env, "COGNATE_HOST": "127.0.0.1", "COGNATE_PORT": str(port)})
        line = busy.fails("serve")
        assert f"port {port} on 127.0.0.1 is already in use" in line and "--port" in line, line
        assert "listening" not in busy.run("serve", check=False).stdout


def test_migrations_on_first_start_are_not_logged_at_info(server: Server) -> None:
    """The server's first start applies every migration; Alembic's line per migration was chatter at info."""
    server.start()
    try:
        assert "Application startup complete" in server.log()
        assert "Running upgrade" not in server.log()
    finally:
        server.stop()


def test_serve_demo_on_all_interfaces_starts_and_says_how_to_get_a_sign_in_link(cli: Cli, server: Server) -> None:
    """Before: the demo client's creation failed on the viewer's callback `http://0.0.0.0:.../token-viewer/callback`
    (http only for loopback) and `serve` died with a traceback."""
    server.args = ("--demo", "--host", "0.0.0.0")
    server.start()
    log = server.log()
    assert "Traceback" not in log and "demo client:" in log
    assert "sign in at:" not in log and "--public-url" in log
    assert server.stop() == 0

"""Node's openid-client as a backend on the same machine, on Cognate's defaults: discovery from the issuer, the
authorization URL with PKCE, the browser signing in on the pool's `*.auth.localhost` domain, then the code exchange
(ID token checked against jwks_uri), userinfo and revocation from Node, whose resolver does not know `*.localhost`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import need
from tests.e2e.relying_parties.conftest import EMAIL, NODE_DIR, USERNAME, Site, sign_in

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def node_dir() -> Path:
    """openid-client installed into tests/e2e/relying_parties/node from its lock file (node_modules is not tracked)."""
    npm = shutil.which("npm")
    need(shutil.which("node") is not None and npm is not None, "node and npm are needed for the openid-client test")
    if not (NODE_DIR / "node_modules" / "openid-client").is_dir():
        proc = subprocess.run([str(npm), "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
        need(proc.returncode == 0, f"npm ci failed in {NODE_DIR}: {proc.stderr[-2000:]}")
    return NODE_DIR


def _node(node_dir: Path, *args: str) -> dict[str, Any]:
    proc = subprocess.run(["node", "code_flow.mjs", *args], cwd=node_dir, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert proc.stdout.strip(), proc.stderr
    out = dict(json.loads(proc.stdout))
    assert proc.returncode == 0 and "error" not in out, out
    return out


def test_openid_client_code_flow_with_pkce(node_dir: Path, site: Site, browser: Any) -> None:
    client_id = site.public.id
    started = _node(node_dir, "start", site.issuer, client_id, site.callback)
    assert urlsplit(started["url"]).netloc == f"{site.domain_host}:{site.server.port}"  # the browser's side
    callback = sign_in(browser, site, started["url"])

    done = _node(node_dir, "finish", site.issuer, client_id, callback, started["verifier"], started["state"],
                 started["nonce"])

    claims, info = done["claims"], done["userinfo"]
    assert claims["iss"] == site.issuer and claims["aud"] == client_id and claims["nonce"] == started["nonce"]
    assert claims["cognito:username"] == USERNAME and claims["email"] == EMAIL
    assert info["sub"] == claims["sub"] and info["email"] == EMAIL and info["username"] == USERNAME
    assert done["refreshAfterRevoke"] == "invalid_grant"  # revoked at the advertised revocation endpoint
    for name in ("token", "userinfo", "revocation", "jwks"):  # what a server calls: a name every resolver knows
        assert urlsplit(done["endpoints"][name]).netloc == f"127.0.0.1:{site.server.port}", done["endpoints"]

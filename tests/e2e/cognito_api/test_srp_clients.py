"""USER_SRP_AUTH with the real SDKs against a real server: pycognito (Python) and amazon-cognito-identity-js (Node)
(spec §7 SRP, §8 SECRET_HASH). Both compute the password proof themselves; the server only holds the verifier."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from pycognito import Cognito

from tests.conftest import need
from tests.e2e.cognito_api._helpers import (
    NEW_PASSWORD,
    PASSWORD,
    App,
    error_code,
    new_app,
    new_email,
    new_pool,
    verified_claims,
)
from tests.support.processes import Server

NODE_DIR = Path(__file__).parent / "node"
SRP_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def _user(cognito: Any, pool_id: str, username: str, *, permanent: bool = True, **attrs: str) -> None:
    attributes = [{"Name": k, "Value": v} for k, v in attrs.items()]
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=PASSWORD,
                              UserAttributes=attributes, MessageAction="SUPPRESS")
    if permanent:
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)


def _pycognito(server: Server, app: App, username: str) -> Cognito:
    """pycognito builds its own boto3 client; `endpoint_url` also makes it fetch the JWKS from Cognate."""
    return Cognito(app.pool_id, app.client_id, username=username, user_pool_region="us-east-1",
                   client_secret=app.secret, botocore_config=Config(signature_version=UNSIGNED),
                   boto3_client_kwargs={"endpoint_url": server.url})


@pytest.fixture
def app(cognito: Any) -> App:
    app = new_app(cognito, new_pool(cognito), flows=SRP_FLOWS)
    _user(cognito, app.pool_id, "alice", email=new_email())
    return app


def test_pycognito_authenticate(api_server: Server, app: App, public: Any) -> None:
    user = _pycognito(api_server, app, "alice")
    user.authenticate(password=PASSWORD)  # also verifies both tokens against the pool's JWKS
    access = verified_claims(api_server.url, app.pool_id, user.access_token)
    assert access["token_use"] == "access" and access["username"] == "alice"
    identity = verified_claims(api_server.url, app.pool_id, user.id_token, audience=app.client_id)
    assert identity["cognito:username"] == "alice" and identity["origin_jti"] == access["origin_jti"]
    assert public.get_user(AccessToken=user.access_token)["Username"] == "alice"
    user.check_token(renew=False)
    user.renew_access_token()  # REFRESH_TOKEN_AUTH through pycognito
    assert verified_claims(api_server.url, app.pool_id, user.access_token)["origin_jti"] == access["origin_jti"]


def test_pycognito_wrong_password_and_unknown_user(api_server: Server, app: App, cognito: Any) -> None:
    with pytest.raises(ClientError) as info:
        _pycognito(api_server, app, "alice").authenticate(password="Wrong-passw0rd")
    assert info.value.response["Error"] == {"Code": "NotAuthorizedException",
                                            "Message": "Incorrect username or password."}
    assert error_code(lambda: _pycognito(api_server, app, "nobody").authenticate(password=PASSWORD)
                      ) == "UserNotFoundException"
    hidden = new_app(cognito, app.pool_id, flows=SRP_FLOWS, PreventUserExistenceErrors="ENABLED")
    assert error_code(lambda: _pycognito(api_server, hidden, "nobody").authenticate(password=PASSWORD)
                      ) == "NotAuthorizedException"


def test_pycognito_email_username_pool_with_secret(api_server: Server, cognito: Any) -> None:
    """USER_ID_FOR_SRP is the internal (sub) username, and SECRET_HASH rides on both steps."""
    pool_id = new_pool(cognito, UsernameAttributes=["email"])
    app = new_app(cognito, pool_id, flows=SRP_FLOWS, secret=True)
    email = new_email()
    _user(cognito, pool_id, email)
    user = _pycognito(api_server, app, email)
    user.authenticate(password=PASSWORD)
    assert verified_claims(api_server.url, pool_id, user.id_token, audience=app.client_id)["email"] == email
    no_secret = App(pool_id=pool_id, client_id=app.client_id)
    assert error_code(lambda: _pycognito(api_server, no_secret, email).authenticate(password=PASSWORD)
                      ) == "NotAuthorizedException"


def test_pycognito_new_password_challenge(api_server: Server, app: App, cognito: Any) -> None:
    _user(cognito, app.pool_id, "bob", permanent=False, email=new_email())
    user = _pycognito(api_server, app, "bob")
    user.new_password_challenge(password=PASSWORD, new_password=NEW_PASSWORD)
    assert verified_claims(api_server.url, app.pool_id, user.access_token)["username"] == "bob"
    assert cognito.admin_get_user(UserPoolId=app.pool_id, Username="bob")["UserStatus"] == "CONFIRMED"
    _pycognito(api_server, app, "bob").authenticate(password=NEW_PASSWORD)


def test_srp_flow_disabled(api_server: Server, cognito: Any) -> None:
    pool_id = new_pool(cognito)
    app = new_app(cognito, pool_id, flows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    _user(cognito, pool_id, "carl")
    with pytest.raises(ClientError) as info:
        _pycognito(api_server, app, "carl").authenticate(password=PASSWORD)
    assert info.value.response["Error"] == {"Code": "InvalidParameterException",
                                            "Message": "USER_SRP_AUTH flow not enabled for this client"}


@pytest.fixture(scope="module")
def node_sdk() -> Iterator[Path]:
    """amazon-cognito-identity-js installed into tests/e2e/cognito_api/node (node_modules is not tracked)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    need(node is not None and npm is not None, "node and npm are needed for the amazon-cognito-identity-js test")
    if not (NODE_DIR / "node_modules" / "amazon-cognito-identity-js").is_dir():
        proc = subprocess.run([str(npm), "install", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
        need(proc.returncode == 0, f"npm install failed in {NODE_DIR}: {proc.stderr[-2000:]}")
    yield NODE_DIR


def _node_sign_in(node_dir: Path, server: Server, app: App, username: str, password: str) -> dict[str, Any]:
    proc = subprocess.run(["node", "srp_sign_in.js", server.url + "/", app.pool_id, app.client_id, username,
                           password], cwd=node_dir, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert proc.stdout.strip(), proc.stderr
    return dict(json.loads(proc.stdout))


def test_amazon_cognito_identity_js_authenticate_user(node_sdk: Path, api_server: Server, app: App,
                                                      public: Any) -> None:
    tokens = _node_sign_in(node_sdk, api_server, app, "alice", PASSWORD)
    assert set(tokens) == {"AccessToken", "IdToken", "RefreshToken"}, tokens
    assert verified_claims(api_server.url, app.pool_id, tokens["AccessToken"])["username"] == "alice"
    assert verified_claims(api_server.url, app.pool_id, tokens["IdToken"], audience=app.client_id)
    assert public.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"
    refused = _node_sign_in(node_sdk, api_server, app, "alice", "Wrong-passw0rd")
    assert refused == {"error": "NotAuthorizedException", "message": "Incorrect username or password."}

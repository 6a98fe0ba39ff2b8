"""PKCE as in Cognito (Authorize endpoint, "Using PKCE in authorization code grants"): a public client created with
boto3's CreateUserPoolClient runs the code flow without PKCE, a challenge that is sent is still verified, and an
operator who sets COGNATE_REQUIRE_PKCE_FOR_PUBLIC_CLIENTS gets the stricter policy for the same client.

Driven against a real `cognate serve` the way an app drives Cognito: authorize, the hosted UI's sign-in form,
the code at the callback, the token exchange."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.e2e.cognito_api._helpers import PASSWORD, App, new_app, new_pool
from tests.support.processes import Cli, Server, free_port

CB = "https://app.example.com/cb"
CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')


@pytest.fixture
def spa(cognito: Any) -> App:
    """A public client (no secret) as boto3, the AWS CLI or Terraform create it: no Cognate extension sent."""
    app = new_app(cognito, new_pool(cognito), CallbackURLs=[CB], AllowedOAuthFlows=["code"],
                  AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid", "email"],
                  SupportedIdentityProviders=["COGNITO"])
    cognito.admin_create_user(UserPoolId=app.pool_id, Username="pat", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=app.pool_id, Username="pat", Password=PASSWORD, Permanent=True)
    return app


@pytest.fixture
def strict_server(api_cli: Cli) -> Iterator[Server]:
    """A second node on the same database and keys, with the operator's stricter policy switched on."""
    cli = Cli(data_dir=api_cli.data_dir, database_url=api_cli.database_url,
              env={**api_cli.env, "COGNATE_REQUIRE_PKCE_FOR_PUBLIC_CLIENTS": "true"})
    server = Server(cli=cli, port=free_port())
    server.start()
    yield server
    server.kill()


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _authorize(browser: httpx.Client, app: App, **extra: str) -> str:
    """Where /oauth2/authorize sends the browser."""
    response = browser.get("/oauth2/authorize", params={
        "response_type": "code", "client_id": app.client_id, "redirect_uri": CB, "scope": "openid", "state": "st",
        **extra})
    assert response.status_code == 302, response.text
    return str(response.headers["location"])


def _sign_in_for_code(server: Server, app: App, **extra: str) -> str:
    """A new browser: authorize → the sign-in form → its POST → the code at the callback."""
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=10) as browser:
        login = _authorize(browser, app, **extra)
        assert urlsplit(login).path == "/login", login
        page = browser.get(login)
        found = CSRF_RE.search(page.text)
        assert page.status_code == 200 and found, page.text
        done = browser.post(login, data={"_csrf": unescape(found.group(1)), "username": "pat",
                                         "password": PASSWORD}, headers={"Origin": server.url})
    assert done.status_code == 303, done.text
    target = done.headers["location"]
    assert target.startswith(CB + "?"), target
    query = parse_qs(urlsplit(target).query)
    assert query["state"] == ["st"], query
    return query["code"][0]


def _exchange(server: Server, app: App, code: str, **extra: str) -> httpx.Response:
    return httpx.post(f"{server.url}/oauth2/token", timeout=10, data={
        "grant_type": "authorization_code", "client_id": app.client_id, "code": code, "redirect_uri": CB, **extra})


def test_boto3_public_client_completes_the_code_flow_without_pkce(api_server: Server, spa: App) -> None:
    code = _sign_in_for_code(api_server, spa)
    tokens = _exchange(api_server, spa, code)
    assert tokens.status_code == 200, tokens.text
    assert {"access_token", "id_token", "refresh_token"} <= set(tokens.json())


def test_a_challenge_sent_is_still_verified_wrong_verifier_is_invalid_grant(api_server: Server, spa: App) -> None:
    _, challenge = _pkce_pair()
    code = _sign_in_for_code(api_server, spa, code_challenge=challenge, code_challenge_method="S256")
    refused = _exchange(api_server, spa, code, code_verifier=_pkce_pair()[0])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", refused.text
    code = _sign_in_for_code(api_server, spa, code_challenge=challenge, code_challenge_method="S256")
    missing = _exchange(api_server, spa, code)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_grant", missing.text


def test_the_same_code_with_the_right_verifier_gets_tokens(api_server: Server, spa: App) -> None:
    verifier, challenge = _pkce_pair()
    code = _sign_in_for_code(api_server, spa, code_challenge=challenge, code_challenge_method="S256")
    tokens = _exchange(api_server, spa, code, code_verifier=verifier)
    assert tokens.status_code == 200, tokens.text


def test_operator_setting_requires_pkce_of_the_same_public_client(strict_server: Server, spa: App) -> None:
    with httpx.Client(base_url=strict_server.url, follow_redirects=False, timeout=10) as browser:
        target = _authorize(browser, spa)
        assert target.startswith(CB + "?"), target
        query = parse_qs(urlsplit(target).query)
        assert query["error"] == ["invalid_request"] and query["state"] == ["st"], query
        assert query["error_description"] == ["code_challenge required"], query
        _, challenge = _pkce_pair()
        login = _authorize(browser, spa, code_challenge=challenge, code_challenge_method="S256")
        assert urlsplit(login).path == "/login", "with a challenge the strict node still signs in"

"""`CognatePkceRequired` at /oauth2/authorize (RFC 7636 §4.4.1, RFC 9700 §2.1.1): a client requiring PKCE gets
`invalid_request` at its redirect URI without a code_challenge; one that does not require it (the default, as in
Cognito) may leave it out. The operator's policy for public clients is tested against a real server
(tests/e2e/cognito_api/test_pkce_default.py) and in tests/security/test_tokens.py."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from cognate.domain.clients import AppClient
from cognate.services import clients
from tests.http.oauth.conftest import CALLBACK, Env, pkce_pair


async def _client(env: Env, **req: object) -> AppClient:
    return await clients.create_client(env.deps, env.pool.id, {
        "ClientName": "spa", "CallbackURLs": [CALLBACK], "AllowedOAuthFlows": ["code", "implicit"],
        "AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": ["openid"],
        "SupportedIdentityProviders": ["COGNITO"], **req})


async def _authorize(env: Env, client: AppClient, **extra: str) -> dict[str, list[str]]:
    query = {"response_type": "code", "client_id": client.id, "redirect_uri": CALLBACK, "state": "s1", **extra}
    response: httpx.Response = await env.http.get("/oauth2/authorize", params=query)
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)


async def test_client_requiring_pkce_without_challenge_is_refused(env: Env) -> None:
    await env.sign_in()
    params = await _authorize(env, await _client(env, CognatePkceRequired=True))
    assert params == {"error": ["invalid_request"], "error_description": ["code_challenge required"],
                      "state": ["s1"]}


async def test_public_client_with_challenge_gets_a_code_it_can_redeem(env: Env) -> None:
    await env.sign_in()
    spa = await _client(env, CognatePkceRequired=True)
    verifier, challenge = pkce_pair()
    code = (await _authorize(env, spa, code_challenge=challenge, code_challenge_method="S256"))["code"][0]
    response = await env.http.post("/oauth2/token", data={
        "grant_type": "authorization_code", "client_id": spa.id, "code": code, "redirect_uri": CALLBACK,
        "code_verifier": verifier})
    assert response.status_code == 200, response.text


async def test_implicit_flow_is_not_affected(env: Env) -> None:
    await env.sign_in()
    spa = await _client(env)
    query = {"response_type": "token", "client_id": spa.id, "redirect_uri": CALLBACK, "scope": "openid"}
    response = await env.http.get("/oauth2/authorize", params=query)
    assert response.status_code == 302 and "access_token=" in response.headers["location"]


async def test_optional_pkce_and_confidential_clients_may_leave_it_out(env: Env) -> None:
    await env.sign_in()
    assert "code" in await _authorize(env, await _client(env))  # the default, as in Cognito
    assert "code" in await _authorize(env, await _client(env, CognatePkceRequired=False))
    assert "code" in await _authorize(env, env.web)


async def test_confidential_client_can_be_made_to_require_it(env: Env) -> None:
    await env.sign_in()
    strict = await _client(env, GenerateSecret=True, CognatePkceRequired=True)
    assert (await _authorize(env, strict))["error"] == ["invalid_request"]

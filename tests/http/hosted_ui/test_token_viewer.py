"""The built-in token viewer (issue 13 §2): `/token-viewer?client_id=...` starts a code flow with PKCE for a public
client that registers `{public_url}/token-viewer/callback`, and the callback shows the verified, decoded tokens.

And what an attacker tries: a code of one client with the flow of another, a missing, foreign or stale state, a
replayed code, another user's code in a victim's browser, crafted error text; and clients the viewer refuses.
Every refusal is a readable page (400), never a 500 and never tokens."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest

from cognate.domain.clients import AppClient
from cognate.services import clients, users
from cognate.services.token_viewer import UNVERIFIED, ViewerRefused, verify_tokens
from cognate.services.tokens.minting import TokenSet
from tests.http.hosted_ui.conftest import BASE, PASSWORD, Ui, csrf_of

pytestmark = pytest.mark.asyncio
VIEWER_CALLBACK = f"{BASE}/token-viewer/callback"
COOKIE = "cognate_token_viewer"
RAW_RE = re.compile(r'<pre class="raw"><code>([^<]+)</code></pre>')


async def _viewer_client(ui: Ui, **overrides: object) -> AppClient:
    return await clients.create_client(ui.deps, ui.pool.id, {
        "ClientName": "Token viewer app", "CallbackURLs": [VIEWER_CALLBACK], "AllowedOAuthFlows": ["code"],
        "AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": ["openid", "email", "profile"],
        "SupportedIdentityProviders": ["COGNITO"], **overrides})


@pytest.fixture
async def viewer(ui: Ui) -> AppClient:
    return await _viewer_client(ui)


@pytest.fixture
async def other_browser(ui: Ui) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser (its own cookies) on the same server."""
    async with httpx.AsyncClient(transport=ui.http._transport, base_url=BASE) as http:
        yield http


async def _start(http: httpx.AsyncClient, client_id: str) -> str:
    response = await http.get(f"/token-viewer?{urlencode({'client_id': client_id})}")
    assert response.status_code == 302, response.text
    return str(response.headers["location"])


async def _signed_in(http: httpx.AsyncClient, client_id: str, username: str = "jane@example.com") -> str:
    """Start a flow in `http` and sign in: the callback URL (with code and state) the browser is sent to."""
    authorize = await _start(http, client_id)
    login = (await http.get(authorize)).headers["location"]
    page = await http.get(login)
    response = await http.post(login, data={"username": username, "password": PASSWORD, "_csrf": csrf_of(page.text)})
    assert response.status_code == 303, response.text
    location = str(response.headers["location"])
    assert location.startswith(f"{VIEWER_CALLBACK}?"), location
    return location


def _params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _refused(response: httpx.Response, words: str) -> str:
    assert response.status_code == 400, response.text
    assert "location" not in response.headers
    text = unescape(response.text)
    assert "The token viewer cannot continue" in text and words in text, text
    assert not RAW_RE.search(response.text)
    return text


async def test_start_sends_the_browser_to_authorize_with_pkce_and_keeps_the_flow_in_a_path_cookie(
        ui: Ui, viewer: AppClient) -> None:
    response = await ui.http.get(f"/token-viewer?client_id={viewer.id}")
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith("/oauth2/authorize?")
    params = _params(location)
    assert params["client_id"] == viewer.id and params["redirect_uri"] == VIEWER_CALLBACK
    assert params["response_type"] == "code" and params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43 and len(params["state"]) >= 32 and params["nonce"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for part in ("HttpOnly", "Max-Age=600", "Path=/token-viewer/callback", "SameSite=lax"):
        assert part in cookie, cookie
    assert params["state"] not in cookie and params["code_challenge"] not in cookie  # sealed, not readable


async def test_the_callback_shows_the_tokens_verified_and_decoded(ui: Ui, viewer: AppClient) -> None:
    callback = await _signed_in(ui.http, viewer.id)
    response = await ui.http.get(callback)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    text = unescape(response.text)
    assert "You are signed in" in text and "jane@example.com" in text
    assert "ID token" in text and "Access token" in text and "Refresh token" in text
    issuer = f"{BASE}/{ui.pool.id}"
    assert f"{issuer}/.well-known/jwks.json" in text and "Expires " in text
    raw_tokens = RAW_RE.findall(response.text)
    assert len(raw_tokens) == 3  # ID, access, refresh
    keys = (await ui.http.get(f"/{ui.pool.id}/.well-known/jwks.json")).json()["keys"]
    id_token, access_token = raw_tokens[0], raw_tokens[1]
    key = jwt.PyJWK(next(k for k in keys if k["kid"] == jwt.get_unverified_header(id_token)["kid"]))
    claims = jwt.decode(id_token, key, algorithms=["RS256"], audience=viewer.id, issuer=issuer,
                        options={"verify_exp": False})  # the frozen clock is in the past
    assert claims["exp"] == int(ui.clock.now()) + 3600
    assert claims["email"] == "jane@example.com" and claims["token_use"] == "id"
    assert len(claims["nonce"]) >= 32  # the flow's own nonce, checked by the viewer
    assert f"<code>{claims['sub']}</code>" in response.text and str(claims["exp"]) in text
    access = jwt.decode(access_token, options={"verify_signature": False})
    assert access["client_id"] == viewer.id
    assert _params(callback)["code"] not in response.text  # not even in the language links
    assert COOKIE in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]  # used up
    assert (await ui.http.get(f"{BASE}/oauth2/userInfo", headers={"Authorization": f"Bearer {access_token}"})
            ).status_code == 200


async def test_a_client_that_does_not_register_the_callback_is_refused_before_any_sign_in(ui: Ui) -> None:
    response = await ui.http.get(f"/token-viewer?client_id={ui.web.id}")  # registers only its own app's callback
    text = _refused(response, "does not list the token viewer's callback URL")
    assert VIEWER_CALLBACK in text
    assert COOKIE not in response.headers.get("set-cookie", "")


@pytest.mark.parametrize(("overrides", "words"), [
    ({"GenerateSecret": True}, "has a client secret"),
    ({"AllowedOAuthFlows": ["implicit"]}, "may not use the authorization code flow"),
])
async def test_clients_the_viewer_cannot_sign_in_to_are_refused_with_the_reason(
        ui: Ui, overrides: dict[str, object], words: str) -> None:
    client = await _viewer_client(ui, **overrides)
    _refused(await ui.http.get(f"/token-viewer?client_id={client.id}"), words)


@pytest.mark.parametrize("query", ["", "?client_id=", "?client_id=nosuchclient0000000000000"])
async def test_a_missing_or_unknown_client_is_refused(ui: Ui, query: str) -> None:
    _refused(await ui.http.get(f"/token-viewer{query}"), "is not known")


async def test_a_code_of_another_client_with_this_browsers_flow_is_refused(
        ui: Ui, viewer: AppClient, other_browser: httpx.AsyncClient) -> None:
    """The victim's browser holds a flow for `viewer`; a code issued to client X (even with the victim's state,
    should it leak) is redeemed as `viewer` and refused: the code names its client."""
    other = await _viewer_client(ui, ClientName="Client X")
    victim_state = _params(await _start(ui.http, viewer.id))["state"]
    foreign = _params(await _signed_in(other_browser, other.id))
    crossed = {"code": foreign["code"], "state": victim_state}
    response = await ui.http.get(f"/token-viewer/callback?{urlencode(crossed)}")
    _refused(response, "could not be exchanged")
    # the code was not spent by the refusal: its own browser still gets its tokens
    mine = await other_browser.get(f"/token-viewer/callback?{urlencode(foreign)}")
    assert mine.status_code == 200 and "You are signed in" in mine.text


async def test_another_users_code_in_a_victims_browser_is_refused_by_the_state(
        ui: Ui, viewer: AppClient, other_browser: httpx.AsyncClient) -> None:
    """Login CSRF: the attacker signs in as themself and sends the victim their callback link."""
    await users.create_user(ui.deps, ui.pool.id, username="mallory@example.com",
                            attributes={"email_verified": "true", "given_name": "Mal"}, password=PASSWORD,
                            permanent=True)
    attackers = await _signed_in(other_browser, viewer.id, "mallory@example.com")
    await _start(ui.http, viewer.id)  # the victim has a flow of their own
    text = _refused(await ui.http.get(attackers), "does not belong to the sign-in this browser started")
    assert "mallory" not in text
    ui.http.cookies.clear()  # a victim without any flow
    _refused(await ui.http.get(attackers), "was not started in this browser")


async def test_a_missing_or_wrong_state_is_refused(ui: Ui, viewer: AppClient) -> None:
    callback = _params(await _signed_in(ui.http, viewer.id))
    _refused(await ui.http.get(f"/token-viewer/callback?{urlencode({'code': callback['code']})}"),
             "does not belong")
    wrong = {**callback, "state": callback["state"][:-1] + ("A" if callback["state"][-1] != "A" else "B")}
    _refused(await ui.http.get(f"/token-viewer/callback?{urlencode(wrong)}"), "does not belong")
    ok = await ui.http.get(f"/token-viewer/callback?{urlencode(callback)}")  # the flow survived both
    assert ok.status_code == 200, ok.text


async def test_a_replayed_callback_is_refused_and_revokes_what_the_code_issued(ui: Ui, viewer: AppClient) -> None:
    callback = await _signed_in(ui.http, viewer.id)
    flow_cookie = ui.http.cookies.get(COOKIE)
    first = await ui.http.get(callback)
    access_token = RAW_RE.findall(first.text)[1]
    ui.http.cookies.set(COOKIE, flow_cookie or "", domain="127.0.0.1", path="/token-viewer/callback")
    _refused(await ui.http.get(callback), "could not be exchanged")
    userinfo = await ui.http.get("/oauth2/userInfo", headers={"Authorization": f"Bearer {access_token}"})
    assert userinfo.status_code == 401


async def test_a_stale_or_forged_flow_cookie_is_refused(ui: Ui, viewer: AppClient) -> None:
    callback = await _signed_in(ui.http, viewer.id)
    ui.clock.advance(601)
    _refused(await ui.http.get(callback), "took too long")
    ui.http.cookies.set(COOKIE, "djEuZm9yZ2Vk", domain="127.0.0.1", path="/token-viewer/callback")
    _refused(await ui.http.get(callback), "took too long")


async def test_an_error_answer_is_shown_only_for_this_browsers_own_flow(ui: Ui, viewer: AppClient) -> None:
    state = _params(await _start(ui.http, viewer.id))["state"]
    crafted = {"error": "access_denied", "error_description": "Call +1 555 0100 to unlock your account"}
    text = _refused(await ui.http.get(f"/token-viewer/callback?{urlencode({**crafted, 'state': 'guess'})}"),
                    "does not belong")
    assert "555" not in text
    own = {"error": "invalid_scope", "error_description": "None of the requested scopes is allowed", "state": state}
    text = _refused(await ui.http.get(f"/token-viewer/callback?{urlencode(own)}"), "did not complete")
    assert "invalid_scope: None of the requested scopes is allowed" in text


async def test_on_a_pool_domain_the_start_moves_to_the_public_url(ui: Ui, viewer: AppClient) -> None:
    response = await ui.http.get(f"/token-viewer?client_id={viewer.id}", headers={"host": "acme.auth.localhost:9229"})
    assert response.status_code == 302
    assert response.headers["location"] == f"{BASE}/token-viewer?client_id={viewer.id}"
    assert COOKIE not in response.headers.get("set-cookie", "")


async def test_tokens_of_another_client_or_another_flow_do_not_verify(
        ui: Ui, viewer: AppClient, other_browser: httpx.AsyncClient) -> None:
    """The viewer's own checks after the exchange (defence in depth: the code already names its client)."""
    other = await _viewer_client(ui, ClientName="Client X")
    page = await other_browser.get(await _signed_in(other_browser, other.id))
    id_token, access_token, _ = RAW_RE.findall(page.text)
    issued = TokenSet(access_token=access_token, expires_in=3600, id_token=id_token)
    nonce = jwt.decode(id_token, options={"verify_signature": False})["nonce"]
    assert [t.use for t in await verify_tokens(ui.deps, other, issued, nonce=nonce)] == ["id", "access"]
    with pytest.raises(ViewerRefused, match=UNVERIFIED):
        await verify_tokens(ui.deps, viewer, issued, nonce=nonce)  # issued to X, shown as `viewer`'s
    with pytest.raises(ViewerRefused, match=UNVERIFIED):
        await verify_tokens(ui.deps, other, issued, nonce="another-flows-nonce")
    with pytest.raises(ViewerRefused, match=UNVERIFIED):
        await verify_tokens(ui.deps, other, TokenSet(access_token=id_token, expires_in=3600), nonce=nonce)

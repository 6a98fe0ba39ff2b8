"""Browser-side attacks on the hosted UI: cross-site form posts (CSRF), framing (clickjacking) and reflected or
stored script (XSS) in every parameter a page echoes (OWASP CSRF, Clickjacking and XSS cheat sheets)."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
from itsdangerous import URLSafeTimedSerializer

from tests.security.conftest import ASYNC, CB, PASSWORD, World, csrf_of

pytestmark = ASYNC

XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
XSS_ATTR = "' onmouseover='alert(3)' x='"
XSS_URL = "javascript:alert(4)"
PAGES = ["/login", "/signup", "/forgotPassword", "/confirmUser", "/confirmForgotPassword"]
FORMS = [*PAGES, "/newPassword", "/mfa", "/mfaSetup"]


def assert_escaped(response: httpx.Response) -> None:
    """No live markup from the payloads, in the body or in a Location header."""
    assert response.status_code < 500, response.text
    body = response.text
    for raw in ("<script>", "<img src=x", "onmouseover='alert", 'href="javascript:'):
        assert raw not in body, f"{raw!r} reflected unescaped"
    location = response.headers.get("location", "")
    assert not any(c in location for c in '<>"\'\r\n '), location


def assert_csrf_refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.status_code
    assert "location" not in response.headers
    assert "cognate_session" not in response.headers.get("set-cookie", "")
    assert "sent from another site" in response.text


async def test_csrf_token_missing_refused(world: World) -> None:
    await world.http.get(f"/login?{world.authorize_query()}")  # the browser has the CSRF cookie
    for path in FORMS:
        response = await world.http.post(f"{path}?{world.authorize_query()}",
                                         data={"username": "alice", "password": PASSWORD})
        assert_csrf_refused(response)


async def test_csrf_token_foreign_refused(world: World) -> None:
    """A token the attacker fetched in their own browser does not match the victim's CSRF cookie."""
    attackers = csrf_of((await world.http.get(f"/login?{world.authorize_query()}")).text)
    world.http.cookies.clear()
    await world.http.get(f"/login?{world.authorize_query()}")  # the victim's own CSRF cookie
    response = await world.http.post(f"/login?{world.authorize_query()}",
                                     data={"_csrf": attackers, "username": "alice", "password": PASSWORD})
    assert_csrf_refused(response)


async def test_csrf_token_signed_with_another_key_refused(world: World) -> None:
    await world.http.get(f"/login?{world.authorize_query()}")
    cookie = world.http.cookies["cognate_csrf"]
    forged = URLSafeTimedSerializer(b"attacker-key-0123456789abcdef", salt="cognate-csrf").dumps(cookie)
    response = await world.http.post(f"/login?{world.authorize_query()}",
                                     data={"_csrf": forged, "username": "alice", "password": PASSWORD})
    assert_csrf_refused(response)


async def test_csrf_token_without_cookie_refused(world: World) -> None:
    token = csrf_of((await world.http.get(f"/login?{world.authorize_query()}")).text)
    world.http.cookies.clear()
    response = await world.http.post(f"/login?{world.authorize_query()}",
                                     data={"_csrf": token, "username": "alice", "password": PASSWORD})
    assert_csrf_refused(response)


async def test_csrf_token_tampered_refused(world: World) -> None:
    token = csrf_of((await world.http.get(f"/login?{world.authorize_query()}")).text)
    for bad in (token[:-3] + "abc", token + "x", "", "null", token.split(".")[0]):
        response = await world.http.post(f"/login?{world.authorize_query()}",
                                         data={"_csrf": bad, "username": "alice", "password": PASSWORD})
        assert_csrf_refused(response)


async def test_csrf_refusal_changes_no_state(world: World) -> None:
    """A cross-site POST with the right password neither signs in nor counts as a failed attempt."""
    await world.http.get(f"/login?{world.authorize_query()}")
    before = await world.fingerprint()
    for password in (PASSWORD, "wrong-Password-1"):
        response = await world.http.post(f"/login?{world.authorize_query()}",
                                         data={"username": "alice", "password": password})
        assert_csrf_refused(response)
    assert await world.fingerprint() == before


async def test_clickjacking_headers_on_every_page(world: World) -> None:
    """X-Frame-Options DENY and CSP frame-ancestors 'none' on pages, error pages and refusals alike."""
    await world.http.get(f"/login?{world.authorize_query()}")
    responses = [await world.http.get(f"{path}?{world.authorize_query()}") for path in PAGES]
    responses += [
        await world.http.get("/error?error=redirect_mismatch"),
        await world.http.get(f"/logout?client_id={world.web.id}"),
        await world.http.get("/login?client_id=unknown-client"),
        await world.http.get(f"/login?{world.authorize_query(redirect_uri='https://evil.example.net/')}"),
        await world.http.post(f"/login?{world.authorize_query()}", data={"username": "x"}),  # CSRF refusal
        await world.submit(f"/login?{world.authorize_query()}", {"username": "alice", "password": "nope"}),
    ]
    for response in responses:
        assert response.headers["x-frame-options"] == "DENY", response.request.url
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"


async def test_xss_in_every_reflected_login_parameter_is_escaped(world: World) -> None:
    for name in ("state", "nonce", "login_hint", "lang", "prompt", "idp_identifier"):
        for payload in (XSS, XSS_ATTR, XSS_URL):
            response = await world.http.get(f"/login?{world.authorize_query(None, **{name: payload})}")
            assert response.status_code == 200, (name, response.text)
            assert_escaped(response)
    scoped = await world.http.get(f"/login?{world.authorize_query(scope='openid ' + XSS)}")
    assert scoped.status_code == 200
    assert_escaped(scoped)


async def test_xss_in_parameters_that_fail_validation_is_escaped(world: World) -> None:
    for name in ("client_id", "redirect_uri", "response_type", "code_challenge", "identity_provider", "scope"):
        for path in ("/login", "/signup", "/oauth2/authorize"):
            response = await world.http.get(f"{path}?{world.authorize_query(None, **{name: XSS})}")
            assert response.status_code in (302, 400), (name, path, response.status_code)
            assert_escaped(response)


async def test_xss_in_error_page_parameters_is_escaped(world: World) -> None:
    query = urlencode({"error": XSS, "error_description": XSS, "client_id": XSS})
    response = await world.http.get(f"/error?{query}")
    assert response.status_code == 400
    assert_escaped(response)
    assert "alert(1)" not in response.text  # not even escaped: /error shows no text from the URL


async def test_xss_in_logout_parameters_is_escaped(world: World) -> None:
    for params in ({"client_id": XSS}, {"client_id": world.web.id, "logout_uri": XSS},
                   {"client_id": world.web.id, "redirect_uri": XSS, "response_type": "code", "state": XSS}):
        response = await world.http.get(f"/logout?{urlencode(params)}")
        assert response.status_code == 400
        assert_escaped(response)


async def test_xss_in_confirmation_link_parameters_is_escaped(world: World) -> None:
    query = urlencode({"client_id": world.web.id, "user_name": XSS, "confirmation_code": XSS})
    response = await world.http.get(f"/confirmUser?{query}")
    assert response.status_code == 400
    assert_escaped(response)
    flows = [urlencode({"client_id": world.web.id, "flow": XSS, "login_hint": XSS, "notice": XSS})]
    for path in ("/confirmUser", "/confirmForgotPassword", "/forgotPassword", "/signup"):
        assert_escaped(await world.http.get(f"{path}?{flows[0]}"))


async def test_xss_in_submitted_form_fields_is_escaped(world: World) -> None:
    query = world.authorize_query()
    for path, data in (
        ("/login", {"username": XSS, "password": XSS}),
        ("/signup", {"username": XSS, "password": "weak", "email": XSS}),
        ("/signup", {"username": "mallory", "password": "weak", "email": f"{XSS}@example.com", "name": XSS}),
        ("/forgotPassword", {"username": XSS}),
        ("/confirmUser", {"username": XSS, "code": XSS}),
        ("/confirmForgotPassword", {"username": XSS, "code": XSS, "new_password": XSS, "confirm_password": XSS}),
    ):
        response = await world.submit(f"{path}?{query}", data)
        assert response.status_code in (303, 400), (path, response.status_code)
        assert_escaped(response)


async def test_xss_in_stored_attributes_is_escaped_on_pages(world: World) -> None:
    """A user whose attributes hold markup (set through the API) sees it as text on the new-password page."""
    created = await world.api("AdminCreateUser", {
        "UserPoolId": world.pool.id, "Username": "stored-xss", "TemporaryPassword": "Temp-Passw0rd!",
        "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "name", "Value": XSS},
                                                        {"Name": "email", "Value": "xss@example.com"}]},
        signed=True)
    assert created.status_code == 200, created.text
    response = await world.submit(f"/login?{world.authorize_query()}",
                                  {"username": "stored-xss", "password": "Temp-Passw0rd!"})
    assert response.status_code == 200 and "new_password" in response.text
    assert_escaped(response)


async def test_redirect_after_sign_in_reaches_only_the_registered_uri(world: World) -> None:
    """The control for the attacks above: a real sign-in lands on the registered callback with a code."""
    response = await world.submit(f"/login?{world.authorize_query()}", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"].startswith(CB + "?code=")


async def test_error_page_does_not_render_text_from_the_url(world: World) -> None:
    """Text injection on the trusted origin (issue 12, item 10): a crafted /error link must not make this site say
    the attacker's words; the page shows the catalogue sentence for the error code and the request id only."""
    lure = "Your account is locked. Call +1 555 0100 or visit evil.example.net to unlock it"
    for error in ("redirect_mismatch", "invalid_request", "anything-else"):
        response = await world.http.get(f"/error?{urlencode({'error': error, 'error_description': lure})}")
        assert response.status_code == 400
        assert "Call +1 555" not in response.text and "evil.example.net" not in response.text
        assert response.headers["x-amzn-requestid"] in response.text
    known = await world.http.get(f"/error?{urlencode({'error': 'redirect_mismatch', 'error_description': lure})}")
    assert "is not set up correctly" in known.text

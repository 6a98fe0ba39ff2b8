"""Open-redirect attacks on /oauth2/authorize, the hosted UI and /logout: an unregistered URI never receives the
browser; the answer is a 302 to our own /error page (authorize) or a 400 error page (hosted UI), never a Location
on another host (spec §1.1 errors, §1.4; RFC 9700 §4.1.3 exact matching)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import httpx

from tests.security.conftest import ASYNC, ATTACKER, CB, LOCAL_CB, LOGOUT, PASSWORD, World, query_of

pytestmark = ASYNC


async def _authorize(world: World, redirect_uri: str, *, signed_in: bool = True) -> httpx.Response:
    if signed_in:  # a live session would otherwise answer straight away with a code: the worst case
        await world.sign_in()
    return await world.http.get(f"/oauth2/authorize?{world.authorize_query(redirect_uri=redirect_uri)}")


def assert_error_page(response: httpx.Response, error: str = "redirect_mismatch") -> None:
    """302 to this server's /error page with the error code, and nothing of the attacker's URL as the target."""
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    parts = urlsplit(location)
    assert (parts.scheme, parts.netloc, parts.path) == ("", "", "/error"), location
    assert query_of(location)["error"] == error
    assert "code=" not in location and ATTACKER not in location


async def test_redirect_uri_suffix_refused(world: World) -> None:
    assert_error_page(await _authorize(world, CB + "/../../evil"))
    assert_error_page(await _authorize(world, CB + "x"))


async def test_redirect_uri_prefix_refused(world: World) -> None:
    assert_error_page(await _authorize(world, CB[:-1]))
    assert_error_page(await _authorize(world, "https://app.example.com/"))


async def test_redirect_uri_case_variant_refused(world: World) -> None:
    assert_error_page(await _authorize(world, CB.replace("app.example.com", "APP.example.com")))
    assert_error_page(await _authorize(world, CB.upper()))
    assert_error_page(await _authorize(world, CB.replace("https", "HTTPS")))


async def test_redirect_uri_encoded_slashes_refused(world: World) -> None:
    assert_error_page(await _authorize(world, "https://app.example.com%2Fcb"))
    assert_error_page(await _authorize(world, "https://app.example.com/cb%2F..%2F..%2Fevil"))
    assert_error_page(await _authorize(world, "https://app.example.com%2F%2F" + ATTACKER + "/cb"))


async def test_redirect_uri_userinfo_at_refused(world: World) -> None:
    assert_error_page(await _authorize(world, f"https://app.example.com@{ATTACKER}/cb"))
    assert_error_page(await _authorize(world, f"https://app.example.com%40{ATTACKER}/cb"))


async def test_redirect_uri_backslash_refused(world: World) -> None:
    assert_error_page(await _authorize(world, f"https://app.example.com\\@{ATTACKER}/cb"))
    assert_error_page(await _authorize(world, f"https:\\\\{ATTACKER}\\cb"))


async def test_redirect_uri_extra_query_refused(world: World) -> None:
    assert_error_page(await _authorize(world, f"{CB}?next=https://{ATTACKER}/"))
    assert_error_page(await _authorize(world, f"{CB}?"))


async def test_redirect_uri_fragment_refused(world: World) -> None:
    assert_error_page(await _authorize(world, f"{CB}#https://{ATTACKER}/"))
    assert_error_page(await _authorize(world, f"{CB}#"))


async def test_redirect_uri_localhost_other_port_refused(world: World) -> None:
    assert_error_page(await _authorize(world, LOCAL_CB.replace(":3000", ":3001")))
    assert_error_page(await _authorize(world, LOCAL_CB.replace(":3000", "")))


async def test_redirect_uri_localhost_lookalike_hosts_refused(world: World) -> None:
    for uri in ("http://127.0.0.1:3000/cb", "http://[::1]:3000/cb", f"http://localhost.{ATTACKER}:3000/cb",
                f"http://localhost:3000@{ATTACKER}/cb", "http://LOCALHOST:3000/cb", "http://localhost:03000/cb"):
        assert_error_page(await _authorize(world, uri))


async def test_redirect_uri_custom_scheme_variant_refused(world: World) -> None:
    assert_error_page(await _authorize(world, "myapp://cb.evil"))
    assert_error_page(await _authorize(world, "MYAPP://cb"))
    assert_error_page(await _authorize(world, f"javascript://{ATTACKER}/%0aalert(1)"))


async def test_redirect_uri_whitespace_and_control_characters_refused(world: World) -> None:
    assert_error_page(await _authorize(world, CB + " "))
    assert_error_page(await _authorize(world, " " + CB))
    assert_error_page(await _authorize(world, CB + "\r\nLocation: https://" + ATTACKER))


async def test_redirect_uri_of_another_client_refused(world: World) -> None:
    """A URI registered on another pool's client is not this client's."""
    assert_error_page(await _authorize(world, "https://other.example.com/cb"))


async def test_redirect_uri_missing_refused_without_redirect(world: World) -> None:
    await world.sign_in()
    query = urlencode({"response_type": "code", "client_id": world.web.id, "state": "s"})
    assert_error_page(await world.http.get(f"/oauth2/authorize?{query}"))


async def test_unknown_client_never_redirects(world: World) -> None:
    query = urlencode({"response_type": "code", "client_id": "doesnotexist", "redirect_uri": f"https://{ATTACKER}/"})
    assert_error_page(await world.http.get(f"/oauth2/authorize?{query}"))


async def test_redirect_uri_repeated_parameter_refused(world: World) -> None:
    """Parameter pollution: a second redirect_uri must not win over the registered first."""
    await world.sign_in()
    query = world.authorize_query() + "&" + urlencode({"redirect_uri": f"https://{ATTACKER}/cb"})
    response = await world.http.get(f"/oauth2/authorize?{query}")
    assert_error_page(response, error="invalid_request")


async def test_login_page_with_bad_redirect_uri_shows_error_page(world: World) -> None:
    for method in ("GET", "POST"):
        url = f"/login?{world.authorize_query(redirect_uri=f'https://{ATTACKER}/cb')}"
        response = await world.http.request(method, url, data={"username": "alice", "password": PASSWORD}
                                            if method == "POST" else None)
        assert response.status_code in (400, 403) and "location" not in response.headers, response.status_code
        assert ATTACKER not in response.headers.get("location", "")


async def test_login_post_with_valid_csrf_and_bad_redirect_uri_never_redirects(world: World) -> None:
    good = await world.http.get(f"/login?{world.authorize_query()}")
    from tests.security.conftest import csrf_of

    bad_url = f"/login?{world.authorize_query(redirect_uri=f'https://{ATTACKER}/cb')}"
    response = await world.http.post(bad_url, data={"_csrf": csrf_of(good.text), "username": "alice",
                                                    "password": PASSWORD})
    assert response.status_code == 400 and "location" not in response.headers
    assert "cognate_session" not in response.headers.get("set-cookie", "")


async def test_logout_open_redirect_refused(world: World) -> None:
    await world.sign_in()
    for uri in (f"https://{ATTACKER}/", LOGOUT + "/x", LOGOUT + "?next=x", LOGOUT.upper(),
                f"https://app.example.com@{ATTACKER}/bye", "//" + ATTACKER):
        response = await world.http.get(f"/logout?{urlencode({'client_id': world.web.id, 'logout_uri': uri})}")
        assert response.status_code == 400 and "location" not in response.headers, uri
        assert "cognate_session=" not in response.headers.get("set-cookie", ""), "a refused logout kept the session"


async def test_logout_with_unregistered_redirect_uri_refused(world: World) -> None:
    query = urlencode({"client_id": world.web.id, "redirect_uri": f"https://{ATTACKER}/", "response_type": "code"})
    response = await world.http.get(f"/logout?{query}")
    assert response.status_code == 400 and "location" not in response.headers


async def test_logout_registered_uri_still_redirects(world: World) -> None:
    """The control: the exact registered URI is followed, so the refusals above are about the URI."""
    await world.sign_in()
    response = await world.http.get(f"/logout?{urlencode({'client_id': world.web.id, 'logout_uri': LOGOUT})}")
    assert response.status_code == 302 and response.headers["location"] == LOGOUT

"""Refusals at /oauth2/authorize (spec §1.1 errors; RFC 6749 §4.1.2.1; RFC 9700 §4.1.3 exact redirect matching):
an unknown client or unregistered redirect URI gets the error page on the same host, never a redirect to the
client; everything else goes back to the validated redirect URI with `error` and `state`."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.e2e.oauth.conftest import (
    SPA_CB,
    WEB_CB,
    World,
    authorize,
    challenge,
    fragment_of,
    location,
    path_of,
    query_of,
)

VARIANTS = [
    "https://app.example.com/c",  # prefix
    "https://app.example.com/cb/evil",  # suffix
    "https://app.example.com/cbx",
    "https://APP.example.com/cb",  # case
    "https://app.example.com/CB",
    "https://app.example.com/cb/",  # trailing slash
    "https://app.example.com/cb?next=x",  # extra query
    "https://app.example.com:443/cb",  # "same" URL, different spelling
    "http://app.example.com/cb",
    "https://evil.example.com/cb",
    "https://app.example.com/cb#frag",
]


def _error_page(world: World, response_location: str) -> dict[str, str]:
    assert response_location.startswith("/error?"), response_location  # same host: a relative location
    return query_of(response_location)


@pytest.mark.parametrize("redirect_uri", VARIANTS)
def test_unregistered_redirect_uri_gets_the_error_page(world: World, redirect_uri: str) -> None:
    with world.http(signed_in_as="alice") as http:
        target = location(authorize(http, world.web, redirect_uri, state="s"))
    page = _error_page(world, target)
    assert page["error"] == "redirect_mismatch" and page["client_id"] == world.web.id
    assert "code" not in target and "evil" not in target


def test_unknown_or_missing_client_gets_the_error_page(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        unknown = location(http.get("/oauth2/authorize", params={
            "response_type": "code", "client_id": "nosuchclient0000000000000", "redirect_uri": WEB_CB}))
        missing = location(http.get("/oauth2/authorize", params={"response_type": "code", "redirect_uri": WEB_CB}))
    assert _error_page(world, unknown)["error"] == "redirect_mismatch"
    assert _error_page(world, missing)["error"] == "invalid_request"


@pytest.mark.parametrize("name", ["client_id", "redirect_uri", "state", "scope"])
def test_repeated_parameters_are_refused(world: World, name: str) -> None:
    params = [("response_type", "code"), ("client_id", world.spa.id), ("redirect_uri", SPA_CB), ("state", "s"),
              ("scope", "openid"), (name, dict([("client_id", world.web.id), ("redirect_uri", WEB_CB)]).get(name, "x"))]
    with world.http(signed_in_as="alice") as http:
        target = location(http.get(f"/oauth2/authorize?{urlencode(params)}"))
    page = _error_page(world, target)
    assert page["error"] == "invalid_request" and "more than once" in page["error_description"]


@pytest.mark.parametrize(("extra", "error"), [
    ({"scope": "phone"}, "invalid_scope"),
    ({"response_type": ""}, "invalid_request"),
    ({"response_type": "id_token"}, "unsupported_response_type"),
    ({"code_challenge_method": "plain", "code_challenge": "a" * 43}, "invalid_request"),
    ({"code_challenge": "a" * 43}, "invalid_request"),
    ({"code_challenge_method": "S256"}, "invalid_request"),
    ({"identity_provider": "Google"}, "unauthorized_client"),
])
def test_other_errors_go_back_to_the_client(world: World, extra: dict[str, str], error: str) -> None:
    with world.http(signed_in_as="alice") as http:
        target = location(authorize(http, world.spa, SPA_CB, state="st", **extra))
    assert target.startswith(f"{SPA_CB}?")
    assert query_of(target)["error"] == error and query_of(target)["state"] == "st"


def test_implicit_not_allowed_for_the_client(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        target = location(authorize(http, world.spa, SPA_CB, response_type="token", state="st"))
    assert target.startswith(f"{SPA_CB}#")
    assert fragment_of(target)["error"] == "unauthorized_client" and fragment_of(target)["state"] == "st"


def test_prompt_none(world: World) -> None:
    with world.http() as anonymous:
        target = location(authorize(anonymous, world.spa, SPA_CB, prompt="none", state="st", **challenge()))
    assert query_of(target) == {"error": "login_required", "error_description": "The user is not signed in",
                                "state": "st"}
    with world.http(signed_in_as="alice") as http:
        assert "code" in query_of(location(authorize(http, world.spa, SPA_CB, prompt="none", **challenge())))


def test_a_session_of_another_pool_does_not_sign_in(world: World) -> None:
    with world.http(signed_in_as="bob", pool=world.other_pool) as http:
        assert path_of(location(authorize(http, world.spa, SPA_CB, **challenge()))) == "/login"
        assert "code" in query_of(location(authorize(http, world.other, SPA_CB, **challenge())))

"""Property-based fuzzing of the OAuth endpoints: no input gives a 500 or a stack trace, a refused request changes
nothing in the database, and /oauth2/authorize sends the browser only to our own pages or a registered callback."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.security._fuzz import FUZZ, HEADER_TEXT, TEXT, Fuzz, fuzz_world, refused_changes_nothing
from tests.security.conftest import APP_CB, CB, LOCAL_CB

AUTHORIZE_PARAMS = ("response_type", "client_id", "redirect_uri", "state", "scope", "code_challenge",
                    "code_challenge_method", "nonce", "identity_provider", "idp_identifier", "prompt", "lang",
                    "login_hint")
TOKEN_PARAMS = ("grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier",
                "refresh_token", "scope", "token", "token_type_hint")
REGISTERED = (CB, LOCAL_CB, APP_CB)


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory, module_database_url: str) -> Iterator[Fuzz]:
    yield from fuzz_world(tmp_path_factory, module_database_url)


def _value(fuzz: Fuzz, name: str) -> st.SearchStrategy[str]:
    world = fuzz.world
    known = {
        "response_type": ["code", "token", "id_token", "code token"],
        "client_id": [world.web.id, world.spa.id, world.other.id, "unknown"],
        "redirect_uri": [*REGISTERED, CB + "/x", "https://evil.example.net/", "//evil.example.net", "/relative"],
        "grant_type": ["authorization_code", "refresh_token", "client_credentials", "password", "implicit"],
        "code_challenge_method": ["S256", "plain", "s256"],
        "scope": ["openid", "openid email profile", "aws.cognito.signin.user.admin", "https://x/y"],
        "prompt": ["none", "login", "consent"],
        "identity_provider": ["COGNITO", "Google"],
    }.get(name, [])
    return st.one_of(st.sampled_from(known), TEXT) if known else TEXT


def _params(fuzz: Fuzz, names: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({}, optional={n: _value(fuzz, n) for n in names}).map(
        lambda d: {k: v.replace("\x00", "") for k, v in d.items()})


@FUZZ
@given(data=st.data(), signed_in=st.booleans())
def test_fuzz_authorize_never_errors_and_never_redirects_elsewhere(fuzz: Fuzz, data: st.DataObject,
                                                                    signed_in: bool) -> None:
    params = data.draw(_params(fuzz, AUTHORIZE_PARAMS))
    world = fuzz.world
    world.http.cookies.clear()
    if signed_in:
        fuzz.run(world.sign_in)
    response = fuzz.run(lambda: refused_changes_nothing(world, lambda: world.http.get("/oauth2/authorize",
                                                                                       params=params)))
    assert response.status_code == 302, response.status_code
    location = response.headers["location"]
    parts = urlsplit(location)
    ours = not parts.scheme and not parts.netloc and parts.path in ("/error", "/login")
    assert ours or any(location.startswith(uri + sep) for uri in REGISTERED for sep in "?#"), location


@FUZZ
@given(data=st.data(), basic=st.one_of(st.none(), HEADER_TEXT, st.sampled_from(["web", "web-wrong"])))
def test_fuzz_token_endpoint_never_errors(fuzz: Fuzz, data: st.DataObject, basic: str | None) -> None:
    form = data.draw(_params(fuzz, TOKEN_PARAMS))
    world = fuzz.world
    headers: dict[str, str] = {}
    if basic == "web" or basic == "web-wrong":
        secret = world.web.secret if basic == "web" else "wrong"
        headers["Authorization"] = "Basic " + base64.b64encode(f"{world.web.id}:{secret}".encode()).decode()
    elif basic is not None:
        headers["Authorization"] = basic
    response = fuzz.run(lambda: refused_changes_nothing(world, lambda: world.http.post(
        "/oauth2/token", data=form, headers=headers)))
    if response.status_code >= 400:
        assert response.json()["error"] in ("invalid_request", "invalid_client", "invalid_grant",
                                             "unauthorized_client", "unsupported_grant_type", "invalid_scope")


@FUZZ
@given(data=st.data(), auth=st.one_of(HEADER_TEXT, HEADER_TEXT.map(lambda t: "Bearer " + t),
                                      st.lists(HEADER_TEXT, min_size=3, max_size=3).map(
                                          lambda p: "Bearer " + ".".join(p))))
def test_fuzz_userinfo_and_revoke_never_error(fuzz: Fuzz, data: st.DataObject, auth: str) -> None:
    world = fuzz.world
    info = fuzz.run(lambda: refused_changes_nothing(world, lambda: world.http.get(
        "/oauth2/userInfo", headers={"Authorization": auth})))
    assert info.status_code in (400, 401)
    form = data.draw(_params(fuzz, ("token", "client_id", "client_secret", "token_type_hint")))
    revoked = fuzz.run(lambda: refused_changes_nothing(world, lambda: world.http.post("/oauth2/revoke", data=form)))
    assert revoked.status_code in (200, 400, 401)

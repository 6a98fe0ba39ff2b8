"""Python Authlib as a backend on the same machine, on Cognate's defaults: its OpenID Connect client (the mixins its
Flask and Django integrations are built from, over the requests-based OAuth2Session) reads the discovery document,
builds the authorization URL with PKCE and a nonce, and, after the browser signed in on the pool's
`*.auth.localhost` domain, exchanges the code with client_secret_basic, validates the ID token against jwks_uri and
reads userinfo; then it revokes the refresh token. The rules of the pool's domain hold where it calls.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from authlib.integrations.base_client import BaseApp, FrameworkIntegration, OAuth2Mixin, OAuthError, OpenIDMixin
from authlib.integrations.requests_client import OAuth2Session

from tests.e2e.relying_parties.conftest import EMAIL, SCOPES, USERNAME, App, Site, query_of, sign_in

pytestmark = pytest.mark.slow


class Backend(OAuth2Mixin, OpenIDMixin, BaseApp):  # type: ignore[misc]  # Authlib ships no type hints
    """What `FlaskOAuth2App` is without Flask's request and session: the web framework only stores the state,
    verifier and nonce between the two requests, which this test keeps in hand instead."""

    client_cls = OAuth2Session


def _backend(site: Site, app: App) -> Backend:
    return Backend(FrameworkIntegration("cognate"), name="cognate", client_id=app.id, client_secret=app.secret,
                   server_metadata_url=f"{site.issuer}/.well-known/openid-configuration",
                   client_kwargs={"scope": " ".join(SCOPES), "code_challenge_method": "S256",
                                  "token_endpoint_auth_method": "client_secret_basic"})


def _signed_in(site: Site, browser: Any, backend: Backend) -> tuple[dict[str, str], str]:
    """The authorization request (state, code_verifier, nonce) and the callback URL the browser came back to."""
    request = backend.create_authorization_url(redirect_uri=site.callback)
    assert urlsplit(request["url"]).netloc == f"{site.domain_host}:{site.server.port}"  # the browser's side
    assert query_of(request["url"])["code_challenge_method"] == "S256"
    return request, sign_in(browser, site, request["url"])


def test_authlib_code_flow_with_pkce(site: Site, browser: Any) -> None:
    backend = _backend(site, site.confidential)
    request, callback = _signed_in(site, browser, backend)

    token = backend.fetch_access_token(redirect_uri=site.callback, authorization_response=callback,
                                       state=request["state"], code_verifier=request["code_verifier"])
    claims = backend.parse_id_token(token, nonce=request["nonce"])  # signature from jwks_uri, iss, aud, at_hash
    assert claims["iss"] == site.issuer and claims["aud"] == site.confidential.id
    assert claims["cognito:username"] == USERNAME and claims["email"] == EMAIL
    info = backend.userinfo(token=token)
    assert info["sub"] == claims["sub"] and info["email"] == EMAIL and info["username"] == USERNAME

    metadata = backend.load_server_metadata()
    for name in ("token_endpoint", "userinfo_endpoint", "revocation_endpoint", "jwks_uri"):
        assert urlsplit(metadata[name]).netloc == f"127.0.0.1:{site.server.port}", metadata
    with backend._get_oauth_client(**metadata) as session:
        revoked = session.revoke_token(metadata["revocation_endpoint"], token["refresh_token"],
                                       token_type_hint="refresh_token")
        assert revoked.status_code == 200
        with pytest.raises(OAuthError) as refused:
            session.refresh_token(metadata["token_endpoint"], refresh_token=token["refresh_token"])
    assert refused.value.error == "invalid_grant"


def _token(metadata: dict[str, Any], app: App, **form: str) -> requests.Response:
    auth = (app.id, app.secret) if app.secret else None
    body = form if app.secret else {"client_id": app.id, **form}
    return requests.post(metadata["token_endpoint"], data=body, auth=auth, timeout=10)


def test_the_advertised_token_endpoint_keeps_the_code_rules(site: Site, browser: Any) -> None:
    """A code from the pool's domain, redeemed where discovery sends servers: PKCE, the redirect URI, the client it
    was issued to and its secret are all checked as on the domain; the right request still succeeds after them."""
    backend = _backend(site, site.confidential)
    request, callback = _signed_in(site, browser, backend)
    metadata = backend.load_server_metadata()
    good = {"grant_type": "authorization_code", "code": query_of(callback)["code"], "redirect_uri": site.callback,
            "code_verifier": request["code_verifier"]}
    refusals = [
        (site.confidential, {**good, "code_verifier": "x" * 43}, "invalid_grant"),
        (site.confidential, {k: v for k, v in good.items() if k != "code_verifier"}, "invalid_grant"),
        (site.confidential, {**good, "redirect_uri": site.callback + "/other"}, "invalid_grant"),
        (site.public, good, "invalid_grant"),  # another client of the same pool
        (App(site.confidential.id, "wrong-secret-" + "0" * 20), good, "invalid_client"),
    ]
    for app, form, error in refusals:
        response = _token(metadata, app, **form)
        assert (response.status_code, response.json()["error"]) in {(400, error), (401, error)}, (form, response.text)
    assert _token(metadata, site.confidential, **good).status_code == 200
    again = _token(metadata, site.confidential, **good)
    assert again.json()["error"] == "invalid_grant"  # single use

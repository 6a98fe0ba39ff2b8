"""The implicit grant (RFC 6749 §4.2; OIDC Core §3.2.2.5, §3.2.2.9; spec §1.1): tokens in the fragment,
lowercase `bearer`, no refresh token, `at_hash` and `nonce` in the ID token."""

from __future__ import annotations

import base64
import hashlib

from tests.e2e.oauth.conftest import WEB_CB, World, authorize, decode, fragment_of, location, userinfo


def test_fragment_carries_the_tokens(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        target = location(authorize(http, world.web, WEB_CB, response_type="token", scope="openid email",
                                    state="st-1", nonce="nonce-1"))
        assert target.startswith(f"{WEB_CB}#")
        values = fragment_of(target)
        assert set(values) == {"id_token", "access_token", "token_type", "expires_in", "state"}
        assert values["token_type"] == "bearer" and values["expires_in"] == "3600" and values["state"] == "st-1"
        ident = decode(world, values["id_token"], audience=world.web.id)
        digest = hashlib.sha256(values["access_token"].encode()).digest()[:16]
        assert ident["at_hash"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        assert ident["nonce"] == "nonce-1" and ident["cognito:groups"] == ["admins"]
        assert decode(world, values["access_token"])["scope"] == "openid email"
        assert userinfo(http, values["access_token"]).status_code == 200


def test_no_id_token_without_openid(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        values = fragment_of(location(authorize(http, world.web, WEB_CB, response_type="token", scope="email")))
    assert set(values) == {"access_token", "token_type", "expires_in"}

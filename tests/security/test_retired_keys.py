"""A signing key dropped from JWKS still opening Cognate's own doors (issue 12, item 10): whoever holds a rotated-out
private key (a leaked backup, an old node) mints access tokens with a fresh `exp`; GetUser and /oauth2/userInfo must
refuse them once JWKS no longer publishes the key, exactly as a relying party that reads JWKS does.

This module advances its world's clock by a day, so it has a world of its own."""

from __future__ import annotations

from joserfc.jwk import RSAKey

from cognate.crypto.jwt import mint
from cognate.domain.keys import RETIRED_KEY_SECONDS
from cognate.services import keys
from tests.security.conftest import ASYNC, World, parts_of

pytestmark = ASYNC


async def _private_key(world: World, kid: str) -> RSAKey:
    stored = next(k for k in await keys.list_keys(world.deps, world.pool.id) if k.kid == kid)
    return keys.opened(world.deps, stored)


async def _token(world: World) -> dict[str, str]:
    response = await world.password_auth("alice", "Correct-Horse-9")
    assert response.status_code == 200, response.text
    return dict(response.json()["AuthenticationResult"])


async def test_token_minted_with_a_key_dropped_from_jwks_is_refused(world: World) -> None:
    genuine = await _token(world)
    header, claims = parts_of(genuine["AccessToken"])
    kid = header["kid"]
    old_private = await _private_key(world, kid)
    await keys.rotate_keys(world.deps, world.pool.id)
    world.clock.advance(RETIRED_KEY_SECONDS + 60)
    published = {k["kid"] for k in (await keys.jwks(world.deps, world.pool.id))["keys"]}
    assert kid not in published, "the old key has left JWKS"
    now = int(world.clock.now())
    forged = mint({**claims, "iat": now, "exp": now + 3600, "auth_time": now}, old_private)
    me = await world.api("GetUser", {"AccessToken": forged})
    assert me.status_code == 400 and me.json()["__type"] == "NotAuthorizedException", me.text
    assert (await world.userinfo(forged)).status_code == 401


async def test_token_of_a_key_still_in_jwks_verifies(world: World) -> None:
    """The control: a fresh token of the current key works at the same doors."""
    fresh = await _token(world)
    assert (await world.api("GetUser", {"AccessToken": fresh["AccessToken"]})).status_code == 200
    assert parts_of(fresh["AccessToken"])[0]["kid"] in {k["kid"] for k in
                                                        (await keys.jwks(world.deps, world.pool.id))["keys"]}

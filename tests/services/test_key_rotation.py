"""Key rotation publishes before it signs and keeps old keys published for the longest token life (issue 5)."""

from __future__ import annotations

from cognate.crypto.jwt import verify_signature
from cognate.domain.clock import FrozenClock
from cognate.domain.keys import RETIRED_KEY_SECONDS
from cognate.services import keys, pools
from cognate.services.deps import Deps


async def _signing_kid(deps: Deps, pool_id: str) -> str:
    key = await keys.signing_key(deps, pool_id, "access")
    return str(key.kid)


async def test_staged_rotation(deps: Deps, clock: FrozenClock) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "rotating"})
    old_kid = await _signing_kid(deps, pool.id)
    fresh = await keys.rotate_keys(deps, pool.id, publish_for=300)
    new_kid = next(k.kid for k in fresh if k.purpose == "access")
    published = {k["kid"] for k in (await keys.jwks(deps, pool.id))["keys"]}
    assert {old_kid, new_kid} <= published  # the new key is published at once...
    assert await _signing_kid(deps, pool.id) == old_kid  # ...but does not sign yet
    clock.advance(301)
    assert await _signing_kid(deps, pool.id) == new_kid
    report = {k.kid: state for k, state in await keys.key_report(deps, pool.id)}
    assert report[old_kid] == "retired" and report[new_kid] == "active"
    clock.advance(RETIRED_KEY_SECONDS - 10)
    assert old_kid in {k["kid"] for k in (await keys.jwks(deps, pool.id))["keys"]}  # old tokens still verify
    clock.advance(20)
    assert old_kid not in {k["kid"] for k in (await keys.jwks(deps, pool.id))["keys"]}


async def test_tokens_verify_across_a_rotation(deps: Deps, clock: FrozenClock) -> None:
    from joserfc import jws

    pool = await pools.create_pool(deps, {"PoolName": "verify"})
    before = jws.serialize_compact({"alg": "RS256", "kid": await _signing_kid(deps, pool.id)}, b"{}",
                                   await keys.signing_key(deps, pool.id, "access"))
    await keys.rotate_keys(deps, pool.id, publish_for=0)
    published = (await keys.jwks(deps, pool.id))["keys"]
    assert verify_signature(before, published) == {}

"""Refresh-token rotation with reuse detection (RFC 9700 §4.14.2), an option per client (RefreshTokenRotation)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from cognate.domain.clients import AppClient
from cognate.domain.clock import FrozenClock
from cognate.domain.errors import NotAuthorizedException
from cognate.domain.tokens import Grant
from cognate.services import clients, pools, users
from cognate.services.deps import Deps
from cognate.services.tokens.minting import mint_tokens
from cognate.services.tokens.refresh import refresh_tokens


async def _signed_in(deps: Deps, grace: int) -> tuple[AppClient, str]:
    pool = await pools.create_pool(deps, {"PoolName": "rot"})
    client = await clients.create_client(deps, pool.id, {
        "ClientName": "c", "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}})
    user, _ = await users.create_user(deps, pool.id, username="u", attributes={}, password="Passw0rd!!",
                                      permanent=True)
    grant = Grant(pool=pool, client=client, user=user, scopes=("aws.cognito.signin.user.admin",),
                  auth_time=int(deps.clock.now()), origin_jti=str(uuid.uuid4()))
    tokens = await mint_tokens(deps, grant, issue_refresh_token=True, issue_id_token=True)
    assert tokens.refresh_token is not None
    return client, tokens.refresh_token


async def test_rotation_and_reuse_revokes_the_family(deps: Deps) -> None:
    client, first = await _signed_in(deps, grace=0)
    second = (await refresh_tokens(deps, client, first, oauth=False)).refresh_token
    assert second is not None and second != first
    third = (await refresh_tokens(deps, client, second, oauth=False)).refresh_token
    assert third is not None
    with pytest.raises(NotAuthorizedException, match="revoked"):
        await refresh_tokens(deps, client, first, oauth=False)  # a token two generations back: reuse
    with pytest.raises(NotAuthorizedException, match="revoked"):
        await refresh_tokens(deps, client, third, oauth=False)  # the whole sign-in is gone


async def test_grace_period(deps: Deps, clock: FrozenClock) -> None:
    client, first = await _signed_in(deps, grace=30)
    second = (await refresh_tokens(deps, client, first, oauth=False)).refresh_token
    clock.advance(10)
    retry = await refresh_tokens(deps, client, first, oauth=False)
    assert retry.refresh_token is None and retry.access_token
    clock.advance(25)
    with pytest.raises(NotAuthorizedException):
        await refresh_tokens(deps, client, first, oauth=False)
    with pytest.raises(NotAuthorizedException):
        await refresh_tokens(deps, client, str(second), oauth=False)


async def test_parallel_refreshes_detect_reuse(deps: Deps) -> None:
    client, first = await _signed_in(deps, grace=0)

    async def attempt() -> str | None:
        try:
            return (await refresh_tokens(deps, client, first, oauth=False)).refresh_token
        except NotAuthorizedException:
            return None

    results = await asyncio.gather(*(attempt() for _ in range(8)))
    winners = [r for r in results if r]
    assert len(winners) <= 1 and results.count(None) >= 7
    for token in winners:  # one family: the reuse revoked it, the winner's new token included
        with pytest.raises(NotAuthorizedException):
            await refresh_tokens(deps, client, token, oauth=False)


async def test_without_rotation_the_token_stays(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "plain"})
    client = await clients.create_client(deps, pool.id, {"ClientName": "c"})
    assert client.refresh_rotation is False
    user, _ = await users.create_user(deps, pool.id, username="u", attributes={}, password="Passw0rd!!",
                                      permanent=True)
    tokens = await mint_tokens(deps, Grant(pool=pool, client=client, user=user, scopes=(), auth_time=1,
                                           origin_jti=str(uuid.uuid4())), issue_refresh_token=True, issue_id_token=True)
    assert tokens.refresh_token
    for _ in range(2):
        assert (await refresh_tokens(deps, client, tokens.refresh_token, oauth=False)).refresh_token is None

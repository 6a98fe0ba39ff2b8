"""Concurrent requests never corrupt state (issue 6): one winner for a username, one redemption per code."""

from __future__ import annotations

import asyncio
import secrets

from cognate.domain.errors import UsernameExistsException
from cognate.services import clients, pools, users
from cognate.services.authorization_codes import (
    CodeRefused,
    CodeRequest,
    issue_authorization_code,
    redeem_authorization_code,
    s256,
)
from cognate.services.deps import Deps
from cognate.services.signup import sign_up


async def test_parallel_sign_ups_of_one_username(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "race"})
    client = await clients.create_client(deps, pool.id, {"ClientName": "c"})

    async def attempt(i: int) -> str:
        try:
            await sign_up(deps, client_id=client.id, username="same", password=f"Passw0rd!{i}", attributes={})
        except UsernameExistsException:
            return "exists"
        return "created"

    outcomes = await asyncio.gather(*(attempt(i) for i in range(50)))
    assert outcomes.count("created") == 1 and outcomes.count("exists") == 49
    listed, _ = await users.list_users(deps, pool.id)
    assert [u.username for u in listed] == ["same"]


async def test_parallel_redemptions_of_one_code(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "codes"})
    client = await clients.create_client(deps, pool.id, {
        "ClientName": "web", "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"],
        "AllowedOAuthFlowsUserPoolClient": True, "CallbackURLs": ["https://app.example/cb"],
        "SupportedIdentityProviders": ["COGNITO"]})
    user, _ = await users.create_user(deps, pool.id, username="u", attributes={}, password="Passw0rd!!",
                                      permanent=True)
    verifier = secrets.token_urlsafe(48)
    raw = await issue_authorization_code(deps, CodeRequest(
        pool=pool, client=client, user=user, redirect_uri="https://app.example/cb", scopes=("openid",),
        auth_time=int(deps.clock.now()), code_challenge=s256(verifier)))

    async def redeem() -> str:
        try:
            await redeem_authorization_code(deps, client=client, raw=raw, redirect_uri="https://app.example/cb",
                                            verifier=verifier)
        except CodeRefused:
            return "refused"
        return "tokens"

    outcomes = await asyncio.gather(*(redeem() for _ in range(20)))
    assert outcomes.count("tokens") == 1 and outcomes.count("refused") == 19

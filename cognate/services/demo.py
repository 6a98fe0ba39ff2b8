"""The demo set-up of the quick start: one pool, a public app client, a domain and a confirmed user."""

from __future__ import annotations

from dataclasses import dataclass

from cognate.domain.clients import client_to_cognito
from cognate.domain.errors import ResourceNotFoundException
from cognate.services import clients, domains, pools, users
from cognate.services.deps import Deps

DEMO_POOL = "Cognate demo"
DEMO_USER = "demo@example.com"
DEMO_CALLBACK = "http://localhost:8000/callback"
# `cognate login`'s loopback redirect (RFC 8252 §7.3: the IP literal, not `localhost`); exact matching means a port
# fixed in advance, one unlikely to be taken next to the server's 9229.
LOGIN_PORT = 9228
LOGIN_CALLBACK = f"http://127.0.0.1:{LOGIN_PORT}/callback"
DEMO_CALLBACKS = (DEMO_CALLBACK, LOGIN_CALLBACK)
DEMO_LOGOUT = "http://localhost:8000/"


@dataclass(frozen=True)
class Demo:
    pool_id: str
    client_id: str
    domain: str | None
    username: str


async def existing_demo(deps: Deps, pool_id: str, client_id: str) -> Demo | None:
    """The demo a data dir recorded, if it still exists; a demo made by an older version gets the callback URLs
    added since (keeping any the user registered), so what `serve --demo` prints and `cognate login` work."""
    try:
        client = await clients.get_client(deps, client_id, pool_id=pool_id)
    except ResourceNotFoundException:
        return None
    missing = [url for url in DEMO_CALLBACKS if url not in client.callback_urls]
    if missing:
        await clients.update_client_settings(deps, pool_id, client_id, {
            **client_to_cognito(client, include_secret=False), "CallbackURLs": [*client.callback_urls, *missing]})
    found = [d for d in await domains.pool_domains(deps, pool_id) if not d.is_custom]
    return Demo(pool_id, client_id, found[0].domain if found else None, DEMO_USER)


async def create_demo(deps: Deps, password: str) -> Demo:
    pool = await pools.create_pool(deps, {
        "PoolName": DEMO_POOL,
        "UsernameAttributes": ["email"],
        "AutoVerifiedAttributes": ["email"],
        "Schema": [{"Name": "email", "Required": True, "Mutable": True}],
        "UsernameConfiguration": {"CaseSensitive": False},
    })
    client = await clients.create_client(deps, pool.id, {
        "ClientName": "demo-app",
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "SupportedIdentityProviders": ["COGNITO"],
        "CallbackURLs": list(DEMO_CALLBACKS),
        "LogoutURLs": [DEMO_LOGOUT],
        "AllowedOAuthFlows": ["code", "implicit"],
        "AllowedOAuthScopes": ["openid", "email", "profile", "phone", "aws.cognito.signin.user.admin"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "PreventUserExistenceErrors": "ENABLED",
    })
    prefix = None
    for candidate in ("demo", f"demo-{pool.id.split('_')[1].lower()}"):
        if (await domains.check_domain(deps, candidate))[0]:
            prefix = (await domains.create_domain(deps, {"Domain": candidate, "UserPoolId": pool.id})).domain
            break
    await users.create_user(deps, pool.id, username=DEMO_USER, attributes={"email_verified": "true"},
                            password=password, permanent=True)
    return Demo(pool.id, client.id, prefix, DEMO_USER)

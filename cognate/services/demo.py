"""The demo set-up of the quick start: one pool, a public app client, a domain and a confirmed user.

The client registers the token viewer's callback (`services.token_viewer`) on this server's public URL, so the link
`cognate serve --demo` prints ends on a page showing the tokens; a demo made before the viewer existed, or on another
public URL, gets that callback added when it is found again (its other callback URLs stay)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from cognate.domain.clients import AppClient, client_to_stored
from cognate.domain.errors import CognitoError, ResourceNotFoundException
from cognate.domain.redirects import MAX_URLS
from cognate.services import clients, domains, pools, users
from cognate.services.deps import Deps
from cognate.services.token_viewer import CALLBACK_PATH, callback_url, can_register, start_url

log = logging.getLogger("cognate.demo")
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
    sign_in_url: str | None  # the token viewer's start link; None when the public URL cannot be a callback URL


async def existing_demo(deps: Deps, pool_id: str, client_id: str) -> Demo | None:
    """The demo a data dir recorded, if it still exists; a demo made by an older version gets the callback URLs
    added since (keeping any the user registered), so what `serve --demo` prints and `cognate login` work."""
    try:
        client = await clients.get_client(deps, client_id, pool_id=pool_id)
    except ResourceNotFoundException:
        return None
    link = await _register_callbacks(deps, client)
    found = [d for d in await domains.pool_domains(deps, pool_id) if not d.is_custom]
    return Demo(pool_id, client_id, found[0].domain if found else None, DEMO_USER, link)


async def _register_callbacks(deps: Deps, client: AppClient) -> str | None:
    """Add what a demo made by an older version (or on another public URL) lacks: `cognate login`'s loopback
    callback and the token viewer's callback on this public URL, keeping every other entry but the viewer's oldest
    callbacks on other public URLs should the list reach Cognito's limit. The viewer's link; None when its URL
    cannot be registered, or the client, changed since, no longer validates (a warning says why)."""
    viewer = [callback_url(deps)] if can_register(deps) else []
    missing = [url for url in (*DEMO_CALLBACKS, *viewer) if url not in client.callback_urls]
    if missing:
        urls = [*client.callback_urls, *missing]
        while len(urls) > MAX_URLS and (old := [u for u in urls if u.endswith(CALLBACK_PATH) and u not in viewer]):
            urls.remove(old[0])
        try:
            await clients.update_client_settings(deps, client.pool_id, client.id,
                                                 {**client_to_stored(client), "CallbackURLs": urls})
        except CognitoError as exc:
            log.warning("demo client %s: cannot add the demo's callback URLs: %s", client.id, exc.message)
            return None
    return start_url(deps, client.id) if viewer else None


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
        "CallbackURLs": [*DEMO_CALLBACKS, *([callback_url(deps)] if can_register(deps) else [])],
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
    return Demo(pool.id, client.id, prefix, DEMO_USER, start_url(deps, client.id) if can_register(deps) else None)

"""The benchmark's fixture, made in-process through Cognate's services against the database the server will use."""

from __future__ import annotations

from dataclasses import dataclass

from cognate.app import build_deps
from cognate.services import bench, clients, pools, resource_servers
from cognate.settings import Settings
from cognate.store.sql.engine import SqlStore

CALLBACK = "http://localhost:8000/callback"
RESOURCE = "bench-api"
SIGN_IN_USERS = 200


@dataclass(frozen=True)
class Fixture:
    pool_id: str
    m2m_client_id: str
    m2m_secret: str
    web_client_id: str
    password: str
    users: int
    growth_pool_id: str
    growth_client_id: str


async def prepare(settings: Settings) -> Fixture:
    deps = build_deps(settings)
    try:
        assert isinstance(deps.store, SqlStore)
        await deps.store.migrate()
        pool = await pools.create_pool(deps, {"PoolName": "bench"})
        await resource_servers.create_resource_server(deps, pool.id, {
            "Identifier": RESOURCE, "Name": "bench", "Scopes": [{"ScopeName": "read", "ScopeDescription": "read"}]})
        m2m = await clients.create_client(deps, pool.id, {
            "ClientName": "bench-m2m", "GenerateSecret": True, "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": [f"{RESOURCE}/read"], "AllowedOAuthFlowsUserPoolClient": True})
        web = await clients.create_client(deps, pool.id, {
            "ClientName": "bench-web", "SupportedIdentityProviders": ["COGNITO"], "CallbackURLs": [CALLBACK],
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid", "email", "profile"],
            "AllowedOAuthFlowsUserPoolClient": True})
        seeded = await bench.seed_users(deps, pool.id, count=SIGN_IN_USERS)
        growth = await pools.create_pool(deps, {"PoolName": "bench-growth"})
        growth_client = await clients.create_client(deps, growth.id, {
            "ClientName": "growth-api", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})
        assert m2m.secret is not None
        return Fixture(pool.id, m2m.id, m2m.secret, web.id, seeded.password, SIGN_IN_USERS, growth.id,
                       growth_client.id)
    finally:
        deps.hasher.close()
        await deps.store.close()


"""Store conformance: every test runs against SQLite and PostgreSQL, each on a fresh, migrated database.

The store is driven only through its interface (`SqlStore.transaction()` and the repositories); raw SQL is used
only to check that rows are really gone and to compare the migrated schema with the models.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection

from cognate.domain.clients import AppClient, build_client
from cognate.domain.domains import PoolDomain, build_domain
from cognate.domain.groups import Group, build_group
from cognate.domain.keys import RETIRED, SigningKey
from cognate.domain.pools import UserPool, build_pool
from cognate.domain.scopes import ResourceServer, ResourceServerScope, build_resource_server
from cognate.domain.signin import CODE_SENT, WRONG_CODE, VerificationCode
from cognate.domain.users import User
from cognate.store.base import AlreadyExists, NotFound, StoredClient, UserFilter
from cognate.store.sql.auth_tables import VerificationEventRow
from cognate.store.sql.engine import MIGRATIONS, SqlStore
from cognate.store.sql.tables import (
    Base,
    ClientRow,
    DomainRow,
    GroupMemberRow,
    GroupRow,
    ResourceServerRow,
    SigningKeyRow,
    UserAliasRow,
    UserRow,
)

NOW = 1_767_225_600.125  # a fraction, so float precision is part of every round trip
POOL_A = "eu-west-1_AAAAAAAAA"
POOL_B = "eu-west-1_BBBBBBBBB"
POOL_C = "eu-west-1_CCCCCCCCC"
API = "https://api.example.com"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc-123"


# --------------------------------------------------------------------------------------------------- fixtures


@pytest.fixture
async def store(any_database_url: str) -> AsyncIterator[SqlStore]:
    """A migrated store on a brand-new database of the backend under test."""
    s = SqlStore(any_database_url)
    await s.migrate()
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
async def bare_store(any_database_url: str) -> AsyncIterator[SqlStore]:
    """A store on a brand-new database that has never been migrated."""
    s = SqlStore(any_database_url)
    try:
        yield s
    finally:
        await s.close()


# --------------------------------------------------------------------------------------------------- builders


def make_pool(pool_id: str, name: str | None = None, **req: Any) -> UserPool:
    return build_pool(pool_id, {"PoolName": name or f"pool-{pool_id[-3:]}", **req}, NOW)


def rich_pool(pool_id: str) -> UserPool:
    """A pool with every setting away from its default, so a lossy round trip shows."""
    return make_pool(
        pool_id,
        "rich pool",
        AliasAttributes=["email", "preferred_username"],
        AutoVerifiedAttributes=["email"],
        Schema=[
            {"Name": "tier", "AttributeDataType": "String", "Mutable": True,
             "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "32"}},
            {"Name": "custom:level", "AttributeDataType": "Number",
             "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "99"}},
            {"Name": "given_name", "AttributeDataType": "String", "Required": True},
        ],
        Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireSymbols": False,
                                     "TemporaryPasswordValidityDays": 3}},
        MfaConfiguration="OPTIONAL",
        DeletionProtection="ACTIVE",
        UsernameConfiguration={"CaseSensitive": False},
        AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "admin_only"}]},
        VerificationMessageTemplate={"EmailSubject": "Code", "EmailMessage": "Le code: {####}"},
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True,
                               "InviteMessageTemplate": {"EmailSubject": "Welcome",
                                                         "EmailMessage": "Hi {username}, {####}"}},
    )


def make_client(pool_id: str, client_id: str, *, secret: str | None = None, name: str = "web") -> AppClient:
    req: dict[str, Any] = {
        "ClientName": name,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email", f"{API}/read"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "CallbackURLs": ["https://app.example.com/cb", "http://localhost:3000/cb"],
        "LogoutURLs": ["https://app.example.com/bye"],
        "DefaultRedirectURI": "https://app.example.com/cb",
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "AccessTokenValidity": 30,
        "IdTokenValidity": 2,
        "RefreshTokenValidity": 7,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"},
        "ReadAttributes": ["email", "given_name"],
        "WriteAttributes": ["given_name"],
        "PreventUserExistenceErrors": "ENABLED",
        "AuthSessionValidity": 5,
        "SupportedIdentityProviders": ["COGNITO"],
    }
    return build_client(pool_id=pool_id, client_id=client_id, secret=secret, req=req, now=NOW,
                        available_scopes=frozenset({f"{API}/read"}),
                        pool_attributes=frozenset({"email", "given_name", "sub"}))


def make_user(pool_id: str, username: str, *, sub: str | None = None, status: str = "CONFIRMED",
              enabled: bool = True, custom: dict[str, str] | None = None, **attributes: str) -> User:
    return User(pool_id=pool_id, username=username, sub=sub or f"sub-{pool_id[-3:]}-{username}"[:36],
                created_at=NOW, updated_at=NOW, attributes={**attributes, **(custom or {})}, status=status,
                enabled=enabled,
                password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")


def make_key(pool_id: str, kid: str, created_at: float = NOW, purpose: str = "id") -> SigningKey:
    jwk = {"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": "0vx7agoebGcQSuu", "e": "AQAB"}
    return SigningKey(kid=kid, pool_id=pool_id, purpose=purpose, public_jwk=jwk, sealed_private=f"sealed:{kid}",
                      created_at=created_at)


def make_server(pool_id: str, identifier: str = API, name: str = "api") -> ResourceServer:
    return build_resource_server(pool_id, {
        "Identifier": identifier, "Name": name,
        "Scopes": [{"ScopeName": "read", "ScopeDescription": "Read things"},
                   {"ScopeName": "write", "ScopeDescription": "Write things"}],
    })


def make_domain(pool_id: str, domain: str, *, custom: bool = False) -> PoolDomain:
    req: dict[str, Any] = {"Domain": domain, "UserPoolId": pool_id}
    if custom:
        req["CustomDomainConfig"] = {"CertificateArn": CERT}
        req["ManagedLoginVersion"] = 2
    return build_domain(req, NOW)


def make_group(pool_id: str, name: str, **req: Any) -> Group:
    return build_group(pool_id, {"GroupName": name, **req}, NOW)


async def add_pools(store: SqlStore, *pool_ids: str) -> None:
    async with store.transaction() as tx:
        for pool_id in pool_ids:
            await tx.pools.add(make_pool(pool_id))


async def add_users(store: SqlStore, *users: User) -> None:
    async with store.transaction() as tx:
        for user in users:
            await tx.users.add(user, key=user.username, aliases={})


async def rows(store: SqlStore, table: Any, pool_id: str) -> int:
    """How many rows of `table` belong to the pool, read straight from the database."""
    async with store.engine.connect() as conn:
        count = await conn.scalar(select(func.count()).select_from(table).where(table.pool_id == pool_id))
    return int(count or 0)


def usernames(found: Any) -> list[str]:
    return [user.username for _, user in found]


# --------------------------------------------------------------------------------------------------- pools


async def test_pool_round_trip_equals_original(store: SqlStore) -> None:
    pool = rich_pool(POOL_A)
    plain = make_pool(POOL_B)
    async with store.transaction() as tx:
        await tx.pools.add(pool)
        await tx.pools.add(plain)
    async with store.transaction(readonly=True) as tx:
        assert await tx.pools.get(POOL_A) == pool
        assert await tx.pools.get(POOL_B) == plain
        assert await tx.pools.get("eu-west-1_missing") is None


async def test_pool_duplicate_id(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.pools.add(make_pool(POOL_A, "other"))
    assert err.value.what == "pool"


async def test_pool_list_limit_after(store: SqlStore) -> None:
    await add_pools(store, POOL_C, POOL_A, POOL_B)
    async with store.transaction(readonly=True) as tx:
        assert [p.id for p in await tx.pools.list(limit=2)] == [POOL_A, POOL_B]
        assert [p.id for p in await tx.pools.list(limit=2, after=POOL_B)] == [POOL_C]
        assert [p.id for p in await tx.pools.list(limit=10, after=POOL_A)] == [POOL_B, POOL_C]
        assert [p.id for p in await tx.pools.list(limit=10, after=POOL_C)] == []
        assert [p.id for p in await tx.pools.list(limit=10)] == [POOL_A, POOL_B, POOL_C]


async def test_pool_update(store: SqlStore) -> None:
    pool = rich_pool(POOL_A)
    async with store.transaction() as tx:
        await tx.pools.add(pool)
    changed = replace(pool, name="renamed", mfa_configuration="ON", deletion_protection=False,
                      updated_at=NOW + 60.5)
    async with store.transaction() as tx:
        await tx.pools.update(changed)
    async with store.transaction(readonly=True) as tx:
        got = await tx.pools.get(POOL_A)
    assert got == changed
    assert got is not None and got.created_at == NOW and got.updated_at == NOW + 60.5
    with pytest.raises(NotFound):
        async with store.transaction() as tx:
            await tx.pools.update(make_pool(POOL_B))


async def test_pool_delete_cascades(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    for pool_id in (POOL_A, POOL_B):
        async with store.transaction() as tx:
            tag = pool_id[-1].lower()
            await tx.keys.add(make_key(pool_id, f"kid-{tag}"))
            await tx.clients.add(StoredClient(make_client(pool_id, f"client{tag}"), None))
            await tx.resource_servers.add(make_server(pool_id))
            await tx.domains.add(make_domain(pool_id, f"login-{tag}"))
            user = make_user(pool_id, "alice", email="alice@example.com", email_verified="true")
            await tx.users.add(user, key="alice", aliases={"email": "alice@example.com"})
            await tx.groups.add(make_group(pool_id, "admins"))
            await tx.groups.add_member(pool_id, "admins", user.sub)
    tables = (SigningKeyRow, ClientRow, ResourceServerRow, DomainRow, UserRow, UserAliasRow, GroupRow,
              GroupMemberRow)
    assert [await rows(store, t, POOL_A) for t in tables] == [1] * len(tables)

    async with store.transaction() as tx:
        await tx.pools.delete(POOL_A)

    assert [await rows(store, t, POOL_A) for t in tables] == [0] * len(tables)
    assert [await rows(store, t, POOL_B) for t in tables] == [1] * len(tables)  # the other pool is untouched
    async with store.transaction(readonly=True) as tx:
        assert await tx.pools.get(POOL_A) is None
        assert await tx.clients.get("clienta") is None
        assert await tx.domains.get("login-a") is None
        assert await tx.users.get(POOL_A, "alice") is None
        assert await tx.groups.get(POOL_A, "admins") is None
        assert await tx.keys.list_for_pool(POOL_A) == []
        assert [p.id for p in await tx.pools.list(limit=10)] == [POOL_B]


# --------------------------------------------------------------------------------------------------- signing keys


async def test_signing_keys(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    later = make_key(POOL_A, "kid-3", NOW + 100)
    first = make_key(POOL_A, "kid-1", NOW - 100, purpose="access")
    middle = make_key(POOL_A, "kid-2", NOW)
    other = make_key(POOL_B, "kid-b", NOW)
    async with store.transaction() as tx:
        for key in (later, first, middle, other):
            await tx.keys.add(key)
    async with store.transaction(readonly=True) as tx:
        assert await tx.keys.list_for_pool(POOL_A) == [first, middle, later]
        assert await tx.keys.list_for_pool(POOL_B) == [other]

    async with store.transaction() as tx:
        await tx.keys.set_status("kid-1", RETIRED)
    async with store.transaction(readonly=True) as tx:
        assert await tx.keys.list_for_pool(POOL_A) == [replace(first, status=RETIRED), middle, later]

    async with store.transaction() as tx:
        await tx.keys.delete("kid-2")
    async with store.transaction(readonly=True) as tx:
        assert await tx.keys.list_for_pool(POOL_A) == [replace(first, status=RETIRED), later]
        assert await tx.keys.list_for_pool(POOL_B) == [other]

    with pytest.raises(NotFound):
        async with store.transaction() as tx:
            await tx.keys.set_status("kid-2", RETIRED)
    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.keys.add(make_key(POOL_A, "kid-1"))
    assert err.value.what == "signing key"


async def test_signing_keys_created_together_have_a_stable_order(store: SqlStore) -> None:
    """A pool's id and access keys are made in the same instant: ties are broken by kid, on every backend."""
    await add_pools(store, POOL_A)
    keys = [make_key(POOL_A, f"kid-{c}", NOW) for c in "dbca"]
    async with store.transaction() as tx:
        for key in keys:
            await tx.keys.add(key)
    async with store.transaction(readonly=True) as tx:
        assert [k.kid for k in await tx.keys.list_for_pool(POOL_A)] == ["kid-a", "kid-b", "kid-c", "kid-d"]


# --------------------------------------------------------------------------------------------------- clients


async def test_client_round_trip_keeps_sealed_secret(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    with_secret = make_client(POOL_A, "clientwithsecret", secret="s" * 52)
    public = make_client(POOL_A, "publicclient", name="spa")
    async with store.transaction() as tx:
        await tx.clients.add(StoredClient(with_secret, "v1.sealed.secret=="))
        await tx.clients.add(StoredClient(public, None))
    async with store.transaction(readonly=True) as tx:
        got = await tx.clients.get("clientwithsecret")
        assert got == StoredClient(replace(with_secret, secret=None), "v1.sealed.secret==")
        assert await tx.clients.get("publicclient") == StoredClient(public, None)
        assert await tx.clients.get("nosuchclient") is None


async def test_client_list_count_update_delete(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    async with store.transaction() as tx:
        for client_id in ("client3", "client1", "client2"):
            await tx.clients.add(StoredClient(make_client(POOL_A, client_id), f"sealed-{client_id}"))
        await tx.clients.add(StoredClient(make_client(POOL_B, "client0"), None))
    async with store.transaction(readonly=True) as tx:
        assert [r.client.id for r in await tx.clients.list(POOL_A, limit=2)] == ["client1", "client2"]
        assert [r.client.id for r in await tx.clients.list(POOL_A, limit=2, after="client2")] == ["client3"]
        assert [r.sealed_secret for r in await tx.clients.list(POOL_A, limit=10)] == [
            "sealed-client1", "sealed-client2", "sealed-client3"]
        assert await tx.clients.count(POOL_A) == 3
        assert await tx.clients.count(POOL_B) == 1
        assert await tx.clients.count(POOL_C) == 0

    changed = replace(make_client(POOL_A, "client2"), name="renamed", callback_urls=("https://new.example.com/cb",),
                      default_redirect_uri=None, updated_at=NOW + 5)
    async with store.transaction() as tx:
        await tx.clients.update(StoredClient(changed, "sealed-rotated"))
    async with store.transaction(readonly=True) as tx:
        assert await tx.clients.get("client2") == StoredClient(changed, "sealed-rotated")

    async with store.transaction() as tx:
        await tx.clients.delete("client2")
    async with store.transaction(readonly=True) as tx:
        assert await tx.clients.get("client2") is None
        assert [r.client.id for r in await tx.clients.list(POOL_A, limit=10)] == ["client1", "client3"]
        assert await tx.clients.count(POOL_A) == 2
    with pytest.raises(NotFound):
        async with store.transaction() as tx:
            await tx.clients.update(StoredClient(changed, None))


async def test_client_duplicate_id(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    async with store.transaction() as tx:
        await tx.clients.add(StoredClient(make_client(POOL_A, "sameid"), None))
    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.clients.add(StoredClient(make_client(POOL_B, "sameid"), None))
    assert err.value.what == "client"
    async with store.transaction(readonly=True) as tx:
        got = await tx.clients.get("sameid")
        assert got is not None and got.client.pool_id == POOL_A
        assert await tx.clients.count(POOL_B) == 0


# --------------------------------------------------------------------------------------------------- resource servers


async def test_resource_server_crud(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    api = make_server(POOL_A)
    other = make_server(POOL_A, "billing", "billing")
    async with store.transaction() as tx:
        await tx.resource_servers.add(api)
        await tx.resource_servers.add(other)
        await tx.resource_servers.add(make_server(POOL_B))  # the same identifier in another pool is fine
    async with store.transaction(readonly=True) as tx:
        assert await tx.resource_servers.get(POOL_A, API) == api
        assert await tx.resource_servers.get(POOL_A, "nope") is None
        assert list(await tx.resource_servers.list(POOL_A)) == [other, api]
        assert list(await tx.resource_servers.list(POOL_A, limit=1)) == [other]
        assert list(await tx.resource_servers.list(POOL_A, after="billing")) == [api]

    changed = replace(api, name="api v2", scopes=(ResourceServerScope("admin", "Everything"),))
    async with store.transaction() as tx:
        await tx.resource_servers.update(changed)
    async with store.transaction(readonly=True) as tx:
        assert await tx.resource_servers.get(POOL_A, API) == changed
        assert await tx.resource_servers.get(POOL_B, API) == make_server(POOL_B)

    async with store.transaction() as tx:
        await tx.resource_servers.delete(POOL_A, API)
    async with store.transaction(readonly=True) as tx:
        assert await tx.resource_servers.get(POOL_A, API) is None
        assert list(await tx.resource_servers.list(POOL_A)) == [other]
        assert await tx.resource_servers.get(POOL_B, API) == make_server(POOL_B)
    with pytest.raises(NotFound):
        async with store.transaction() as tx:
            await tx.resource_servers.update(changed)


async def test_resource_server_duplicate(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    async with store.transaction() as tx:
        await tx.resource_servers.add(make_server(POOL_A))
    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.resource_servers.add(make_server(POOL_A, name="again"))
    assert err.value.what == "resource server"
    async with store.transaction(readonly=True) as tx:
        assert await tx.resource_servers.get(POOL_A, API) == make_server(POOL_A)


# --------------------------------------------------------------------------------------------------- domains


async def test_domain_add_get_for_pool_delete(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    prefix = make_domain(POOL_A, "my-login")
    custom = make_domain(POOL_A, "auth.example.com", custom=True)
    async with store.transaction() as tx:
        await tx.domains.add(custom)
        await tx.domains.add(prefix)
    async with store.transaction(readonly=True) as tx:
        assert await tx.domains.get("my-login") == prefix
        assert await tx.domains.get("auth.example.com") == custom
        assert await tx.domains.get("nope") is None
        assert list(await tx.domains.for_pool(POOL_A)) == [prefix, custom]
        assert list(await tx.domains.for_pool(POOL_B)) == []

    async with store.transaction() as tx:
        await tx.domains.delete("my-login")
    async with store.transaction(readonly=True) as tx:
        assert await tx.domains.get("my-login") is None
        assert list(await tx.domains.for_pool(POOL_A)) == [custom]
    async with store.transaction() as tx:  # the prefix is free again, for any pool
        await tx.domains.add(make_domain(POOL_B, "my-login"))
    async with store.transaction(readonly=True) as tx:
        assert await tx.domains.get("my-login") == make_domain(POOL_B, "my-login")


async def test_domain_prefix_is_unique_across_pools(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    async with store.transaction() as tx:
        await tx.domains.add(make_domain(POOL_A, "taken"))
    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.domains.add(make_domain(POOL_B, "taken"))
    assert err.value.what == "domain"
    async with store.transaction(readonly=True) as tx:
        assert await tx.domains.get("taken") == make_domain(POOL_A, "taken")
        assert list(await tx.domains.for_pool(POOL_B)) == []


async def test_domain_one_of_each_kind_per_pool(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    async with store.transaction() as tx:
        await tx.domains.add(make_domain(POOL_A, "first"))
        await tx.domains.add(make_domain(POOL_A, "auth.example.com", custom=True))
    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.domains.add(make_domain(POOL_A, "second"))
    assert err.value.what == "domain"
    with pytest.raises(AlreadyExists):
        async with store.transaction() as tx:
            await tx.domains.add(make_domain(POOL_A, "login.example.com", custom=True))
    async with store.transaction(readonly=True) as tx:
        assert [d.domain for d in await tx.domains.for_pool(POOL_A)] == ["first", "auth.example.com"]
        assert await tx.domains.get("second") is None


# --------------------------------------------------------------------------------------------------- users


async def test_user_add_get_round_trip(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    alice = make_user(POOL_A, "Alice", sub="7d3f0c8e-1111-4a2b-9c3d-000000000001", status="FORCE_CHANGE_PASSWORD",
                      email="alice@example.com", email_verified="true", given_name="Alice",
                      custom={"custom:tier": "gold"})
    bare = replace(make_user(POOL_A, "bare"), password_hash=None, enabled=False, status="UNCONFIRMED")
    async with store.transaction() as tx:
        await tx.users.add(alice, key="alice", aliases={})
        await tx.users.add(bare, key="bare", aliases={})
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get(POOL_A, "alice") == alice
        assert await tx.users.get(POOL_A, "Alice") is None  # looked up by key, not by display name
        assert await tx.users.get(POOL_B, "alice") is None
        assert await tx.users.get(POOL_A, "bare") == bare
        assert await tx.users.get_by_sub(POOL_A, alice.sub) == alice
        assert await tx.users.get_by_sub(POOL_B, alice.sub) is None
        assert await tx.users.get_by_sub(POOL_A, "no-such-sub") is None
        assert await tx.users.count(POOL_A) == 2
        assert await tx.users.count(POOL_B) == 0


async def test_username_unique_per_pool(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    await add_users(store, make_user(POOL_A, "alice"))
    with pytest.raises(AlreadyExists) as err:
        await add_users(store, make_user(POOL_A, "alice", sub="another-sub"))
    assert err.value.what == "username"
    in_b = make_user(POOL_B, "alice")
    await add_users(store, in_b)
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get(POOL_A, "alice") == make_user(POOL_A, "alice")
        assert await tx.users.get(POOL_B, "alice") == in_b
        assert await tx.users.get_by_sub(POOL_A, "another-sub") is None
        assert await tx.users.count(POOL_A) == 1
        assert await tx.users.count(POOL_B) == 1


async def test_user_aliases(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    alice = make_user(POOL_A, "alice", email="Alice@Example.com", email_verified="true", preferred_username="al")
    async with store.transaction() as tx:
        await tx.users.add(alice, key="alice", aliases={"email": "alice@example.com", "preferred_username": "al"})
        bob_b = make_user(POOL_B, "bob", email="alice@example.com")
        await tx.users.add(bob_b, key="bob", aliases={"email": "alice@example.com"})  # other pool: fine
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get_by_alias(POOL_A, "email", "alice@example.com") == alice
        assert await tx.users.get_by_alias(POOL_A, "preferred_username", "al") == alice
        assert await tx.users.get_by_alias(POOL_A, "email", "Alice@Example.com") is None
        assert await tx.users.get_by_alias(POOL_A, "phone_number", "alice@example.com") is None
        assert await tx.users.get_by_alias(POOL_B, "email", "alice@example.com") == bob_b

    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.users.add(make_user(POOL_A, "mallory", email="alice@example.com"), key="mallory",
                               aliases={"email": "alice@example.com"})
    assert err.value.what == "email"
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get(POOL_A, "mallory") is None  # the whole transaction was rolled back

    changed = replace(alice, attributes={**alice.attributes, "email": "new@example.com"}, updated_at=NOW + 1)
    async with store.transaction() as tx:
        await tx.users.update(changed, aliases={"email": "new@example.com"})
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get_by_alias(POOL_A, "email", "new@example.com") == changed
        assert await tx.users.get_by_alias(POOL_A, "email", "alice@example.com") is None
        assert await tx.users.get_by_alias(POOL_A, "preferred_username", "al") is None
        assert await tx.users.get(POOL_A, "alice") == changed
    assert await rows(store, UserAliasRow, POOL_A) == 1

    # the freed value can be taken by someone else; the new one cannot
    async with store.transaction() as tx:
        carol = make_user(POOL_A, "carol")
        await tx.users.add(carol, key="carol", aliases={"email": "alice@example.com"})
    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.users.update(carol, aliases={"email": "new@example.com"})
    assert err.value.what == "email"
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get_by_alias(POOL_A, "email", "alice@example.com") == carol


async def test_user_update_and_delete(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    alice = make_user(POOL_A, "alice", email="alice@example.com")
    await add_users(store, alice, make_user(POOL_A, "bob"))
    changed = replace(alice, attributes={"email": "a2@example.com", "given_name": "Al"}, status="RESET_REQUIRED",
                      enabled=False, password_hash=None, updated_at=NOW + 9)
    async with store.transaction() as tx:
        await tx.users.update(changed, aliases={})
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get(POOL_A, "alice") == changed
        assert usernames(await tx.users.list(POOL_A, limit=10, where=UserFilter("email", "a2@example.com"))) == [
            "alice"]
        assert usernames(await tx.users.list(POOL_A, limit=10, where=UserFilter("email", "alice@example.com"))) == []
    async with store.transaction() as tx:
        await tx.users.delete(POOL_A, alice.sub)
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get(POOL_A, "alice") is None
        assert await tx.users.get_by_sub(POOL_A, alice.sub) is None
        assert await tx.users.count(POOL_A) == 1
    with pytest.raises(NotFound):
        async with store.transaction() as tx:
            await tx.users.update(changed, aliases={})


async def test_challenge_attempts_count_purge_and_cascade(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    alice, bob = make_user(POOL_A, "alice"), make_user(POOL_A, "bob")
    await add_users(store, alice, bob)
    async with store.transaction() as tx:
        assert await tx.users.get_by_sub(POOL_A, alice.sub, for_update=True) == alice
        assert await tx.challenge_attempts.get("s1") == 0
        await tx.challenge_attempts.put("s1", alice.sub, 1, NOW + 10)
        await tx.challenge_attempts.put("s1", alice.sub, 2, NOW + 10)
        await tx.challenge_attempts.put("s2", alice.sub, 1, NOW - 1)
        await tx.challenge_attempts.put("s3", bob.sub, 4, NOW - 1)
    async with store.transaction() as tx:
        await tx.challenge_attempts.purge_expired(alice.sub, NOW)
    async with store.transaction(readonly=True) as tx:
        assert [await tx.challenge_attempts.get(s) for s in ("s1", "s2", "s3")] == [2, 0, 4]  # only alice's expired
    async with store.transaction() as tx:
        await tx.users.delete(POOL_A, bob.sub)
    async with store.transaction(readonly=True) as tx:
        assert await tx.challenge_attempts.get("s3") == 0


async def test_user_delete_needs_the_right_pool(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    alice = make_user(POOL_A, "alice")
    await add_users(store, alice)
    async with store.transaction() as tx:
        await tx.users.delete(POOL_B, alice.sub)
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get(POOL_A, "alice") == alice


@pytest.fixture
async def populated(store: SqlStore) -> SqlStore:
    """Pool A with users chosen to tell exact from prefix matches and literal from wildcard characters."""
    await add_pools(store, POOL_A, POOL_B)
    await add_users(
        store,
        make_user(POOL_A, "carol", email="carol@example.com", given_name="Carol"),
        make_user(POOL_A, "alice", email="alice@example.com", given_name="Alice", custom={"custom:tier": "gold"}),
        make_user(POOL_A, "albert", status="UNCONFIRMED", enabled=False, email="albert@example.org",
                  given_name="Al", custom={"custom:tier": "silver"}),
        make_user(POOL_A, "bob", status="FORCE_CHANGE_PASSWORD", email="bob@example.com", given_name="Bob"),
        make_user(POOL_A, "a_b", email="under@example.com", given_name="A_B"),
        make_user(POOL_A, "axb", email="x@example.com", given_name="AxB"),
        make_user(POOL_A, "50%off", email="pct@example.com", given_name="50%"),
        make_user(POOL_A, "50xoff", email="nopct@example.com", given_name="50x"),
        make_user(POOL_A, "Zed", email="zed@example.com", given_name="zed"),
        make_user(POOL_B, "alice", email="alice@example.com", given_name="Alice"),
    )
    return store


async def test_user_list_order_and_pagination(populated: SqlStore) -> None:
    everyone = ["50%off", "50xoff", "Zed", "a_b", "albert", "alice", "axb", "bob", "carol"]  # byte order of keys
    async with populated.transaction(readonly=True) as tx:
        found = await tx.users.list(POOL_A, limit=100)
        assert usernames(found) == everyone
        assert [key for key, _ in found] == everyone
        assert usernames(await tx.users.list(POOL_A, limit=3)) == everyone[:3]
        assert usernames(await tx.users.list(POOL_A, limit=3, after="Zed")) == everyone[3:6]
        assert usernames(await tx.users.list(POOL_A, limit=3, after="alice")) == everyone[6:9]
        assert usernames(await tx.users.list(POOL_A, limit=3, after="carol")) == []
        assert usernames(await tx.users.list(POOL_A, limit=3, after="b")) == ["bob", "carol"]
        assert usernames(await tx.users.list(POOL_B, limit=100)) == ["alice"]
        assert await tx.users.count(POOL_A) == 9
        assert await tx.users.count(POOL_B) == 1

        pages, after = [], None
        while True:
            page = await tx.users.list(POOL_A, limit=2, after=after)
            if not page:
                break
            pages.append(usernames(page))
            after = page[-1][0]
        assert pages == [everyone[i:i + 2] for i in range(0, 9, 2)]


FILTERS: list[tuple[UserFilter, list[str]]] = [
    (UserFilter("username", "alice"), ["alice"]),
    (UserFilter("username", "al"), []),
    (UserFilter("username", "al", prefix=True), ["albert", "alice"]),
    (UserFilter("username", "Al", prefix=True), []),  # case-sensitive, as Cognito
    (UserFilter("username", "z", prefix=True), []),
    (UserFilter("username", "Z", prefix=True), ["Zed"]),
    (UserFilter("email", "bob@example.com"), ["bob"]),
    (UserFilter("email", "bob@example"), []),
    (UserFilter("email", "al", prefix=True), ["albert", "alice"]),
    (UserFilter("email", "alice@", prefix=True), ["alice"]),
    (UserFilter("given_name", "Alice"), ["alice"]),
    (UserFilter("given_name", "Al"), ["albert"]),
    (UserFilter("given_name", "Al", prefix=True), ["albert", "alice"]),
    (UserFilter("given_name", "al", prefix=True), []),
    (UserFilter("given_name", "Nobody"), []),
    (UserFilter("custom:tier", "gold"), ["alice"]),
    (UserFilter("custom:tier", "s", prefix=True), ["albert"]),
    (UserFilter("cognito:user_status", "CONFIRMED"), ["50%off", "50xoff", "Zed", "a_b", "alice", "axb", "carol"]),
    (UserFilter("cognito:user_status", "UNCONFIRMED"), ["albert"]),
    (UserFilter("cognito:user_status", "FORCE", prefix=True), ["bob"]),
    (UserFilter("status", "Disabled"), ["albert"]),
    (UserFilter("status", "Enabled"), ["50%off", "50xoff", "Zed", "a_b", "alice", "axb", "bob", "carol"]),
    (UserFilter("sub", f"sub-{POOL_A[-3:]}-bob"), ["bob"]),
]

# Values with LIKE wildcards, quotes and backslashes match only themselves.
LITERAL_FILTERS: list[tuple[UserFilter, list[str]]] = [
    (UserFilter("username", "a_", prefix=True), ["a_b"]),
    (UserFilter("username", "a_b"), ["a_b"]),
    (UserFilter("username", "a%"), []),
    (UserFilter("username", "a%", prefix=True), []),
    (UserFilter("username", "50%", prefix=True), ["50%off"]),
    (UserFilter("username", "50%off"), ["50%off"]),
    (UserFilter("username", "50_off"), []),
    (UserFilter("username", "%", prefix=True), []),
    (UserFilter("username", "_", prefix=True), []),
    (UserFilter("email", "%@example.com"), []),
    (UserFilter("email", "%", prefix=True), []),
    (UserFilter("given_name", "A_", prefix=True), ["a_b"]),
    (UserFilter("given_name", "50%", prefix=True), ["50%off"]),
    (UserFilter("given_name", "50%"), ["50%off"]),
    (UserFilter("given_name", "%"), []),
    (UserFilter("username", "\\", prefix=True), []),
    (UserFilter("username", "' OR '1'='1"), []),
    (UserFilter("given_name", "x' OR 1=1 --", prefix=True), []),
]


async def run_filters(store: SqlStore, cases: list[tuple[UserFilter, list[str]]]) -> None:
    """All cases on one database; the dict comparison shows every case that differs at once."""
    async with store.transaction(readonly=True) as tx:
        got = {repr(where): usernames(await tx.users.list(POOL_A, limit=100, where=where)) for where, _ in cases}
    assert got == {repr(where): expected for where, expected in cases}


async def test_user_list_filter(populated: SqlStore) -> None:
    await run_filters(populated, FILTERS)


async def test_user_filter_is_literal(populated: SqlStore) -> None:
    await run_filters(populated, LITERAL_FILTERS)


async def test_user_filter_with_pagination(populated: SqlStore) -> None:
    enabled = UserFilter("status", "Enabled")
    async with populated.transaction(readonly=True) as tx:
        first = await tx.users.list(POOL_A, limit=3, where=enabled)
        assert usernames(first) == ["50%off", "50xoff", "Zed"]
        second = await tx.users.list(POOL_A, limit=3, after=first[-1][0], where=enabled)
        assert usernames(second) == ["a_b", "alice", "axb"]
        third = await tx.users.list(POOL_A, limit=3, after=second[-1][0], where=enabled)
        assert usernames(third) == ["bob", "carol"]


async def test_hostile_username_is_stored_literally(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    name = "x'; DROP TABLE users;--"
    quoted = 'q"\\%_\'--'
    hostile = make_user(POOL_A, name, sub="hostile-sub", given_name="Robert'); DROP TABLE groups;--")
    await add_users(store, hostile, make_user(POOL_A, quoted, sub="quoted-sub"), make_user(POOL_A, "x"))
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get(POOL_A, name) == hostile
        assert await tx.users.get(POOL_A, quoted) == make_user(POOL_A, quoted, sub="quoted-sub")
        assert await tx.users.get_by_sub(POOL_A, "hostile-sub") == hostile
        assert usernames(await tx.users.list(POOL_A, limit=10, where=UserFilter("username", name))) == [name]
        assert usernames(await tx.users.list(POOL_A, limit=10, where=UserFilter("username", "x'", prefix=True))) == [
            name]
        assert usernames(await tx.users.list(POOL_A, limit=10, where=UserFilter("username", quoted))) == [quoted]
        assert usernames(await tx.users.list(
            POOL_A, limit=10, where=UserFilter("given_name", "Robert'); DROP TABLE groups;--"))) == [name]
        assert usernames(await tx.users.list(POOL_A, limit=10, after=name)) == []
        assert await tx.users.count(POOL_A) == 3
    async with store.engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert {"users", "groups"} <= tables


# --------------------------------------------------------------------------------------------------- groups


async def test_group_crud(store: SqlStore) -> None:
    await add_pools(store, POOL_A, POOL_B)
    admins = make_group(POOL_A, "admins", Description="The admins", Precedence=1,
                        RoleArn="arn:aws:iam::123456789012:role/Admin")
    readers = make_group(POOL_A, "readers")
    async with store.transaction() as tx:
        await tx.groups.add(readers)
        await tx.groups.add(admins)
        await tx.groups.add(make_group(POOL_A, "editors"))
        await tx.groups.add(make_group(POOL_B, "admins"))  # the same name in another pool is fine
    async with store.transaction(readonly=True) as tx:
        assert await tx.groups.get(POOL_A, "admins") == admins
        assert await tx.groups.get(POOL_A, "readers") == readers
        assert await tx.groups.get(POOL_A, "nobody") is None
        assert [g.name for g in await tx.groups.list(POOL_A, limit=2)] == ["admins", "editors"]
        assert [g.name for g in await tx.groups.list(POOL_A, limit=2, after="editors")] == ["readers"]
        assert await tx.groups.count(POOL_A) == 3
        assert await tx.groups.count(POOL_B) == 1

    changed = replace(admins, description=None, precedence=7, role_arn=None, updated_at=NOW + 3)
    async with store.transaction() as tx:
        await tx.groups.update(changed)
    async with store.transaction(readonly=True) as tx:
        assert await tx.groups.get(POOL_A, "admins") == changed
        assert await tx.groups.get(POOL_B, "admins") == make_group(POOL_B, "admins")

    async with store.transaction() as tx:
        await tx.groups.delete(POOL_A, "admins")
    async with store.transaction(readonly=True) as tx:
        assert await tx.groups.get(POOL_A, "admins") is None
        assert await tx.groups.count(POOL_A) == 2
        assert await tx.groups.get(POOL_B, "admins") == make_group(POOL_B, "admins")
    with pytest.raises(NotFound):
        async with store.transaction() as tx:
            await tx.groups.update(changed)


async def test_group_duplicate(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    async with store.transaction() as tx:
        await tx.groups.add(make_group(POOL_A, "admins"))
    with pytest.raises(AlreadyExists) as err:
        async with store.transaction() as tx:
            await tx.groups.add(make_group(POOL_A, "admins", Description="again"))
    assert err.value.what == "group"
    async with store.transaction(readonly=True) as tx:
        assert await tx.groups.get(POOL_A, "admins") == make_group(POOL_A, "admins")


async def test_group_membership(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    alice, bob, carol = (make_user(POOL_A, n) for n in ("alice", "bob", "carol"))
    await add_users(store, carol, alice, bob)
    async with store.transaction() as tx:
        for name in ("readers", "admins", "editors"):
            await tx.groups.add(make_group(POOL_A, name))
        await tx.groups.add_member(POOL_A, "admins", carol.sub)
        await tx.groups.add_member(POOL_A, "admins", alice.sub)
        await tx.groups.add_member(POOL_A, "admins", alice.sub)  # idempotent
        await tx.groups.add_member(POOL_A, "readers", alice.sub)
        await tx.groups.add_member(POOL_A, "editors", alice.sub)
    async with store.transaction() as tx:
        await tx.groups.add_member(POOL_A, "admins", alice.sub)  # idempotent across transactions too
    async with store.transaction(readonly=True) as tx:
        assert list(await tx.groups.members(POOL_A, "admins", limit=10)) == [("alice", alice), ("carol", carol)]
        assert list(await tx.groups.members(POOL_A, "admins", limit=1)) == [("alice", alice)]
        assert list(await tx.groups.members(POOL_A, "admins", limit=10, after="alice")) == [("carol", carol)]
        assert list(await tx.groups.members(POOL_A, "editors", limit=10)) == [("alice", alice)]
        assert [g.name for g in await tx.groups.groups_of(POOL_A, alice.sub)] == ["admins", "editors", "readers"]
        assert [g.name for g in await tx.groups.groups_of(POOL_A, alice.sub, limit=2)] == ["admins", "editors"]
        assert [g.name for g in await tx.groups.groups_of(POOL_A, alice.sub, after="editors")] == ["readers"]
        assert await tx.groups.groups_of(POOL_A, bob.sub) == []
        assert await tx.groups.groups_of(POOL_A, carol.sub) == [make_group(POOL_A, "admins")]
    assert await rows(store, GroupMemberRow, POOL_A) == 4

    async with store.transaction() as tx:
        await tx.groups.remove_member(POOL_A, "admins", carol.sub)
        await tx.groups.remove_member(POOL_A, "admins", bob.sub)  # not a member: nothing happens
    async with store.transaction(readonly=True) as tx:
        assert list(await tx.groups.members(POOL_A, "admins", limit=10)) == [("alice", alice)]
        assert await tx.groups.groups_of(POOL_A, carol.sub) == []

    async with store.transaction() as tx:  # deleting a user removes their memberships
        await tx.users.delete(POOL_A, alice.sub)
    async with store.transaction(readonly=True) as tx:
        assert list(await tx.groups.members(POOL_A, "admins", limit=10)) == []
        assert list(await tx.groups.members(POOL_A, "readers", limit=10)) == []
        assert await tx.groups.count(POOL_A) == 3
    assert await rows(store, GroupMemberRow, POOL_A) == 0


async def test_deleting_a_group_removes_memberships(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    alice = make_user(POOL_A, "alice")
    await add_users(store, alice)
    async with store.transaction() as tx:
        await tx.groups.add(make_group(POOL_A, "admins"))
        await tx.groups.add(make_group(POOL_A, "readers"))
        await tx.groups.add_member(POOL_A, "admins", alice.sub)
        await tx.groups.add_member(POOL_A, "readers", alice.sub)
    async with store.transaction() as tx:
        await tx.groups.delete(POOL_A, "admins")
    async with store.transaction(readonly=True) as tx:
        assert [g.name for g in await tx.groups.groups_of(POOL_A, alice.sub)] == ["readers"]
        assert await tx.users.get(POOL_A, "alice") == alice
    assert await rows(store, GroupMemberRow, POOL_A) == 1
    async with store.transaction() as tx:  # a new group of the same name starts empty
        await tx.groups.add(make_group(POOL_A, "admins"))
    async with store.transaction(readonly=True) as tx:
        assert list(await tx.groups.members(POOL_A, "admins", limit=10)) == []


# --------------------------------------------------------------------------------------------------- transactions


async def test_exception_rolls_back_the_whole_transaction(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    with pytest.raises(RuntimeError, match="boom"):
        async with store.transaction() as tx:
            await tx.pools.add(make_pool(POOL_B))
            await tx.users.add(make_user(POOL_A, "alice"), key="alice", aliases={"email": "a@example.com"})
            await tx.groups.add(make_group(POOL_A, "admins"))
            await tx.pools.update(replace(make_pool(POOL_A), name="renamed"))
            await tx.pools.delete(POOL_A)
            raise RuntimeError("boom")
    async with store.transaction(readonly=True) as tx:
        assert await tx.pools.get(POOL_A) == make_pool(POOL_A)
        assert await tx.pools.get(POOL_B) is None
        assert await tx.users.get(POOL_A, "alice") is None
        assert await tx.users.get_by_alias(POOL_A, "email", "a@example.com") is None
        assert await tx.groups.get(POOL_A, "admins") is None
    assert await rows(store, UserAliasRow, POOL_A) == 0


async def test_transaction_survives_a_caught_already_exists(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    alice = make_user(POOL_A, "alice")
    await add_users(store, alice)
    async with store.transaction() as tx:
        await tx.users.add(make_user(POOL_A, "bob"), key="bob", aliases={})
        with pytest.raises(AlreadyExists) as err:
            await tx.users.add(make_user(POOL_A, "alice", sub="duplicate-sub"), key="alice", aliases={})
        assert err.value.what == "username"
        with pytest.raises(AlreadyExists):
            await tx.pools.add(make_pool(POOL_A))
        with pytest.raises(AlreadyExists):
            await tx.groups.add(make_group(POOL_A, "g"))
            await tx.groups.add(make_group(POOL_A, "g"))
        await tx.users.add(make_user(POOL_A, "carol"), key="carol", aliases={})
        await tx.groups.add_member(POOL_A, "g", alice.sub)
    async with store.transaction(readonly=True) as tx:
        assert usernames(await tx.users.list(POOL_A, limit=10)) == ["alice", "bob", "carol"]
        assert await tx.users.get(POOL_A, "alice") == alice
        assert await tx.users.get_by_sub(POOL_A, "duplicate-sub") is None
        assert list(await tx.groups.members(POOL_A, "g", limit=10)) == [("alice", alice)]
        assert await tx.pools.get(POOL_A) == make_pool(POOL_A)


# --------------------------------------------------------------------------------------------------- concurrency


async def test_concurrent_same_username_exactly_one_wins(store: SqlStore) -> None:
    await add_pools(store, POOL_A)

    async def attempt(i: int) -> str:
        try:
            async with store.transaction() as tx:
                await tx.users.add(make_user(POOL_A, "racer", sub=f"racer-{i:02d}"), key="racer", aliases={})
        except AlreadyExists as exc:
            return exc.what
        return f"won:{i}"

    results = await asyncio.gather(*(attempt(i) for i in range(20)))
    winners = [r for r in results if r.startswith("won:")]
    assert len(winners) == 1
    assert sorted(r for r in results if not r.startswith("won:")) == ["username"] * 19
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.count(POOL_A) == 1
        user = await tx.users.get(POOL_A, "racer")
    assert user is not None and user.sub == f"racer-{int(winners[0][4:]):02d}"


async def test_concurrent_same_domain_exactly_one_wins(store: SqlStore) -> None:
    pool_ids = [f"eu-west-1_RACE{i:05d}" for i in range(10)]
    await add_pools(store, *pool_ids)

    async def attempt(pool_id: str) -> str:
        try:
            async with store.transaction() as tx:
                await tx.domains.add(make_domain(pool_id, "contested"))
        except AlreadyExists as exc:
            return exc.what
        return f"won:{pool_id}"

    results = await asyncio.gather(*(attempt(p) for p in pool_ids))
    winners = [r.removeprefix("won:") for r in results if r.startswith("won:")]
    assert len(winners) == 1
    assert sorted(r for r in results if not r.startswith("won:")) == ["domain"] * 9
    async with store.transaction(readonly=True) as tx:
        assert await tx.domains.get("contested") == make_domain(winners[0], "contested")
        assert [len(await tx.domains.for_pool(p)) for p in pool_ids] == [int(p == winners[0]) for p in pool_ids]


# --------------------------------------------------------------------------------------------------- verification codes


def make_code(sub: str, code_hash: str, *, purpose: str = "reset") -> VerificationCode:
    return VerificationCode(sub=sub, purpose=purpose, code_hash=code_hash, created_at=NOW, expires_at=NOW + 3600,
                            destination="jane@example.com")


async def test_verification_code_replace_and_budget_events(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    jane = make_user(POOL_A, "jane")
    await add_users(store, jane)
    async with store.transaction() as tx:
        await tx.verifications.put(make_code(jane.sub, "a" * 64))
        await tx.verifications.count_attempt(jane.sub, "reset")
        assert await tx.verifications.get(jane.sub, "reset", for_update=True) == replace(
            make_code(jane.sub, "a" * 64), attempts=1)
        await tx.verifications.put(make_code(jane.sub, "b" * 64))  # a new code starts its attempts over
        assert await tx.verifications.get(jane.sub, "reset") == make_code(jane.sub, "b" * 64)
        for at in (NOW - 7200, NOW - 10, NOW):
            await tx.verifications.record_event(jane.sub, "reset", WRONG_CODE, at, forget_before=NOW - 3600)
        await tx.verifications.record_event(jane.sub, "signup", WRONG_CODE, NOW, forget_before=NOW - 3600)
        assert await tx.verifications.count_events(jane.sub, "reset", WRONG_CODE, since=NOW - 3600) == 2
        assert await tx.verifications.count_events(jane.sub, "reset", WRONG_CODE, since=NOW - 10) == 1
        assert await tx.verifications.count_events(jane.sub, "reset", CODE_SENT, since=NOW - 3600) == 0
    async with store.engine.connect() as conn:  # the event older than the hour was dropped by the next one
        assert await conn.scalar(select(func.count()).select_from(VerificationEventRow)) == 3
    async with store.transaction() as tx:
        await tx.users.delete(POOL_A, jane.sub)
    async with store.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(VerificationEventRow)) == 0


async def test_concurrent_code_reissues_leave_one_code(store: SqlStore) -> None:
    """Parallel ForgotPassword calls of one user replace the code one after another instead of failing."""
    await add_pools(store, POOL_A)
    jane = make_user(POOL_A, "jane")
    await add_users(store, jane)

    async def issue(i: int) -> None:
        async with store.transaction() as tx:
            await tx.verifications.put(make_code(jane.sub, f"{i:064d}"))

    await asyncio.gather(*(issue(i) for i in range(10)))
    async with store.transaction(readonly=True) as tx:
        stored = await tx.verifications.get(jane.sub, "reset")
    assert stored is not None and stored.code_hash in {f"{i:064d}" for i in range(10)}


# --------------------------------------------------------------------------------------------------- migrations


async def test_second_migrate_is_a_no_op(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    await store.migrate()
    assert await store.migrations_current() is True
    async with store.engine.connect() as conn:
        versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    heads = ScriptDirectory(str(MIGRATIONS)).get_heads()
    assert len(heads) == 1  # one linear history
    assert [tuple(v) for v in versions] == [(heads[0],)]
    async with store.transaction(readonly=True) as tx:
        assert await tx.pools.get(POOL_A) == make_pool(POOL_A)


async def test_migrations_current_and_ping(bare_store: SqlStore) -> None:
    assert await bare_store.ping() is True
    assert await bare_store.migrations_current() is False
    await bare_store.migrate()
    assert await bare_store.migrations_current() is True
    assert await bare_store.ping() is True


def _schema_diff(conn: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


async def test_migrations_produce_exactly_the_models(store: SqlStore) -> None:
    async with store.engine.connect() as conn:
        diff = await conn.run_sync(_schema_diff)
    assert diff == []


# --------------------------------------------------------------------------------------------------- bulk users


async def test_user_add_many_is_all_or_nothing(store: SqlStore) -> None:
    await add_pools(store, POOL_A)
    batch = [make_user(POOL_A, f"bulk{i}", email=f"bulk{i}@example.com") for i in range(3)]
    async with store.transaction() as tx:
        await tx.users.add_many([(u, u.username, {"email": u.attributes["email"]}) for u in batch])
        await tx.users.add_many([])
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.get(POOL_A, "bulk1") == batch[1]
        assert await tx.users.get_by_alias(POOL_A, "email", "bulk2@example.com") == batch[2]
    again = [make_user(POOL_A, "bulk9"), batch[0]]
    with pytest.raises(AlreadyExists):
        async with store.transaction() as tx:
            await tx.users.add_many([(u, u.username, {}) for u in again])
    async with store.transaction(readonly=True) as tx:
        assert await tx.users.count(POOL_A) == 3


async def test_prefix_filter_at_the_edges_of_the_range(store: SqlStore) -> None:
    """The prefix search is an index range plus an exact check: neighbours just outside the range stay out."""
    await add_pools(store, POOL_A)
    names = ["user1", "user1\U0010ffff", "user12", "user2", "user0", "usEr1x", "\U0010ffffa", "\U0010ffff"]
    await add_users(store, *(make_user(POOL_A, f"u{i}", email=email) for i, email in enumerate(names)))
    async with store.transaction(readonly=True) as tx:
        def emails(found: Any) -> list[str]:
            return sorted(u.attributes["email"] for _, u in found)

        assert emails(await tx.users.list(POOL_A, limit=50, where=UserFilter("email", "user1", prefix=True))) == [
            "user1", "user12", "user1\U0010ffff"]
        assert emails(await tx.users.list(POOL_A, limit=50, where=UserFilter("email", "\U0010ffff", prefix=True))) == [
            "\U0010ffff", "\U0010ffffa"]
        assert len(await tx.users.list(POOL_A, limit=50, where=UserFilter("email", "", prefix=True))) == 8

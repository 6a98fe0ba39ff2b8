"""The store announces every configuration write of a committed transaction (`Store.listen`), noted by the session
from the writes themselves, so no use case can change configuration and forget to say so (issue 14: caches
invalidated from the unit of work on commit). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import gc
import weakref
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace

import pytest

from cognate.domain.domains import updated_domain
from cognate.domain.ui_customization import ALL, UiCustomization
from cognate.store.base import ConfigChange, Configured, StoredClient
from cognate.store.sql import auth_tables  # noqa: F401  (its tables join Base.metadata)
from cognate.store.sql.config_changes import WATCHED
from cognate.store.sql.engine import SqlStore
from cognate.store.sql.tables import Base
from tests.store.test_conformance import NOW, make_client, make_domain, make_key, make_pool, make_server

POOL = "eu-west-1_CFGCHANGE"


class Heard:
    def __init__(self) -> None:
        self.commits: list[set[ConfigChange]] = []

    def configuration_changed(self, changes: Sequence[ConfigChange]) -> None:
        self.commits.append(set(changes))

    def last(self) -> set[ConfigChange]:
        found = self.commits[-1]
        self.commits.clear()
        return found


@pytest.fixture
async def store(any_database_url: str) -> AsyncIterator[SqlStore]:
    s = SqlStore(any_database_url)
    await s.migrate()
    try:
        yield s
    finally:
        await s.close()


def change(what: Configured, key: str | None, pool_id: str | None = POOL) -> ConfigChange:
    return ConfigChange(what, pool_id, key)


async def test_every_configuration_write_is_heard_after_its_commit(store: SqlStore) -> None:
    heard = Heard()
    store.listen(heard)
    pool = make_pool(POOL)
    async with store.transaction() as tx:
        await tx.pools.add(pool)
        await tx.keys.add(make_key(POOL, "k1"))
        assert not heard.commits  # nothing before the commit
    assert heard.last() == {change(Configured.POOL, POOL), change(Configured.SIGNING_KEY, "k1")}

    client = make_client(POOL, "client1")
    async with store.transaction() as tx:
        await tx.clients.add(StoredClient(client=client, sealed_secret=None))
        await tx.resource_servers.add(make_server(POOL))
        await tx.domains.add(make_domain(POOL, "cfg-change"))
    assert heard.last() == {change(Configured.CLIENT, "client1"), change(Configured.DOMAIN, "cfg-change"),
                            change(Configured.RESOURCE_SERVER, make_server(POOL).identifier)}

    async with store.transaction() as tx:
        await tx.pools.update(replace(pool, name="renamed"))
        await tx.keys.set_expiry("k1", NOW + 60)
        await tx.clients.update(StoredClient(client=replace(client, name="renamed"), sealed_secret="s"))
        await tx.resource_servers.update(make_server(POOL, name="renamed"))
    assert heard.last() == {change(Configured.POOL, POOL), change(Configured.SIGNING_KEY, "k1"),
                            change(Configured.CLIENT, "client1"),
                            change(Configured.RESOURCE_SERVER, make_server(POOL).identifier)}

    custom = UiCustomization(pool_id=POOL, client_id=ALL, css=None, image=None, image_type=None, created_at=NOW,
                             updated_at=NOW)
    async with store.transaction() as tx:
        await tx.ui_customizations.put(custom)
    assert heard.last() == {change(Configured.UI_CUSTOMIZATION, ALL)}
    async with store.transaction() as tx:
        await tx.ui_customizations.put(replace(custom, css=".x{}"))  # the replacing UPDATE statement
    assert heard.last() == {change(Configured.UI_CUSTOMIZATION, ALL)}


async def test_statements_that_do_not_name_the_pool_are_heard_without_it(store: SqlStore) -> None:
    async with store.transaction() as tx:
        await tx.pools.add(make_pool(POOL))
        await tx.keys.add(make_key(POOL, "k1"))
        await tx.clients.add(StoredClient(client=make_client(POOL, "client1"), sealed_secret=None))
        await tx.domains.add(make_domain(POOL, "cfg-change"))
        await tx.resource_servers.add(make_server(POOL))
    heard = Heard()
    store.listen(heard)
    async with store.transaction() as tx:
        domain = await tx.domains.get("cfg-change")
        assert domain is not None
        await tx.domains.update(updated_domain(domain, {"ManagedLoginVersion": 2}))
    assert heard.last() == {change(Configured.DOMAIN, "cfg-change", None)}  # UPDATE ... WHERE domain = ...
    async with store.transaction() as tx:
        await tx.keys.delete("k1")
        await tx.clients.delete("client1")
        await tx.domains.delete("cfg-change")
        await tx.resource_servers.delete(POOL, make_server(POOL).identifier)
        await tx.ui_customizations.delete(POOL, "client1")
        await tx.pools.delete(POOL)
    assert heard.last() == {
        change(Configured.SIGNING_KEY, "k1", None), change(Configured.CLIENT, "client1", None),
        change(Configured.DOMAIN, "cfg-change", None), change(Configured.UI_CUSTOMIZATION, "client1"),
        change(Configured.RESOURCE_SERVER, make_server(POOL).identifier), change(Configured.POOL, POOL)}


async def test_rolled_back_and_read_only_transactions_announce_nothing(store: SqlStore) -> None:
    heard = Heard()
    store.listen(heard)
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.pools.add(make_pool(POOL))
            raise RuntimeError("a rule refused the request")
    async with store.transaction(readonly=True) as tx:
        assert await tx.pools.get(POOL) is None
    async with store.transaction() as tx:  # users, sessions, codes: not configuration
        await tx.pools.add(make_pool(POOL))
    heard.commits.clear()
    async with store.transaction() as tx:
        await tx.tokens.purge_expired(NOW)
        await tx.failures.clear("sub")
    assert heard.commits == []


async def test_a_listener_is_held_weakly(store: SqlStore) -> None:
    """A Deps made and dropped (tests, `dataclasses.replace`) does not keep its memo alive through the store."""
    heard = Heard()
    store.listen(heard)
    store.listen(heard)
    gone = weakref.ref(heard)
    del heard
    gc.collect()
    assert gone() is None
    async with store.transaction() as tx:
        await tx.pools.add(make_pool(POOL))  # no listener left to tell: no error


# Tables of users and sign-in state: read fresh by every request, never remembered, so never announced.
NOT_CONFIGURATION = {"audit_events", "auth_codes", "challenge_attempts", "group_members", "groups",
                     "rate_limit_windows", "retired_refresh_tokens", "sign_in_failures", "token_origins",
                     "ui_sessions", "user_aliases", "users", "verification_codes", "verification_events"}


def test_every_table_is_watched_or_named_as_not_configuration() -> None:
    """A new table must be classified here: watched (its writes forget the memo) or not configuration."""
    assert set(Base.metadata.tables) == set(WATCHED) | NOT_CONFIGURATION
    assert not set(WATCHED) & NOT_CONFIGURATION

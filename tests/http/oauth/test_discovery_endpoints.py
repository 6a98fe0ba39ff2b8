"""Where discovery sends the browser and where it sends servers (spec §1.5; README "Differences from Cognito").

Cognito advertises every endpoint on the pool's domain. Cognate does too, except that under a `*.localhost` domain
(the default suffix `auth.localhost`), which backends' resolvers cannot find, the endpoints a server calls (token,
userInfo, revocation) are advertised on the public URL; the browser's (authorize, logout) stay on the domain.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from cognate.domain.clock import FrozenClock
from cognate.services import domains, pools
from cognate.settings import load_settings
from tests.support.inprocess import in_process_app

BASE = "http://127.0.0.1:9229"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012"
FRONT = ("authorization_endpoint", "end_session_endpoint")
BACK = ("token_endpoint", "userinfo_endpoint", "revocation_endpoint")

Discover = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
async def discover(tmp_path: Path, database_url: str) -> AsyncIterator[Discover]:
    """discover(suffix, prefix=..., custom=...): a pool with those domains on a server with that domain suffix."""
    made = 0
    stack = AsyncExitStack()

    async def go(suffix: str, *, prefix: str | None = None, custom: str | None = None) -> dict[str, Any]:
        nonlocal made
        settings = load_settings(data_dir=tmp_path / f"data{made}", database_url=database_url, public_url=BASE,
                                 domain_suffix=suffix)
        made += 1
        started = await stack.enter_async_context(in_process_app(settings, clock=FrozenClock()))
        deps = started.deps
        pool = await pools.create_pool(deps, {"PoolName": "discovery"})
        if prefix:
            await domains.create_domain(deps, {"Domain": prefix, "UserPoolId": pool.id})
        if custom:
            await domains.create_domain(deps, {"Domain": custom, "UserPoolId": pool.id,
                                               "CustomDomainConfig": {"CertificateArn": CERT}})
        response = await started.http.get(f"/{pool.id}/.well-known/openid-configuration")
        assert response.status_code == 200, response.text
        return dict(response.json()) | {"pool": pool.id}

    async with stack:
        yield go


def _bases(doc: dict[str, Any], names: tuple[str, ...]) -> set[str]:
    return {doc[name].rsplit("/", 2 if name != "end_session_endpoint" else 1)[0] for name in names}


async def test_default_local_domain_sends_servers_to_the_public_url(discover: Discover) -> None:
    doc = await discover("auth.localhost", prefix="myapp")
    assert _bases(doc, FRONT) == {"http://myapp.auth.localhost:9229"}
    assert _bases(doc, BACK) == {BASE}
    assert doc["token_endpoint"] == f"{BASE}/oauth2/token" and doc["userinfo_endpoint"] == f"{BASE}/oauth2/userInfo"
    assert doc["jwks_uri"] == f"{BASE}/{doc['pool']}/.well-known/jwks.json"


@pytest.mark.parametrize("suffix", ["localhost", "id.localhost", "AUTH.LOCALHOST"])
async def test_any_localhost_suffix_does_the_same(discover: Discover, suffix: str) -> None:
    doc = await discover(suffix, prefix="myapp")
    assert _bases(doc, FRONT) == {f"http://myapp.{suffix}:9229"}
    assert _bases(doc, BACK) == {BASE}


async def test_a_real_dns_suffix_keeps_cognitos_shape(discover: Discover) -> None:
    doc = await discover("auth.example.com", prefix="myapp")
    assert _bases(doc, FRONT + BACK) == {"http://myapp.auth.example.com:9229"}


async def test_a_custom_domain_keeps_cognitos_shape(discover: Discover) -> None:
    doc = await discover("auth.localhost", custom="login.example.com")
    assert _bases(doc, FRONT + BACK) == {"https://login.example.com"}


async def test_a_pool_without_domain_has_everything_on_the_public_url(discover: Discover) -> None:
    doc = await discover("auth.localhost")
    assert _bases(doc, FRONT + BACK) == {BASE}

"""Domain use cases: prefix and custom domains, availability checks, and finding a pool by Host."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cognate.domain.domains import (
    PoolDomain,
    build_domain,
    check_prefix,
    domain_to_cognito,
    domain_url,
    updated_domain,
)
from cognate.domain.errors import CognitoError, InvalidParameterException
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.lookups import require_pool
from cognate.services.memo import Cached
from cognate.store.base import AlreadyExists

TAKEN = "Domain already associated with another user pool."


async def create_domain(deps: Deps, req: Mapping[str, Any]) -> PoolDomain:
    domain = build_domain(req, deps.clock.now())
    async with deps.store.transaction() as tx:
        await require_pool(tx, domain.pool_id)
        existing = await tx.domains.get(domain.domain)
        if existing is not None:
            raise InvalidParameterException(TAKEN)
        if any(d.is_custom == domain.is_custom for d in await tx.domains.for_pool(domain.pool_id)):
            raise InvalidParameterException(f"User pool {domain.pool_id} already has a domain configured.")
        try:
            await tx.domains.add(domain)
        except AlreadyExists:
            raise InvalidParameterException(TAKEN) from None
    await audit.admin_change(deps, "CreateUserPoolDomain", pool_id=domain.pool_id)
    return domain


async def describe_domain(deps: Deps, name: str) -> dict[str, Any]:
    """`{}` for an unknown domain, as Cognito answers (tools use it to test availability)."""
    async with deps.store.transaction(readonly=True) as tx:
        domain = await tx.domains.get(name)
    return domain_to_cognito(domain, suffix=deps.domain_suffix) if domain else {}


async def get_domain(deps: Deps, name: str) -> PoolDomain | None:
    async with deps.store.transaction(readonly=True) as tx:
        return await tx.domains.get(name)


async def pool_domains(deps: Deps, pool_id: str) -> list[PoolDomain]:
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        return list(await tx.domains.for_pool(pool_id))


async def update_domain(deps: Deps, req: Mapping[str, Any]) -> PoolDomain:
    name, pool_id = str(req.get("Domain", "")), str(req.get("UserPoolId", ""))
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        domain = await tx.domains.get(name)
        if domain is None or domain.pool_id != pool_id:
            raise InvalidParameterException(f"No such domain or user pool exists: {name}")
        domain = updated_domain(domain, req)
        await tx.domains.update(domain)
    await audit.admin_change(deps, "UpdateUserPoolDomain", pool_id=pool_id)
    return domain


async def delete_domain(deps: Deps, name: str, pool_id: str) -> None:
    async with deps.store.transaction() as tx:
        domain = await tx.domains.get(name)
        if domain is None or domain.pool_id != pool_id:
            raise InvalidParameterException(f"No such domain or user pool exists: {name}")
        await tx.domains.delete(name)
    await audit.admin_change(deps, "DeleteUserPoolDomain", pool_id=pool_id)


async def check_domain(deps: Deps, prefix: str) -> tuple[bool, str]:
    """(usable, reason): valid per Cognito's rules and not taken by any pool."""
    try:
        check_prefix(prefix)
    except CognitoError as exc:
        return False, exc.message
    if await get_domain(deps, prefix) is not None:
        return False, TAKEN
    return True, "available"


def url_of(deps: Deps, domain: PoolDomain) -> str:
    return domain_url(domain, suffix=deps.domain_suffix, public_url=deps.public_url)


async def domain_for_host(deps: Deps, host: str) -> PoolDomain | None:
    """The domain a request's Host names: `{prefix}.{suffix}` or a custom domain (contracts: domains)."""
    name = host.split(":", 1)[0].lower().rstrip(".")
    suffix = "." + deps.domain_suffix.lower()
    key = name[: -len(suffix)] if name.endswith(suffix) else name
    async def load() -> tuple[PoolDomain | None]:
        return (await get_domain(deps, key),)  # remembered even when absent

    return (await deps.memo.remember(Cached.DOMAIN, key, load))[0]

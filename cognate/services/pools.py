"""User pool use cases: create (with its signing keys), describe, list, update, delete."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from cognate.domain.branding import build_branding
from cognate.domain.domains import domain_url
from cognate.domain.errors import InvalidParameterException
from cognate.domain.ids import new_pool_id
from cognate.domain.pools import (
    UserPool,
    add_custom_attributes,
    build_pool,
    check_tags,
    ignored_settings,
    pool_to_cognito,
    update_pool,
)
from cognate.services.deps import Deps
from cognate.services.keys import generate_keys, store_keys
from cognate.services.limits import check_limit
from cognate.services.lookups import require_pool
from cognate.services.memo import Cached
from cognate.services.pagination import decode_token, encode_token

log = logging.getLogger("cognate.pools")


def warn_ignored(pool: UserPool, operation: str) -> None:
    """A WARNING naming every setting of the pool Cognate keeps but does not act on (see `ignored_settings`), so
    a setup that relies on a Lambda trigger or SMS learns it at deploy time rather than in production."""
    names = ignored_settings(pool)
    if names:
        log.warning("%s: user pool %s has settings Cognate stores but ignores: %s (no Lambda trigger is invoked: "
                    "requests that would run one are refused with UnexpectedLambdaException; no SMS is sent)",
                    operation, pool.id, ", ".join(names),
                    extra={"fields": {"pool_id": pool.id, "ignored": names}})


async def create_pool(deps: Deps, req: Mapping[str, Any]) -> UserPool:
    pool = build_pool(new_pool_id(deps.region), req, deps.clock.now())
    keys = await generate_keys(deps, pool.id)
    async with deps.store.transaction() as tx:
        await tx.pools.add(pool)
        await store_keys(tx, keys)
    warn_ignored(pool, "CreateUserPool")
    return pool


async def get_pool(deps: Deps, pool_id: str) -> UserPool:
    """The pool, remembered for at most a second (changes through this process are seen at once)."""
    async def load() -> UserPool:
        async with deps.store.transaction(readonly=True) as tx:
            return await require_pool(tx, pool_id)

    return await deps.memo.remember(Cached.POOL, pool_id, load)


async def describe_pool(deps: Deps, pool_id: str) -> dict[str, Any]:
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        domains = await tx.domains.for_pool(pool_id)
        users = await tx.users.count(pool_id)
    prefix = next((d.domain for d in domains if not d.is_custom), None)
    custom = next((d.domain for d in domains if d.is_custom), None)
    return pool_to_cognito(pool, region=deps.region, domain=prefix, custom_domain=custom, estimated_users=users)


async def list_pools(deps: Deps, *, max_results: int | None, next_token: str | None = None
                     ) -> tuple[list[UserPool], str | None]:
    limit = check_limit(max_results, default=60, low=1, high=60, field="MaxResults")
    async with deps.store.transaction(readonly=True) as tx:
        pools = list(await tx.pools.list(limit=limit + 1, after=decode_token(next_token)))
    more = len(pools) > limit
    pools = pools[:limit]
    return pools, encode_token(pools[-1].id) if more else None


async def update_pool_settings(deps: Deps, pool_id: str, req: Mapping[str, Any]) -> UserPool:
    async with deps.store.transaction() as tx:
        pool = update_pool(await require_pool(tx, pool_id), req, deps.clock.now())
        await tx.pools.update(pool)
    warn_ignored(pool, "UpdateUserPool")
    return pool


async def add_pool_custom_attributes(deps: Deps, pool_id: str, attributes: object) -> UserPool:
    async with deps.store.transaction() as tx:
        pool = add_custom_attributes(await require_pool(tx, pool_id), attributes, deps.clock.now())
        await tx.pools.update(pool)
    return pool


async def set_branding(deps: Deps, pool_id: str, *, logo_url: str | None = None, primary_color: str | None = None,
                       background_color: str | None = None, css: str | None = None, clear: bool = False) -> UserPool:
    """Change the hosted-UI branding: a value given replaces the current one ("" removes it); None keeps it."""
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        current = pool.branding if pool.branding and not clear else build_branding()
        branding = build_branding(
            logo_url=current.logo_url if logo_url is None else logo_url,
            primary_color=current.primary_color if primary_color is None else primary_color,
            background_color=current.background_color if background_color is None else background_color,
            css=current.css if css is None else css,
        )
        pool = replace(pool, branding=None if branding.empty else branding, updated_at=deps.clock.now())
        await tx.pools.update(pool)
    return pool


async def delete_pool(deps: Deps, pool_id: str) -> None:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        if pool.deletion_protection:
            raise InvalidParameterException(
                "The user pool cannot be deleted because deletion protection is activated. "
                "Deletion protection must be inactivated first.")
        await tx.pools.delete(pool_id)


async def issuer(deps: Deps, pool_id: str) -> str:
    return f"{deps.public_url}/{pool_id}"


async def pool_base_url(deps: Deps, pool_id: str) -> str:
    """Where the pool's OAuth endpoints and hosted UI are: its prefix domain if it has one (contracts table).

    Remembered for up to a second (`Memo`): discovery asks for it on every request."""
    return await deps.memo.remember(Cached.BASE_URL, pool_id, lambda: _pool_base_url(deps, pool_id))


async def _pool_base_url(deps: Deps, pool_id: str) -> str:
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        domains = await tx.domains.for_pool(pool_id)
    prefix = next((d for d in domains if not d.is_custom), None) or next(iter(domains), None)
    if prefix is None:
        return deps.public_url
    return domain_url(prefix, suffix=deps.domain_suffix, public_url=deps.public_url)



def pool_of_arn(deps: Deps, arn: str) -> str:
    """The pool id of `arn:aws:cognito-idp:{region}:{account}:userpool/{id}` (tagging, spec §6 T2 Other)."""
    prefix = f"arn:aws:cognito-idp:{deps.region}:"
    account, _, pool_id = arn.removeprefix(prefix).partition(":userpool/")
    if not arn.startswith(prefix) or not account or not pool_id:
        raise InvalidParameterException(f"Invalid ResourceArn {arn[:200]}: expected {prefix}<account>:userpool/<id>")
    return pool_id


async def tag_pool(deps: Deps, arn: str, tags: object) -> None:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_of_arn(deps, arn))
        merged = check_tags({**pool.tags, **check_tags(tags, field="Tags")})
        await tx.pools.update(replace(pool, tags=merged, updated_at=deps.clock.now()))


async def untag_pool(deps: Deps, arn: str, keys: list[str]) -> None:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_of_arn(deps, arn))
        kept = {k: v for k, v in pool.tags.items() if k not in keys}
        await tx.pools.update(replace(pool, tags=kept, updated_at=deps.clock.now()))


async def pool_tags(deps: Deps, arn: str) -> dict[str, str]:
    async with deps.store.transaction(readonly=True) as tx:
        return dict((await require_pool(tx, pool_of_arn(deps, arn))).tags)


async def set_srp(deps: Deps, pool_id: str, enabled: bool) -> UserPool:
    """Cognate extension: SRP off refuses USER_SRP_AUTH and stops deriving verifiers (existing ones are dropped
    on the next password change); on again, users get a verifier with their next password."""
    async with deps.store.transaction() as tx:
        pool = replace(await require_pool(tx, pool_id), srp_enabled=enabled, updated_at=deps.clock.now())
        await tx.pools.update(pool)
    return pool

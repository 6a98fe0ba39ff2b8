"""Which pool a request is for: a pool domain's Host serves that pool only (contracts table: OAuth + hosted UI)."""

from __future__ import annotations

from starlette.requests import Request

from cognate.services.deps import Deps
from cognate.services.domains import domain_for_host


async def host_pool_id(deps: Deps, request: Request) -> str | None:
    """The pool a `{prefix}.{suffix}` or custom-domain Host names; None on the plain public URL."""
    return await pool_of_host(deps, request.headers.get("host", ""))


async def pool_of_host(deps: Deps, host: str) -> str | None:
    domain = await domain_for_host(deps, host)
    return domain.pool_id if domain else None


def is_https(request: Request, public_url: str) -> bool:
    return request.url.scheme == "https" or public_url.startswith("https://")

"""Domain operations: Create/Describe/Update/DeleteUserPoolDomain (spec §4)."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result
from cognate.cognito_api.shapes import text
from cognate.domain.domains import PoolDomain, domain_to_cognito
from cognate.services import domains
from cognate.services.deps import Deps


def _answer(deps: Deps, domain: PoolDomain) -> Result:
    """A custom domain answers with its CloudFront-style target; a prefix domain only with its version."""
    out: Result = {"ManagedLoginVersion": domain.managed_login_version}
    if domain.is_custom:
        out["CloudFrontDomain"] = domain_to_cognito(domain, suffix=deps.domain_suffix)["CloudFrontDistribution"]
    return out


async def create_user_pool_domain(deps: Deps, req: Params) -> Result:
    return _answer(deps, await domains.create_domain(deps, req))


async def update_user_pool_domain(deps: Deps, req: Params) -> Result:
    return _answer(deps, await domains.update_domain(deps, req))


async def describe_user_pool_domain(deps: Deps, req: Params) -> Result:
    return {"DomainDescription": await domains.describe_domain(deps, text(req, "Domain"))}


async def delete_user_pool_domain(deps: Deps, req: Params) -> Result:
    await domains.delete_domain(deps, text(req, "Domain"), text(req, "UserPoolId"))
    return {}


OPERATIONS: dict[str, Handler] = {
    "CreateUserPoolDomain": create_user_pool_domain,
    "DescribeUserPoolDomain": describe_user_pool_domain,
    "UpdateUserPoolDomain": update_user_pool_domain,
    "DeleteUserPoolDomain": delete_user_pool_domain,
}

"""User pool operations: Create/Describe/Update/List/DeleteUserPool, AddCustomAttributes, GetSigningCertificate and
tagging (TagResource, UntagResource, ListTagsForResource on pool ARNs) (spec §6 T1, T2)."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result, page
from cognate.cognito_api.shapes import names, opt_int, opt_text, text
from cognate.domain.pools import UserPool, pool_to_cognito
from cognate.services import keys, pools
from cognate.services.deps import Deps

SUMMARY_FIELDS = ("Id", "Name", "LastModifiedDate", "CreationDate")


def _summary(pool: UserPool, region: str) -> Result:
    """`UserPoolDescriptionType`: a few fields of the full pool."""
    full = pool_to_cognito(pool, region=region)
    return {**{k: full[k] for k in SUMMARY_FIELDS}, "LambdaConfig": full["LambdaConfig"]}


async def create_user_pool(deps: Deps, req: Params) -> Result:
    pool = await pools.create_pool(deps, req)
    return {"UserPool": pool_to_cognito(pool, region=deps.region)}


async def describe_user_pool(deps: Deps, req: Params) -> Result:
    return {"UserPool": await pools.describe_pool(deps, text(req, "UserPoolId"))}


async def update_user_pool(deps: Deps, req: Params) -> Result:
    await pools.update_pool_settings(deps, text(req, "UserPoolId"), req)
    return {}


async def list_user_pools(deps: Deps, req: Params) -> Result:
    found, token = await pools.list_pools(deps, max_results=opt_int(req, "MaxResults"),
                                          next_token=opt_text(req, "NextToken"))
    return page({"UserPools": [_summary(p, deps.region) for p in found]}, "NextToken", token)


async def delete_user_pool(deps: Deps, req: Params) -> Result:
    await pools.delete_pool(deps, text(req, "UserPoolId"))
    return {}


async def add_custom_attributes(deps: Deps, req: Params) -> Result:
    await pools.add_pool_custom_attributes(deps, text(req, "UserPoolId"), req["CustomAttributes"])
    return {}


async def get_signing_certificate(deps: Deps, req: Params) -> Result:
    return {"Certificate": await keys.signing_certificate(deps, text(req, "UserPoolId"))}


async def tag_resource(deps: Deps, req: Params) -> Result:
    await pools.tag_pool(deps, text(req, "ResourceArn"), req.get("Tags") or {})
    return {}


async def untag_resource(deps: Deps, req: Params) -> Result:
    await pools.untag_pool(deps, text(req, "ResourceArn"), names(req, "TagKeys") or [])
    return {}


async def list_tags_for_resource(deps: Deps, req: Params) -> Result:
    return {"Tags": await pools.pool_tags(deps, text(req, "ResourceArn"))}


OPERATIONS: dict[str, Handler] = {
    "GetSigningCertificate": get_signing_certificate,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
    "CreateUserPool": create_user_pool,
    "DescribeUserPool": describe_user_pool,
    "UpdateUserPool": update_user_pool,
    "ListUserPools": list_user_pools,
    "DeleteUserPool": delete_user_pool,
    "AddCustomAttributes": add_custom_attributes,
}

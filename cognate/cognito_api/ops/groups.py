"""Group operations: group CRUD and memberships (spec §6 T2)."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result, page
from cognate.cognito_api.shapes import opt_int, opt_text, text
from cognate.domain.groups import group_to_cognito
from cognate.domain.users import user_to_cognito
from cognate.services import groups
from cognate.services.deps import Deps


def _pool_and_group(req: Params) -> tuple[str, str]:
    return text(req, "UserPoolId"), text(req, "GroupName")


async def create_group(deps: Deps, req: Params) -> Result:
    return {"Group": group_to_cognito(await groups.create_group(deps, text(req, "UserPoolId"), req))}


async def get_group(deps: Deps, req: Params) -> Result:
    return {"Group": group_to_cognito(await groups.get_group(deps, *_pool_and_group(req)))}


async def list_groups(deps: Deps, req: Params) -> Result:
    found, token = await groups.list_groups(deps, text(req, "UserPoolId"), limit=opt_int(req, "Limit"),
                                            token=opt_text(req, "NextToken"))
    return page({"Groups": [group_to_cognito(g) for g in found]}, "NextToken", token)


async def update_group(deps: Deps, req: Params) -> Result:
    return {"Group": group_to_cognito(await groups.update_group_settings(deps, *_pool_and_group(req), req))}


async def delete_group(deps: Deps, req: Params) -> Result:
    await groups.delete_group(deps, *_pool_and_group(req))
    return {}


async def admin_add_user_to_group(deps: Deps, req: Params) -> Result:
    await groups.add_user_to_group(deps, text(req, "UserPoolId"), text(req, "Username"), text(req, "GroupName"))
    return {}


async def admin_remove_user_from_group(deps: Deps, req: Params) -> Result:
    await groups.remove_user_from_group(deps, text(req, "UserPoolId"), text(req, "Username"), text(req, "GroupName"))
    return {}


async def admin_list_groups_for_user(deps: Deps, req: Params) -> Result:
    found, token = await groups.groups_for_user(deps, text(req, "UserPoolId"), text(req, "Username"),
                                                limit=opt_int(req, "Limit"), token=opt_text(req, "NextToken"))
    return page({"Groups": [group_to_cognito(g) for g in found]}, "NextToken", token)


async def list_users_in_group(deps: Deps, req: Params) -> Result:
    found, token = await groups.users_in_group(deps, *_pool_and_group(req), limit=opt_int(req, "Limit"),
                                               token=opt_text(req, "NextToken"))
    return page({"Users": [user_to_cognito(u) for u in found]}, "NextToken", token)


OPERATIONS: dict[str, Handler] = {
    "CreateGroup": create_group,
    "GetGroup": get_group,
    "ListGroups": list_groups,
    "UpdateGroup": update_group,
    "DeleteGroup": delete_group,
    "AdminAddUserToGroup": admin_add_user_to_group,
    "AdminRemoveUserFromGroup": admin_remove_user_from_group,
    "AdminListGroupsForUser": admin_list_groups_for_user,
    "ListUsersInGroup": list_users_in_group,
}

"""Administrative user operations: AdminCreateUser, AdminGetUser, ListUsers and friends (spec §5, §6 T1, T2).

Invitation messages are not sent yet: MessageAction RESEND, SUPPRESS or unset all create (or re-arm) the user
without mail; the administrator hands out the temporary password.
"""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result, page
from cognate.cognito_api.shapes import flag, names, opt_int, opt_text, text
from cognate.domain.attributes import parse_attribute_list
from cognate.domain.users import User, user_to_cognito
from cognate.services import users
from cognate.services.deps import Deps


def _pool_and_user(req: Params) -> tuple[str, str]:
    return text(req, "UserPoolId"), text(req, "Username")


def _listed(user: User, wanted: list[str] | None) -> Result:
    """`UserType`, with only the attributes named in `AttributesToGet` when it is given."""
    shape = user_to_cognito(user)
    if wanted is not None:
        shape["Attributes"] = [a for a in shape["Attributes"] if a["Name"] in wanted]
    return shape


async def admin_create_user(deps: Deps, req: Params) -> Result:
    pool_id, username = _pool_and_user(req)
    password = opt_text(req, "TemporaryPassword")
    if opt_text(req, "MessageAction") == "RESEND":
        user = await users.resend_invitation(deps, pool_id, username, password=password)
    else:
        user, _ = await users.create_user(deps, pool_id, username=username, password=password,
                                          invites=opt_text(req, "MessageAction") != "SUPPRESS",
                                          attributes=parse_attribute_list(req.get("UserAttributes")))
    return {"User": user_to_cognito(user)}


async def admin_get_user(deps: Deps, req: Params) -> Result:
    return user_to_cognito(await users.get_user(deps, *_pool_and_user(req)), full=True)


async def admin_delete_user(deps: Deps, req: Params) -> Result:
    await users.delete_user(deps, *_pool_and_user(req))
    return {}


async def admin_set_user_password(deps: Deps, req: Params) -> Result:
    await users.set_password(deps, *_pool_and_user(req), text(req, "Password"), permanent=flag(req, "Permanent"))
    return {}


async def admin_confirm_sign_up(deps: Deps, req: Params) -> Result:
    await users.confirm_user(deps, *_pool_and_user(req))
    return {}


async def admin_update_user_attributes(deps: Deps, req: Params) -> Result:
    changes = parse_attribute_list(req["UserAttributes"])
    await users.update_attributes(deps, *_pool_and_user(req), changes)
    return {}


async def admin_delete_user_attributes(deps: Deps, req: Params) -> Result:
    await users.delete_attributes(deps, *_pool_and_user(req), names(req, "UserAttributeNames") or [])
    return {}


async def admin_disable_user(deps: Deps, req: Params) -> Result:
    await users.set_enabled(deps, *_pool_and_user(req), False)
    return {}


async def admin_enable_user(deps: Deps, req: Params) -> Result:
    await users.set_enabled(deps, *_pool_and_user(req), True)
    return {}


async def list_users(deps: Deps, req: Params) -> Result:
    found, token = await users.list_users(deps, text(req, "UserPoolId"), limit=opt_int(req, "Limit"),
                                          token=opt_text(req, "PaginationToken"), filter_expr=opt_text(req, "Filter"))
    wanted = names(req, "AttributesToGet")
    return page({"Users": [_listed(u, wanted) for u in found]}, "PaginationToken", token)


OPERATIONS: dict[str, Handler] = {
    "AdminCreateUser": admin_create_user,
    "AdminGetUser": admin_get_user,
    "AdminDeleteUser": admin_delete_user,
    "AdminSetUserPassword": admin_set_user_password,
    "AdminConfirmSignUp": admin_confirm_sign_up,
    "AdminUpdateUserAttributes": admin_update_user_attributes,
    "AdminDeleteUserAttributes": admin_delete_user_attributes,
    "AdminDisableUser": admin_disable_user,
    "AdminEnableUser": admin_enable_user,
    "ListUsers": list_users,
}

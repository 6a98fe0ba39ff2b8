"""What a signed-in user does with an access token, RevokeToken, and the admin counterparts that end sessions or
force a reset: GetUser, ChangePassword, GlobalSignOut, UpdateUserAttributes, DeleteUser, DeleteUserAttributes,
GetUserAttributeVerificationCode, VerifyUserAttribute, AdminResetUserPassword, AdminUserGlobalSignOut (spec §2
revocation, §6)."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result
from cognate.cognito_api.shapes import names, opt_text, text
from cognate.domain.attributes import parse_attribute_list
from cognate.domain.users import mfa_to_cognito
from cognate.services import self_service
from cognate.services.deps import Deps


def _token(req: Params) -> str:
    return text(req, "AccessToken")


async def get_user(deps: Deps, req: Params) -> Result:
    user, readable = await self_service.own_attributes(deps, _token(req))
    attributes = [{"Name": k, "Value": str(v)} for k, v in readable.items()]
    return {"Username": user.username, "UserAttributes": attributes, **mfa_to_cognito(user)}


async def change_password(deps: Deps, req: Params) -> Result:
    await self_service.change_password(deps, _token(req), opt_text(req, "PreviousPassword") or "",
                                       text(req, "ProposedPassword"))
    return {}


async def global_sign_out(deps: Deps, req: Params) -> Result:
    await self_service.global_sign_out(deps, _token(req))
    return {}


async def revoke_token(deps: Deps, req: Params) -> Result:
    await self_service.revoke_token(deps, client_id=text(req, "ClientId"), client_secret=opt_text(req, "ClientSecret"),
                                    token=text(req, "Token"))
    return {}


async def update_user_attributes(deps: Deps, req: Params) -> Result:
    deliveries = await self_service.update_own_attributes(deps, _token(req),
                                                          parse_attribute_list(req["UserAttributes"]))
    return {"CodeDeliveryDetailsList": [d.to_cognito() for d in deliveries]}


async def delete_user(deps: Deps, req: Params) -> Result:
    await self_service.delete_self(deps, _token(req))
    return {}


async def delete_user_attributes(deps: Deps, req: Params) -> Result:
    await self_service.delete_own_attributes(deps, _token(req), names(req, "UserAttributeNames") or [])
    return {}


async def get_user_attribute_verification_code(deps: Deps, req: Params) -> Result:
    delivery = await self_service.attribute_verification_code(deps, _token(req), text(req, "AttributeName"))
    return {"CodeDeliveryDetails": delivery.to_cognito()}


async def verify_user_attribute(deps: Deps, req: Params) -> Result:
    await self_service.verify_attribute(deps, _token(req), text(req, "AttributeName"), text(req, "Code"))
    return {}


async def admin_reset_user_password(deps: Deps, req: Params) -> Result:
    await self_service.admin_reset_password(deps, text(req, "UserPoolId"), text(req, "Username"))
    return {}


async def admin_user_global_sign_out(deps: Deps, req: Params) -> Result:
    await self_service.admin_global_sign_out(deps, text(req, "UserPoolId"), text(req, "Username"))
    return {}


OPERATIONS: dict[str, Handler] = {
    "GetUser": get_user,
    "ChangePassword": change_password,
    "GlobalSignOut": global_sign_out,
    "RevokeToken": revoke_token,
    "UpdateUserAttributes": update_user_attributes,
    "DeleteUser": delete_user,
    "DeleteUserAttributes": delete_user_attributes,
    "GetUserAttributeVerificationCode": get_user_attribute_verification_code,
    "VerifyUserAttribute": verify_user_attribute,
    "AdminResetUserPassword": admin_reset_user_password,
    "AdminUserGlobalSignOut": admin_user_global_sign_out,
}

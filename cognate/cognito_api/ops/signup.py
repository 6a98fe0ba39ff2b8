"""Self-service sign-up and password reset: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
ConfirmForgotPassword (spec §5 verification and PreventUserExistenceErrors, §6 key shapes, §8 SecretHash)."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result
from cognate.cognito_api.shapes import flag, opt_text, text
from cognate.domain.attributes import parse_attribute_list
from cognate.services import password_reset, signup
from cognate.services.deps import Deps


def _client_user(req: Params) -> tuple[str, str]:
    return text(req, "ClientId"), text(req, "Username")


async def sign_up(deps: Deps, req: Params) -> Result:
    client_id, username = _client_user(req)
    result = await signup.sign_up(deps, client_id=client_id, username=username, password=text(req, "Password"),
                                  attributes=parse_attribute_list(req.get("UserAttributes")),
                                  secret_hash=opt_text(req, "SecretHash"))
    out: Result = {"UserConfirmed": result.confirmed, "UserSub": result.user.sub}
    if result.delivery is not None:
        out["CodeDeliveryDetails"] = result.delivery.to_cognito()
    return out


async def confirm_sign_up(deps: Deps, req: Params) -> Result:
    client_id, username = _client_user(req)
    await signup.confirm_sign_up(deps, client_id=client_id, username=username, code=text(req, "ConfirmationCode"),
                                 secret_hash=opt_text(req, "SecretHash"),
                                 force_alias_creation=flag(req, "ForceAliasCreation"))
    return {}


async def resend_confirmation_code(deps: Deps, req: Params) -> Result:
    client_id, username = _client_user(req)
    delivery = await signup.resend_confirmation_code(deps, client_id=client_id, username=username,
                                                     secret_hash=opt_text(req, "SecretHash"))
    return {"CodeDeliveryDetails": delivery.to_cognito()}


async def forgot_password(deps: Deps, req: Params) -> Result:
    client_id, username = _client_user(req)
    delivery = await password_reset.forgot_password(deps, client_id=client_id, username=username,
                                                    secret_hash=opt_text(req, "SecretHash"))
    return {"CodeDeliveryDetails": delivery.to_cognito()}


async def confirm_forgot_password(deps: Deps, req: Params) -> Result:
    client_id, username = _client_user(req)
    await password_reset.confirm_forgot_password(deps, client_id=client_id, username=username,
                                                 code=text(req, "ConfirmationCode"), password=text(req, "Password"),
                                                 secret_hash=opt_text(req, "SecretHash"))
    return {}


OPERATIONS: dict[str, Handler] = {
    "SignUp": sign_up,
    "ConfirmSignUp": confirm_sign_up,
    "ResendConfirmationCode": resend_confirmation_code,
    "ForgotPassword": forgot_password,
    "ConfirmForgotPassword": confirm_forgot_password,
}

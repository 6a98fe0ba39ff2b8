"""TOTP MFA operations: AssociateSoftwareToken, VerifySoftwareToken, (Admin)SetUserMFAPreference and
Set/GetUserPoolMfaConfig (spec §6 T2 TOTP MFA). The rules live in `services.mfa` and `domain.mfa`."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result
from cognate.cognito_api.shapes import opt_text, text
from cognate.domain.pools import UserPool
from cognate.services import mfa, pools
from cognate.services.deps import Deps


def _with_session(result: Result, session: str | None) -> Result:
    if session is not None:
        result["Session"] = session
    return result


async def associate_software_token(deps: Deps, req: Params) -> Result:
    secret, session = await mfa.associate(deps, access_token=opt_text(req, "AccessToken"),
                                          session=opt_text(req, "Session"))
    return _with_session({"SecretCode": secret}, session)


async def verify_software_token(deps: Deps, req: Params) -> Result:
    session = await mfa.verify(deps, access_token=opt_text(req, "AccessToken"), session=opt_text(req, "Session"),
                               code=text(req, "UserCode"))
    return _with_session({"Status": "SUCCESS"}, session)


async def set_user_mfa_preference(deps: Deps, req: Params) -> Result:
    await mfa.set_preference(deps, text(req, "AccessToken"), req)
    return {}


async def admin_set_user_mfa_preference(deps: Deps, req: Params) -> Result:
    await mfa.admin_set_preference(deps, text(req, "UserPoolId"), text(req, "Username"), req)
    return {}


def _pool_config(pool: UserPool) -> Result:
    """Cognito names only the methods in use: a pool with MFA OFF answers without SoftwareTokenMfaConfiguration
    (Terraform plans a change on every run otherwise)."""
    out: Result = {"MfaConfiguration": pool.mfa_configuration}
    if pool.mfa.software_token and pool.mfa_configuration != "OFF":
        out["SoftwareTokenMfaConfiguration"] = {"Enabled": True}
    if pool.mfa.sms is not None:
        out["SmsMfaConfiguration"] = dict(pool.mfa.sms)
    return out


async def get_user_pool_mfa_config(deps: Deps, req: Params) -> Result:
    return _pool_config(await mfa.pool_mfa_config(deps, text(req, "UserPoolId")))


async def set_user_pool_mfa_config(deps: Deps, req: Params) -> Result:
    pool = await mfa.set_pool_mfa_config(deps, text(req, "UserPoolId"), dict(req))
    pools.warn_ignored(pool, "SetUserPoolMfaConfig")
    return _pool_config(pool)


OPERATIONS: dict[str, Handler] = {
    "AssociateSoftwareToken": associate_software_token,
    "VerifySoftwareToken": verify_software_token,
    "SetUserMFAPreference": set_user_mfa_preference,
    "AdminSetUserMFAPreference": admin_set_user_mfa_preference,
    "GetUserPoolMfaConfig": get_user_pool_mfa_config,
    "SetUserPoolMfaConfig": set_user_pool_mfa_config,
}

"""TOTP MFA through boto3 and pycognito against a real server: enrolment, SOFTWARE_TOKEN_MFA, MFA_SETUP, wrong
and reused codes (spec §6 T2 TOTP MFA)."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from tests.e2e.cognito_api._helpers import PASSWORD, App, error_code, new_app, new_email, new_pool
from tests.support.processes import Server


def _code(secret: str, *, ahead: int = 0) -> str:
    """The code of the step `ahead` steps from now (the server accepts ±1 step, each step once)."""
    return str(pyotp.TOTP(secret).at(time.time() + 30 * ahead))


def _user(cognito: Any, pool_id: str, username: str) -> None:
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=PASSWORD,
                              UserAttributes=[{"Name": "email", "Value": new_email()}], MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)


def _sign_in(public: Any, app: App, username: str) -> Any:
    return public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})


def _enrol(public: Any, app: App, username: str) -> str:
    """Sign in, associate and verify a TOTP secret, prefer it; the secret."""
    token = _sign_in(public, app, username)["AuthenticationResult"]["AccessToken"]
    secret = public.associate_software_token(AccessToken=token)["SecretCode"]
    assert len(secret) >= 16 and pyotp.TOTP(secret).now().isdigit()
    verified = public.verify_software_token(AccessToken=token, UserCode=_code(secret), FriendlyDeviceName="phone")
    assert verified["Status"] == "SUCCESS"
    public.set_user_mfa_preference(AccessToken=token,
                                   SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    user = public.get_user(AccessToken=token)
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    return str(secret)


@pytest.fixture
def app(cognito: Any) -> App:
    app = new_app(cognito, new_pool(cognito, MfaConfiguration="OPTIONAL"))
    _user(cognito, app.pool_id, "alice")
    return app


def test_totp_sign_in(cognito: Any, public: Any, app: App) -> None:
    secret = _enrol(public, app, "alice")
    challenge = _sign_in(public, app, "alice")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["ChallengeParameters"]["USER_ID_FOR_SRP"] == "alice"
    answer = {"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": "000000" if _code(secret, ahead=1) != "000000"
              else "111111"}
    assert error_code(lambda: public.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
        ChallengeResponses=answer)) == "CodeMismatchException"
    answer["SOFTWARE_TOKEN_MFA_CODE"] = _code(secret, ahead=1)
    done = public.respond_to_auth_challenge(ClientId=app.client_id, ChallengeName="SOFTWARE_TOKEN_MFA",
                                            Session=challenge["Session"], ChallengeResponses=answer)
    assert done["AuthenticationResult"]["AccessToken"]
    again = _sign_in(public, app, "alice")["Session"]  # the first Session is spent (test_parallel_guessing)
    assert error_code(lambda: public.respond_to_auth_challenge(  # the same code a second time
        ClientId=app.client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=again,
        ChallengeResponses=answer)) == "CodeMismatchException"
    admin = cognito.admin_get_user(UserPoolId=app.pool_id, Username="alice")
    assert admin["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]


def test_admin_preference_turns_totp_off(cognito: Any, public: Any, app: App) -> None:
    _enrol(public, app, "alice")
    cognito.admin_set_user_mfa_preference(UserPoolId=app.pool_id, Username="alice",
                                          SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False})
    assert "AuthenticationResult" in _sign_in(public, app, "alice")
    assert "UserMFASettingList" not in cognito.admin_get_user(UserPoolId=app.pool_id, Username="alice")


def test_wrong_verification_code_and_preference_without_totp(public: Any, app: App) -> None:
    token = _sign_in(public, app, "alice")["AuthenticationResult"]["AccessToken"]
    assert error_code(lambda: public.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})) == "InvalidParameterException"
    secret = public.associate_software_token(AccessToken=token)["SecretCode"]
    wrong = "123456" if _code(secret) != "123456" else "654321"
    assert error_code(lambda: public.verify_software_token(AccessToken=token, UserCode=wrong)) \
        == "EnableSoftwareTokenMFAException"


def test_pool_mfa_on_requires_setup(cognito: Any, public: Any) -> None:
    app = new_app(cognito, new_pool(cognito))
    _user(cognito, app.pool_id, "bob")
    config = cognito.set_user_pool_mfa_config(UserPoolId=app.pool_id, MfaConfiguration="ON",
                                              SoftwareTokenMfaConfiguration={"Enabled": True})
    assert config["MfaConfiguration"] == "ON" and config["SoftwareTokenMfaConfiguration"]["Enabled"] is True
    assert cognito.get_user_pool_mfa_config(UserPoolId=app.pool_id)["MfaConfiguration"] == "ON"
    challenge = _sign_in(public, app, "bob")
    assert challenge["ChallengeName"] == "MFA_SETUP"
    associated = public.associate_software_token(Session=challenge["Session"])
    verified = public.verify_software_token(Session=associated["Session"], UserCode=_code(associated["SecretCode"]))
    done = public.respond_to_auth_challenge(ClientId=app.client_id, ChallengeName="MFA_SETUP",
                                            Session=verified["Session"], ChallengeResponses={"USERNAME": "bob"})
    assert done["AuthenticationResult"]["IdToken"]
    assert _sign_in(public, app, "bob")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_pycognito_srp_with_totp(api_server: Server, public: Any, app: App) -> None:
    secret = _enrol(public, app, "alice")
    user = Cognito(app.pool_id, app.client_id, username="alice", user_pool_region="us-east-1",
                   botocore_config=Config(signature_version=UNSIGNED),
                   boto3_client_kwargs={"endpoint_url": api_server.url})
    with pytest.raises(SoftwareTokenMFAChallengeException) as raised:
        user.authenticate(password=PASSWORD)
    user.respond_to_software_token_mfa_challenge(_code(secret, ahead=1), raised.value.get_tokens())
    assert public.get_user(AccessToken=user.access_token)["Username"] == "alice"

"""Issue 13 "nothing silently dropped": Cognate sends no SMS, so what needs an SMS is refused, never skipped.

Found while closing the issue: a pool whose MfaConfiguration is ON with SMS as its only method (TOTP turned off
through SetUserPoolMfaConfig, as Terraform's `sms_configuration` + `software_token_mfa_configuration { enabled =
false }` does) let every user in with the password alone; and SetUserMFAPreference took `SMSMfaSettings
{Enabled: true}` with 200 and did nothing. Both are refused now, with a sentence naming what Cognate lacks.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.e2e.cognito_api._helpers import PASSWORD, error_of, new_app, new_email, new_pool
from tests.support.processes import Server

SMS = {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "x"},
       "SmsAuthenticationMessage": "Your code is {####}"}


def _user(cognito: Any, pool_id: str, username: str) -> None:
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=PASSWORD,
                              UserAttributes=[{"Name": "email", "Value": new_email()},
                                              {"Name": "phone_number", "Value": "+15555550100"}],
                              MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)


def _sign_in(public: Any, client_id: str, password: str = PASSWORD) -> Any:
    return public.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "alice", "PASSWORD": password})


def test_a_pool_that_requires_sms_mfa_refuses_sign_in_instead_of_skipping_the_second_factor(
        cognito: Any, public: Any) -> None:
    pool_id = new_pool(cognito)
    app = new_app(cognito, pool_id)
    _user(cognito, pool_id, "alice")
    assert _sign_in(public, app.client_id)["AuthenticationResult"]["AccessToken"]  # MFA OFF: the password is enough
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", SmsMfaConfiguration=SMS,
                                     SoftwareTokenMfaConfiguration={"Enabled": False})
    refused = error_of(lambda: _sign_in(public, app.client_id))
    assert refused["Code"] == "InvalidSmsRoleAccessPolicyException", refused
    assert "SMS" in refused["Message"] and "Cognate" in refused["Message"]
    assert error_of(lambda: _sign_in(public, app.client_id, "Wrong-Passw0rd!"))["Code"] == "NotAuthorizedException"
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", SmsMfaConfiguration=SMS,
                                     SoftwareTokenMfaConfiguration={"Enabled": True})
    assert _sign_in(public, app.client_id)["ChallengeName"] == "MFA_SETUP"  # TOTP offered: the user enrols


def test_sms_mfa_cannot_be_switched_on_for_a_user(cognito: Any, public: Any) -> None:
    pool_id = new_pool(cognito, MfaConfiguration="OPTIONAL")
    app = new_app(cognito, pool_id)
    _user(cognito, pool_id, "alice")
    token = _sign_in(public, app.client_id)["AuthenticationResult"]["AccessToken"]
    for settings in ({"Enabled": True}, {"Enabled": True, "PreferredMfa": True}):
        def own_call(s: dict[str, bool] = settings) -> Any:
            return public.set_user_mfa_preference(AccessToken=token, SMSMfaSettings=s)

        def admin_call(s: dict[str, bool] = settings) -> Any:
            return cognito.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="alice", SMSMfaSettings=s)

        own = error_of(own_call)
        assert own["Code"] == "InvalidParameterException" and "SMS" in own["Message"], own
        admin = error_of(admin_call)
        assert admin["Code"] == "InvalidParameterException", admin
    email = error_of(lambda: public.set_user_mfa_preference(AccessToken=token, EmailMfaSettings={"Enabled": True}))
    assert email["Code"] == "InvalidParameterException" and "Email" in email["Message"], email
    # turning SMS off is what Cognate already does: accepted
    public.set_user_mfa_preference(AccessToken=token, SMSMfaSettings={"Enabled": False, "PreferredMfa": False})
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="alice").get("UserMFASettingList", []) == []


def test_the_hosted_ui_says_why_instead_of_signing_in_on_the_password_alone(cognito: Any, api_server: Server) -> None:
    callback = "https://app.example.com/cb"
    pool_id = new_pool(cognito)
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", SmsMfaConfiguration=SMS,
                                     SoftwareTokenMfaConfiguration={"Enabled": False})
    app = new_app(cognito, pool_id, CallbackURLs=[callback], AllowedOAuthFlows=["code"],
                  AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid"],
                  SupportedIdentityProviders=["COGNITO"])
    _user(cognito, pool_id, "alice")
    query = urlencode({"client_id": app.client_id, "response_type": "code", "scope": "openid",
                       "redirect_uri": callback})
    with httpx.Client(base_url=api_server.url, follow_redirects=False, timeout=10) as browser:
        page = browser.get(f"/login?{query}")
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text)
        assert page.status_code == 200 and csrf, page.text
        answer = browser.post(f"/login?{query}", headers={"Origin": api_server.url}, data={
            "_csrf": unescape(csrf.group(1)), "username": "alice", "password": PASSWORD})
    assert answer.status_code == 400 and "location" not in answer.headers, answer.status_code
    assert "Cognate sends no SMS" in unescape(answer.text)


PHONE = "+15555550123"


def test_a_sign_up_code_that_would_go_by_sms_is_refused_and_nothing_is_written(cognito: Any, public: Any,
                                                                                api_server: Server) -> None:
    pool_id = new_pool(cognito, AutoVerifiedAttributes=["phone_number"])
    warned = [line for line in api_server.log().splitlines() if pool_id in line and "ignores" in line]
    assert warned and "AutoVerifiedAttributes.phone_number" in warned[-1]
    app = new_app(cognito, pool_id)
    refused = error_of(lambda: public.sign_up(ClientId=app.client_id, Username="phoney", Password=PASSWORD,
                                              UserAttributes=[{"Name": "phone_number", "Value": PHONE}]))
    assert refused["Code"] == "InvalidSmsRoleAccessPolicyException" and "phone number" in refused["Message"]
    assert error_of(lambda: cognito.admin_get_user(UserPoolId=pool_id, Username="phoney"))["Code"] == \
        "UserNotFoundException"
    # with an email the code is mailed instead (pool verifying both): no SMS needed
    both = new_app(cognito, new_pool(cognito, AutoVerifiedAttributes=["email", "phone_number"]))
    signed_up = public.sign_up(ClientId=both.client_id, Username="both", Password=PASSWORD, UserAttributes=[
        {"Name": "phone_number", "Value": PHONE}, {"Name": "email", "Value": new_email()}])
    assert signed_up["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


def test_resend_and_forgot_password_that_need_an_sms_say_so(cognito: Any, public: Any) -> None:
    pool_id = new_pool(cognito, AutoVerifiedAttributes=[])
    app = new_app(cognito, pool_id)
    public.sign_up(ClientId=app.client_id, Username="later", Password=PASSWORD,
                   UserAttributes=[{"Name": "phone_number", "Value": PHONE}])
    cognito.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["phone_number"],
                             Policies={"PasswordPolicy": {"MinimumLength": 8}})
    resent = error_of(lambda: public.resend_confirmation_code(ClientId=app.client_id, Username="later"))
    assert resent["Code"] == "InvalidSmsRoleAccessPolicyException", resent
    cognito.admin_create_user(UserPoolId=pool_id, Username="texted", MessageAction="SUPPRESS", UserAttributes=[
        {"Name": "phone_number", "Value": PHONE}, {"Name": "phone_number_verified", "Value": "true"}])
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="texted", Password=PASSWORD, Permanent=True)
    reset = error_of(lambda: public.forgot_password(ClientId=app.client_id, Username="texted"))
    assert reset["Code"] == "InvalidSmsRoleAccessPolicyException" and "reset code" in reset["Message"], reset

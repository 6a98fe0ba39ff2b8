"""Issue 13 §1 "Nothing silently dropped": a request that would run a Lambda trigger configured on its pool is refused
with Cognito's failing-trigger exception, naming the trigger, instead of going on as if the trigger were absent."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.e2e.cognito_api._helpers import PASSWORD, App, error_of, new_app, new_email, new_pool
from tests.support.processes import Server

ARN = "arn:aws:lambda:us-east-1:123456789012:function:"


def _refused_naming(call: Callable[[], Any], trigger: str) -> None:
    refused = error_of(call)
    assert refused["Code"] == "UnexpectedLambdaException", refused
    assert refused["Message"] == f"Cognate does not run Lambda triggers yet: {trigger} is configured on this pool"


def _with_user(cognito: Any, pool_id: str, username: str) -> None:
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": new_email()},
                                              {"Name": "email_verified", "Value": "true"}])
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)


def _eventually(check: Callable[[], None]) -> None:
    """Configuration changes reach every request within a second (ARCHITECTURE: no stale caches)."""
    deadline = time.monotonic() + 3
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_pre_sign_up_refuses_sign_up_and_admin_create_user(cognito: Any, public: Any) -> None:
    pool_id = new_pool(cognito, LambdaConfig={"PreSignUp": ARN + "pre"})
    app = new_app(cognito, pool_id)
    _refused_naming(lambda: public.sign_up(ClientId=app.client_id, Username="new-user", Password=PASSWORD,
                                           UserAttributes=[{"Name": "email", "Value": new_email()}]), "PreSignUp")
    _refused_naming(lambda: cognito.admin_create_user(UserPoolId=pool_id, Username="made", MessageAction="SUPPRESS"),
                    "PreSignUp")
    assert cognito.list_users(UserPoolId=pool_id)["Users"] == []


def test_post_confirmation_refuses_confirmations(cognito: Any, public: Any) -> None:
    pool_id = new_pool(cognito, LambdaConfig={"PostConfirmation": ARN + "post"})
    app = new_app(cognito, pool_id)
    public.sign_up(ClientId=app.client_id, Username="waiting", Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": new_email()}])
    _refused_naming(lambda: public.confirm_sign_up(ClientId=app.client_id, Username="waiting",
                                                   ConfirmationCode="123456"), "PostConfirmation")
    _refused_naming(lambda: cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="waiting"), "PostConfirmation")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="waiting")["UserStatus"] == "UNCONFIRMED"
    _with_user(cognito, pool_id, "resetter")
    _refused_naming(lambda: public.confirm_forgot_password(ClientId=app.client_id, Username="resetter",
                                                           ConfirmationCode="123456", Password=PASSWORD + "x"),
                    "PostConfirmation")


@pytest.mark.parametrize("trigger", ["PreAuthentication", "PostAuthentication"])
def test_authentication_triggers_refuse_every_sign_in_flow(cognito: Any, public: Any, trigger: str) -> None:
    pool_id = new_pool(cognito, LambdaConfig={trigger: ARN + trigger})
    app = new_app(cognito, pool_id)
    _with_user(cognito, pool_id, "someone")
    params = {"USERNAME": "someone", "PASSWORD": PASSWORD}
    _refused_naming(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                 AuthParameters=params), trigger)
    _refused_naming(lambda: cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=app.client_id,
                                                        AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=params),
                    trigger)
    _refused_naming(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_SRP_AUTH",
                                                 AuthParameters={"USERNAME": "someone", "SRP_A": "a" * 512}), trigger)


def test_pre_token_generation_refuses_sign_in_and_refresh(cognito: Any, public: Any, api_server: Server) -> None:
    pool_id = new_pool(cognito)
    app = new_app(cognito, pool_id)
    _with_user(cognito, pool_id, "holder")
    signed_in = public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "holder", "PASSWORD": PASSWORD})
    refresh = signed_in["AuthenticationResult"]["RefreshToken"]
    config = {"LambdaArn": ARN + "tokens", "LambdaVersion": "V2_0"}
    cognito.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"],
                             LambdaConfig={"PreTokenGenerationConfig": config})

    def refused() -> None:
        _refused_naming(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                                     AuthParameters={"REFRESH_TOKEN": refresh}), "PreTokenGeneration")

    _eventually(refused)
    _refused_naming(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                 AuthParameters={"USERNAME": "holder", "PASSWORD": PASSWORD}),
                    "PreTokenGeneration")
    answer = httpx.post(f"{api_server.url}/oauth2/token", timeout=10, data={
        "grant_type": "refresh_token", "client_id": app.client_id, "refresh_token": refresh})
    assert answer.status_code == 400 and answer.json() == {
        "error": "invalid_request",
        "error_description": "Cognate does not run Lambda triggers yet: PreTokenGeneration is configured on this pool"}


def test_custom_message_refuses_sends_but_not_silent_requests(cognito: Any, public: Any) -> None:
    pool_id = new_pool(cognito, LambdaConfig={"CustomMessage": ARN + "message"})
    app = new_app(cognito, pool_id)
    _with_user(cognito, pool_id, "forgetful")
    _refused_naming(lambda: public.forgot_password(ClientId=app.client_id, Username="forgetful"), "CustomMessage")
    _refused_naming(lambda: public.sign_up(ClientId=app.client_id, Username="joiner", Password=PASSWORD,
                                           UserAttributes=[{"Name": "email", "Value": new_email()}]), "CustomMessage")
    _refused_naming(lambda: cognito.admin_create_user(UserPoolId=pool_id, Username="invited",
                                                      UserAttributes=[{"Name": "email", "Value": new_email()}]),
                    "CustomMessage")
    # Nothing is sent: a suppressed invitation and a sign-in go on.
    cognito.admin_create_user(UserPoolId=pool_id, Username="quiet", MessageAction="SUPPRESS")
    assert public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "forgetful", "PASSWORD": PASSWORD})["AuthenticationResult"]


def test_custom_email_sender_refuses_sends(cognito: Any, public: Any) -> None:
    sender = {"LambdaArn": ARN + "sender", "LambdaVersion": "V1_0"}
    pool_id = new_pool(cognito, LambdaConfig={"CustomEmailSender": sender,
                                              "KMSKeyID": "arn:aws:kms:us-east-1:123456789012:key/k"})
    app = new_app(cognito, pool_id)
    _with_user(cognito, pool_id, "forgetful")
    _refused_naming(lambda: public.forgot_password(ClientId=app.client_id, Username="forgetful"), "CustomEmailSender")


def test_user_migration_refuses_only_unknown_users(cognito: Any, public: Any) -> None:
    pool_id = new_pool(cognito, LambdaConfig={"UserMigration": ARN + "migrate"})
    app = new_app(cognito, pool_id)
    _with_user(cognito, pool_id, "known")
    _refused_naming(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                 AuthParameters={"USERNAME": "elsewhere", "PASSWORD": PASSWORD}),
                    "UserMigration")
    _refused_naming(lambda: public.forgot_password(ClientId=app.client_id, Username="elsewhere"), "UserMigration")
    assert public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "known", "PASSWORD": PASSWORD})["AuthenticationResult"]


# The hosted UI and the code exchange: the same refusals through the browser's doors.

CB = "https://app.example.com/cb"
CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')


def _web_app(cognito: Any, **pool_settings: Any) -> App:
    app = new_app(cognito, new_pool(cognito, **pool_settings), CallbackURLs=[CB], AllowedOAuthFlows=["code"],
                  AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid", "email"],
                  SupportedIdentityProviders=["COGNITO"])
    _with_user(cognito, app.pool_id, "pat")
    return app


def _post_form(server: Server, page: str, app: App, fields: dict[str, str]) -> httpx.Response:
    """A new browser: the page, then its form posted with the page's CSRF token."""
    query = urlencode({"client_id": app.client_id, "response_type": "code", "scope": "openid", "redirect_uri": CB})
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=10) as browser:
        shown = browser.get(f"/{page}?{query}")
        found = CSRF_RE.search(shown.text)
        assert shown.status_code == 200 and found, shown.text
        return browser.post(f"/{page}?{query}", data={"_csrf": unescape(found.group(1)), **fields},
                            headers={"Origin": server.url})


def test_hosted_ui_sign_in_and_sign_up_show_the_trigger(cognito: Any, api_server: Server) -> None:
    guarded = _web_app(cognito)
    cognito.update_user_pool(UserPoolId=guarded.pool_id, AutoVerifiedAttributes=["email"],
                             LambdaConfig={"PreAuthentication": ARN + "pre-auth", "PreSignUp": ARN + "pre"})
    for page, fields, trigger in [
        ("login", {"username": "pat", "password": PASSWORD}, "PreAuthentication"),
        ("signup", {"username": "newbie", "password": PASSWORD, "email": new_email()}, "PreSignUp"),
    ]:
        def shown(page: str = page, fields: dict[str, str] = fields, trigger: str = trigger) -> None:
            answer = _post_form(api_server, page, guarded, fields)
            assert answer.status_code in (200, 400), answer.text
            assert f"Cognate does not run Lambda triggers yet: {trigger} is configured on this pool" in answer.text

        _eventually(shown)


def test_code_exchange_is_refused_when_pre_token_generation_appears(cognito: Any, api_server: Server) -> None:
    app = _web_app(cognito)
    signed_in = _post_form(api_server, "login", app, {"username": "pat", "password": PASSWORD})
    assert signed_in.status_code == 303, signed_in.text
    code = parse_qs(urlsplit(signed_in.headers["location"]).query)["code"][0]
    cognito.update_user_pool(UserPoolId=app.pool_id, AutoVerifiedAttributes=["email"],
                             LambdaConfig={"PreTokenGeneration": ARN + "tokens"})
    time.sleep(1.1)  # configuration reaches every request within a second; a code can be tried once only
    answer = httpx.post(f"{api_server.url}/oauth2/token", timeout=10, data={
        "grant_type": "authorization_code", "client_id": app.client_id, "code": code, "redirect_uri": CB})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request", answer.text
    assert "PreTokenGeneration is configured on this pool" in answer.json()["error_description"]


@pytest.mark.parametrize(("version", "refused"), [("V2_0", False), ("V3_0", True)])
def test_client_credentials_meet_only_the_v3_token_trigger(cognito: Any, api_server: Server, version: str,
                                                           refused: bool) -> None:
    config = {"LambdaArn": ARN + "tokens", "LambdaVersion": version}
    pool_id = new_pool(cognito, LambdaConfig={"PreTokenGenerationConfig": config})
    cognito.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="api",
                                   Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}])
    backend = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="backend", GenerateSecret=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"], AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
    answer = httpx.post(f"{api_server.url}/oauth2/token", data={"grant_type": "client_credentials"},
                        auth=(backend["ClientId"], backend["ClientSecret"]), timeout=10)
    if refused:
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_request", answer.text
        assert "PreTokenGeneration is configured" in answer.json()["error_description"]
    else:
        assert answer.status_code == 200 and answer.json()["access_token"], answer.text


def test_the_client_is_authenticated_before_the_pool_configuration_is_told(cognito: Any, public: Any) -> None:
    """A caller without the app's secret learns nothing about the pool's triggers."""
    pool_id = new_pool(cognito, LambdaConfig={"PostConfirmation": ARN + "post", "CustomMessage": ARN + "message",
                                              "PreAuthentication": ARN + "pre-auth"})
    app = new_app(cognito, pool_id, secret=True)
    wrong = "d3Jvbmc="
    for call in (
        lambda: public.confirm_sign_up(ClientId=app.client_id, Username="x", ConfirmationCode="123456",
                                       SecretHash=wrong),
        lambda: public.forgot_password(ClientId=app.client_id, Username="x", SecretHash=wrong),
        lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_SRP_AUTH",
                                     AuthParameters={"USERNAME": "x", "SRP_A": "a" * 512, "SECRET_HASH": wrong}),
        lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "x", "PASSWORD": PASSWORD, "SECRET_HASH": wrong}),
    ):
        assert error_of(call)["Code"] == "NotAuthorizedException"


def test_custom_message_refuses_attribute_changes_and_resets_before_writing(cognito: Any, public: Any) -> None:
    pool_id = new_pool(cognito)
    app = new_app(cognito, pool_id)
    _with_user(cognito, pool_id, "mover")
    token = public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={
        "USERNAME": "mover", "PASSWORD": PASSWORD})["AuthenticationResult"]["AccessToken"]
    before = cognito.admin_get_user(UserPoolId=pool_id, Username="mover")
    cognito.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"],
                             LambdaConfig={"CustomMessage": ARN + "message"})

    def refused() -> None:
        _refused_naming(lambda: public.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "email", "Value": new_email()}]), "CustomMessage")

    _eventually(refused)
    _refused_naming(lambda: cognito.admin_reset_user_password(UserPoolId=pool_id, Username="mover"), "CustomMessage")
    after = cognito.admin_get_user(UserPoolId=pool_id, Username="mover")
    assert after["UserAttributes"] == before["UserAttributes"] and after["UserStatus"] == "CONFIRMED"
    public.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "name", "Value": "Mo"}])  # sends nothing

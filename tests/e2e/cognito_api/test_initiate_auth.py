"""(Admin)InitiateAuth and (Admin)RespondToAuthChallenge through boto3 against a real server: password and refresh
flows, NEW_PASSWORD_REQUIRED, SECRET_HASH, and Cognito's refusals (spec §2, §5, §6, §8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.cognito_api._helpers import (
    NEW_PASSWORD,
    PASSWORD,
    App,
    code_sent_to,
    error_code,
    error_of,
    new_app,
    new_email,
    new_pool,
    verified_claims,
)
from tests.support.processes import Server

ADMIN_SCOPE = "aws.cognito.signin.user.admin"


def _user(cognito: Any, pool_id: str, username: str, *, permanent: bool = True) -> str:
    email = new_email()
    attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=PASSWORD,
                              UserAttributes=attributes, MessageAction="SUPPRESS")
    if permanent:
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)
    return email


def _password_auth(client: Any, app: App, username: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": username, "PASSWORD": password, **extra})


def _claims(server: Server, pool_id: str, token: str, **options: Any) -> dict[str, Any]:
    return verified_claims(server.url, pool_id, token, **options)


@pytest.fixture
def app(cognito: Any) -> App:
    app = new_app(cognito, new_pool(cognito))
    _user(cognito, app.pool_id, "alice")
    return app


def test_password_auth_tokens_verify_and_refresh(public: Any, api_server: Server, app: App) -> None:
    result = _password_auth(public, app, "alice")
    assert result["ChallengeParameters"] == {}
    tokens = result["AuthenticationResult"]
    assert set(tokens) == {"AccessToken", "ExpiresIn", "TokenType", "RefreshToken", "IdToken"}
    assert tokens["TokenType"] == "Bearer" and tokens["ExpiresIn"] == 3600
    access = _claims(api_server, app.pool_id, tokens["AccessToken"])
    assert access["token_use"] == "access" and access["client_id"] == app.client_id
    assert access["scope"] == ADMIN_SCOPE and access["username"] == "alice"
    identity = _claims(api_server, app.pool_id, tokens["IdToken"], audience=app.client_id)
    assert identity["cognito:username"] == "alice" and identity["email_verified"] is True
    for flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        refreshed = public.initiate_auth(ClientId=app.client_id, AuthFlow=flow,
                                         AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
        new = refreshed["AuthenticationResult"]
        assert "RefreshToken" not in new and set(new) == {"AccessToken", "ExpiresIn", "TokenType", "IdToken"}
        assert _claims(api_server, app.pool_id, new["AccessToken"])["origin_jti"] == access["origin_jti"]
    bogus = error_of(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                                  AuthParameters={"REFRESH_TOKEN": "not-a-token"}))
    assert bogus == {"Code": "NotAuthorizedException", "Message": "Invalid Refresh Token"}


def test_password_auth_refusals(public: Any, cognito: Any, app: App) -> None:
    assert error_of(lambda: _password_auth(public, app, "alice", "Wrong-passw0rd")) == {
        "Code": "NotAuthorizedException", "Message": "Incorrect username or password."}
    assert error_code(lambda: public.initiate_auth(ClientId="nosuchclient0000000000000a", AuthFlow="USER_PASSWORD_AUTH",
                                                   AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD})
                      ) == "ResourceNotFoundException"
    missing = error_of(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                    AuthParameters={"USERNAME": "alice"}))
    assert missing == {"Code": "InvalidParameterException", "Message": "Missing required parameter PASSWORD"}
    admin_flow = error_of(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                                       AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD}))
    assert admin_flow == {"Code": "InvalidParameterException", "Message": "Initiate Auth method not supported."}
    cognito.admin_disable_user(UserPoolId=app.pool_id, Username="alice")
    assert error_of(lambda: _password_auth(public, app, "alice")) == {
        "Code": "NotAuthorizedException", "Message": "User is disabled."}


def test_disabled_flow_is_invalid_parameter(public: Any, cognito: Any) -> None:
    pool_id = new_pool(cognito)
    _user(cognito, pool_id, "bob")
    srp_only = new_app(cognito, pool_id, flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    assert error_of(lambda: _password_auth(public, srp_only, "bob")) == {
        "Code": "InvalidParameterException", "Message": "USER_PASSWORD_AUTH flow not enabled for this client"}
    no_admin = error_of(lambda: cognito.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=srp_only.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD}))
    assert no_admin["Code"] == "InvalidParameterException"


def test_secret_hash_on_initiate_auth(public: Any, cognito: Any) -> None:
    pool_id = new_pool(cognito, UsernameAttributes=["email"])
    app = new_app(cognito, pool_id, secret=True)
    email = new_email()
    cognito.admin_create_user(UserPoolId=pool_id, Username=email, TemporaryPassword=PASSWORD,
                              MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD, Permanent=True)
    assert error_of(lambda: _password_auth(public, app, email)) == {
        "Code": "NotAuthorizedException",
        "Message": f"Client {app.client_id} is configured for secret but secret was not received"}
    assert error_of(lambda: _password_auth(public, app, email, SECRET_HASH=app.secret_hash("other"))) == {
        "Code": "NotAuthorizedException", "Message": f"Unable to verify secret hash for client {app.client_id}"}
    tokens = _password_auth(public, app, email, SECRET_HASH=app.secret_hash(email))["AuthenticationResult"]
    internal = cognito.admin_get_user(UserPoolId=pool_id, Username=email)["Username"]
    assert internal != email
    refresh = {"REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": app.secret_hash(internal)}
    refreshed = public.initiate_auth(ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh)
    assert "AccessToken" in refreshed["AuthenticationResult"]


def test_admin_initiate_auth(cognito: Any, public: Any, app: App) -> None:
    auth = {"USERNAME": "alice", "PASSWORD": PASSWORD}
    for flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
        result = cognito.admin_initiate_auth(UserPoolId=app.pool_id, ClientId=app.client_id, AuthFlow=flow,
                                             AuthParameters=auth)
        assert {"AccessToken", "RefreshToken", "IdToken"} <= set(result["AuthenticationResult"])
    refresh = {"REFRESH_TOKEN": result["AuthenticationResult"]["RefreshToken"]}
    refreshed = cognito.admin_initiate_auth(UserPoolId=app.pool_id, ClientId=app.client_id,
                                            AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh)
    assert "AccessToken" in refreshed["AuthenticationResult"]
    other_pool = new_pool(cognito)
    assert error_code(lambda: cognito.admin_initiate_auth(
        UserPoolId=other_pool, ClientId=app.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=auth)
    ) == "ResourceNotFoundException"
    assert error_code(lambda: public.admin_initiate_auth(
        UserPoolId=app.pool_id, ClientId=app.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=auth)
    ) == "MissingAuthenticationTokenException"


def test_legacy_admin_no_srp_client(cognito: Any) -> None:
    pool_id = new_pool(cognito)
    _user(cognito, pool_id, "carl")
    legacy = new_app(cognito, pool_id, flows=["ADMIN_NO_SRP_AUTH"])
    result = cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=legacy.client_id,
                                         AuthFlow="ADMIN_NO_SRP_AUTH",
                                         AuthParameters={"USERNAME": "carl", "PASSWORD": PASSWORD})
    refresh = {"REFRESH_TOKEN": result["AuthenticationResult"]["RefreshToken"]}
    assert "AccessToken" in cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=legacy.client_id,
                                                        AuthFlow="REFRESH_TOKEN_AUTH",
                                                        AuthParameters=refresh)["AuthenticationResult"]


@pytest.mark.parametrize("admin", [False, True])
def test_new_password_required(cognito: Any, public: Any, app: App, admin: bool) -> None:
    _user(cognito, app.pool_id, "dora", permanent=False)
    if admin:
        challenge = cognito.admin_initiate_auth(UserPoolId=app.pool_id, ClientId=app.client_id,
                                                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                                AuthParameters={"USERNAME": "dora", "PASSWORD": PASSWORD})
    else:
        challenge = _password_auth(public, app, "dora")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED" and challenge["Session"]
    params = challenge["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == "dora" and params["requiredAttributes"] == "[]"
    assert '"email"' in params["userAttributes"]
    respond = cognito.admin_respond_to_auth_challenge if admin else public.respond_to_auth_challenge
    extra = {"UserPoolId": app.pool_id} if admin else {}
    weak = {"USERNAME": "dora", "NEW_PASSWORD": "weak"}
    assert error_code(lambda: respond(ClientId=app.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                      Session=challenge["Session"], ChallengeResponses=weak, **extra)
                      ) == "InvalidPasswordException"
    answer = {"USERNAME": "dora", "NEW_PASSWORD": NEW_PASSWORD}
    assert error_code(lambda: respond(ClientId=app.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                      Session="forged-session-value-00000", ChallengeResponses=answer, **extra)
                      ) == "NotAuthorizedException"
    done = respond(ClientId=app.client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
                   ChallengeResponses=answer, **extra)
    assert {"AccessToken", "RefreshToken", "IdToken"} <= set(done["AuthenticationResult"])
    assert "AuthenticationResult" in _password_auth(public, app, "dora", NEW_PASSWORD)
    assert cognito.admin_get_user(UserPoolId=app.pool_id, Username="dora")["UserStatus"] == "CONFIRMED"


def test_admin_reset_user_password(cognito: Any, public: Any, app: App, outbox: Path) -> None:
    email = cognito.admin_get_user(UserPoolId=app.pool_id, Username="alice")["UserAttributes"]
    address = next(a["Value"] for a in email if a["Name"] == "email")
    assert cognito.admin_reset_user_password(UserPoolId=app.pool_id, Username="alice")["ResponseMetadata"]
    assert cognito.admin_get_user(UserPoolId=app.pool_id, Username="alice")["UserStatus"] == "RESET_REQUIRED"
    assert error_of(lambda: _password_auth(public, app, "alice")) == {
        "Code": "PasswordResetRequiredException", "Message": "Password reset required for the user"}
    public.confirm_forgot_password(ClientId=app.client_id, Username="alice",
                                   ConfirmationCode=code_sent_to(outbox, address), Password=NEW_PASSWORD)
    assert "AuthenticationResult" in _password_auth(public, app, "alice", NEW_PASSWORD)
    assert error_code(lambda: cognito.admin_reset_user_password(UserPoolId=app.pool_id, Username="nobody")
                      ) == "UserNotFoundException"

"""What a signed-in user does with an access token, through boto3 with no AWS credentials: GetUser, ChangePassword,
GlobalSignOut, RevokeToken, attribute updates and verification, DeleteUser; and the admin sign-out (spec §1.3, §2
revocation, §6)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from cognate.domain.errors import NotAuthorizedException
from cognate.services import self_service
from cognate.services.deps import Deps
from cognate.settings import load_settings
from tests.e2e.cognito_api._helpers import (
    NEW_PASSWORD,
    PASSWORD,
    App,
    attributes_of,
    code_sent_to,
    error_code,
    error_of,
    new_app,
    new_email,
    new_pool,
)
from tests.support.inprocess import run_use_case
from tests.support.processes import Cli, Server

REVOKED = {"Code": "NotAuthorizedException", "Message": "Access Token has been revoked"}


@pytest.fixture
def app(cognito: Any) -> App:
    return new_app(cognito, new_pool(cognito))


def _user(cognito: Any, app: App, username: str) -> str:
    email = new_email()
    attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"},
                  {"Name": "given_name", "Value": "Ada"}]
    cognito.admin_create_user(UserPoolId=app.pool_id, Username=username, TemporaryPassword=PASSWORD,
                              UserAttributes=attributes, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=app.pool_id, Username=username, Password=PASSWORD, Permanent=True)
    return email


def _tokens(public: Any, app: App, username: str, password: str = PASSWORD) -> dict[str, Any]:
    result = public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": username, "PASSWORD": password})
    return dict(result["AuthenticationResult"])


def _in_process(cli: Cli, server: Server, use_case: Callable[[Deps], Awaitable[Any]]) -> Any:
    """Run a use case on the server's database and master key, as another node would."""
    settings = load_settings(data_dir=cli.data_dir, database_url=cli.database_url, public_url=server.url)
    return run_use_case(settings, use_case)


def test_cli_style_flow_get_user_change_password_global_sign_out(public: Any, cognito: Any, app: App,
                                                                 api_cli: Cli, api_server: Server) -> None:
    """The AWS CLI's walk-through: initiate-auth → get-user → change-password → global-sign-out → get-user fails."""
    email = _user(cognito, app, "alice")
    access = _tokens(public, app, "alice")["AccessToken"]
    me = public.get_user(AccessToken=access)
    assert me["Username"] == "alice"
    attrs = attributes_of(me["UserAttributes"])
    assert attrs["email"] == email and attrs["email_verified"] == "true" and len(attrs["sub"]) == 36
    assert all(isinstance(a["Value"], str) for a in me["UserAttributes"])
    caller = _in_process(api_cli, api_server, lambda deps: self_service.caller_of(deps, access))
    assert caller.user.username == "alice" and caller.client_id == app.client_id
    assert error_of(lambda: public.change_password(AccessToken=access, PreviousPassword="Wrong-passw0rd",
                                                   ProposedPassword=NEW_PASSWORD)) == {
        "Code": "NotAuthorizedException", "Message": "Incorrect username or password."}
    assert error_code(lambda: public.change_password(AccessToken=access, PreviousPassword=PASSWORD,
                                                     ProposedPassword="weak")) == "InvalidPasswordException"
    public.change_password(AccessToken=access, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD)
    assert error_code(lambda: _tokens(public, app, "alice")) == "NotAuthorizedException"
    fresh = _tokens(public, app, "alice", NEW_PASSWORD)
    public.global_sign_out(AccessToken=access)
    assert error_of(lambda: public.get_user(AccessToken=access)) == REVOKED
    assert error_of(lambda: public.get_user(AccessToken=fresh["AccessToken"])) == REVOKED
    with pytest.raises(NotAuthorizedException, match="Access Token has been revoked"):
        _in_process(api_cli, api_server, lambda deps: self_service.caller_of(deps, access))
    assert error_of(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                                 AuthParameters={"REFRESH_TOKEN": fresh["RefreshToken"]})) == {
        "Code": "NotAuthorizedException", "Message": "Refresh Token has been revoked"}


def test_bad_access_tokens(public: Any, cognito: Any, app: App) -> None:
    _user(cognito, app, "bob")
    tokens = _tokens(public, app, "bob")
    assert error_code(lambda: public.get_user(AccessToken="not-a-jwt")) == "NotAuthorizedException"
    assert error_code(lambda: public.get_user(AccessToken=tokens["IdToken"])) == "NotAuthorizedException"
    head, body, signature = tokens["AccessToken"].split(".")
    forged = f"{head}.{body}.{signature[::-1]}"
    assert error_code(lambda: public.get_user(AccessToken=forged)) == "NotAuthorizedException"


def test_api_access_token_is_refused_at_userinfo(public: Any, cognito: Any, app: App, api_server: Server) -> None:
    """Spec §1.3: API tokens carry only aws.cognito.signin.user.admin, not openid."""
    _user(cognito, app, "carol")
    access = _tokens(public, app, "carol")["AccessToken"]
    response = httpx.get(f"{api_server.url}/oauth2/userInfo", headers={"Authorization": f"Bearer {access}"},
                         timeout=5)
    assert response.status_code == 401
    assert response.json()["error_description"] == "Access token does not contain openid scope"


def test_revoke_token(public: Any, cognito: Any) -> None:
    pool_id = new_pool(cognito)
    app, secret_app = new_app(cognito, pool_id), new_app(cognito, pool_id, secret=True)
    no_revocation = new_app(cognito, pool_id, EnableTokenRevocation=False)
    _user(cognito, app, "dave")
    tokens = _tokens(public, app, "dave")
    assert error_code(lambda: public.revoke_token(Token=tokens["AccessToken"], ClientId=app.client_id)
                      ) == "UnsupportedTokenTypeException"
    assert error_code(lambda: public.revoke_token(Token=tokens["RefreshToken"], ClientId=no_revocation.client_id)
                      ) == "UnsupportedOperationException"
    assert error_code(lambda: public.revoke_token(Token=tokens["RefreshToken"], ClientId=secret_app.client_id)
                      ) == "UnauthorizedException"
    assert error_code(lambda: public.revoke_token(Token=tokens["RefreshToken"], ClientId=secret_app.client_id,
                                                  ClientSecret="w" * 52)) == "UnauthorizedException"
    public.revoke_token(Token=tokens["RefreshToken"], ClientId=secret_app.client_id, ClientSecret=secret_app.secret)
    assert public.get_user(AccessToken=tokens["AccessToken"])["Username"] == "dave"  # another client's: no effect
    public.revoke_token(Token=tokens["RefreshToken"], ClientId=app.client_id)
    assert error_of(lambda: public.get_user(AccessToken=tokens["AccessToken"])) == REVOKED
    public.revoke_token(Token=tokens["RefreshToken"], ClientId=app.client_id)  # again: still {}
    public.revoke_token(Token="a.b.c.d.e", ClientId=app.client_id)  # unknown: still {}


def test_admin_user_global_sign_out(public: Any, cognito: Any, app: App) -> None:
    _user(cognito, app, "erin")
    tokens = _tokens(public, app, "erin")
    cognito.admin_user_global_sign_out(UserPoolId=app.pool_id, Username="erin")
    assert error_of(lambda: public.get_user(AccessToken=tokens["AccessToken"])) == REVOKED
    assert "AccessToken" in _tokens(public, app, "erin")
    assert error_code(lambda: public.admin_user_global_sign_out(UserPoolId=app.pool_id, Username="erin")
                      ) == "MissingAuthenticationTokenException"


def test_update_verify_and_delete_attributes(public: Any, cognito: Any, app: App, outbox: Path) -> None:
    _user(cognito, app, "fay")
    access = _tokens(public, app, "fay")["AccessToken"]
    email = new_email()
    changes = [{"Name": "email", "Value": email}, {"Name": "family_name", "Value": "Lovelace"}]
    sent = public.update_user_attributes(AccessToken=access, UserAttributes=changes)["CodeDeliveryDetailsList"]
    assert sent == [{"Destination": f"{email[0]}***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}]
    attrs = attributes_of(public.get_user(AccessToken=access)["UserAttributes"])
    assert attrs["email"] == email and attrs["email_verified"] == "false" and attrs["family_name"] == "Lovelace"
    first = code_sent_to(outbox, email)
    assert public.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")[
        "CodeDeliveryDetails"]["AttributeName"] == "email"
    code = code_sent_to(outbox, email)
    if code != first:
        assert error_code(lambda: public.verify_user_attribute(AccessToken=access, AttributeName="email",
                                                               Code=first)) == "CodeMismatchException"
    public.verify_user_attribute(AccessToken=access, AttributeName="email", Code=code)
    assert attributes_of(public.get_user(AccessToken=access)["UserAttributes"])["email_verified"] == "true"
    unknown = [{"Name": "shoe_size", "Value": "9"}]
    assert error_code(lambda: public.update_user_attributes(AccessToken=access, UserAttributes=unknown)
                      ) == "InvalidParameterException"
    public.delete_user_attributes(AccessToken=access, UserAttributeNames=["family_name", "given_name"])
    attrs = attributes_of(public.get_user(AccessToken=access)["UserAttributes"])
    assert "family_name" not in attrs and "given_name" not in attrs


def test_delete_user(public: Any, cognito: Any, app: App) -> None:
    _user(cognito, app, "gus")
    access = _tokens(public, app, "gus")["AccessToken"]
    public.delete_user(AccessToken=access)
    assert error_code(lambda: cognito.admin_get_user(UserPoolId=app.pool_id, Username="gus")
                      ) == "UserNotFoundException"
    assert error_code(lambda: public.get_user(AccessToken=access)) == "NotAuthorizedException"

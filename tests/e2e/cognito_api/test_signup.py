"""SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword through boto3, with no
AWS credentials, against a real server; codes are read from the server's outbox (spec §5, §6, §8)."""

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
)


@pytest.fixture
def app(cognito: Any) -> App:
    return new_app(cognito, new_pool(cognito))


def _sign_up(public: Any, app: App, username: str, email: str, **extra: Any) -> dict[str, Any]:
    return dict(public.sign_up(ClientId=app.client_id, Username=username, Password=PASSWORD,
                               UserAttributes=[{"Name": "email", "Value": email}], **extra))


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_sign_up_confirm_and_sign_in(public: Any, cognito: Any, app: App, outbox: Path) -> None:
    email = new_email()
    result = _sign_up(public, app, "alice", email)
    assert result["UserConfirmed"] is False and len(result["UserSub"]) == 36
    assert result["CodeDeliveryDetails"] == {"Destination": f"{email[0]}***@e***", "DeliveryMedium": "EMAIL",
                                             "AttributeName": "email"}
    auth = {"USERNAME": "alice", "PASSWORD": PASSWORD}
    assert error_code(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                   AuthParameters=auth)) == "UserNotConfirmedException"
    public.confirm_sign_up(ClientId=app.client_id, Username="alice", ConfirmationCode=code_sent_to(outbox, email))
    user = cognito.admin_get_user(UserPoolId=app.pool_id, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    tokens = public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=auth)
    assert tokens["AuthenticationResult"]["TokenType"] == "Bearer"
    again = error_of(lambda: public.confirm_sign_up(ClientId=app.client_id, Username="alice", ConfirmationCode="1"))
    assert again["Code"] == "NotAuthorizedException"


def test_sign_up_refusals(public: Any, app: App) -> None:
    email = new_email()
    _sign_up(public, app, "bob", email)
    assert error_of(lambda: _sign_up(public, app, "bob", new_email())) == {
        "Code": "UsernameExistsException", "Message": "User already exists"}
    weak = error_of(lambda: public.sign_up(ClientId=app.client_id, Username="carol", Password="short"))
    assert weak["Code"] == "InvalidPasswordException" and weak["Message"].startswith("Password did not conform")
    bad_attr = [{"Name": "shoe_size", "Value": "9"}]
    assert error_code(lambda: public.sign_up(ClientId=app.client_id, Username="dave", Password=PASSWORD,
                                             UserAttributes=bad_attr)) == "InvalidParameterException"
    assert error_code(lambda: public.sign_up(ClientId="nosuchclient0000000000000a", Username="erin",
                                             Password=PASSWORD)) == "ResourceNotFoundException"
    # botocore's model leaves Password optional (passwordless pools); without one it is a parameter error, not a
    # 500 (found by tests/security/test_fuzz_forms_and_api.py)
    missing = error_of(lambda: public.sign_up(ClientId=app.client_id, Username="fay"))
    assert missing == {"Code": "InvalidParameterException", "Message": "Missing required parameter Password"}


def test_resend_and_wrong_codes(public: Any, app: App, outbox: Path) -> None:
    email = new_email()
    _sign_up(public, app, "frank", email)
    first = code_sent_to(outbox, email)
    delivery = public.resend_confirmation_code(ClientId=app.client_id, Username="frank")["CodeDeliveryDetails"]
    assert delivery["DeliveryMedium"] == "EMAIL"
    fresh = code_sent_to(outbox, email)
    if fresh != first:
        assert error_code(lambda: public.confirm_sign_up(ClientId=app.client_id, Username="frank",
                                                         ConfirmationCode=first)) == "CodeMismatchException"
    mismatch = error_of(lambda: public.confirm_sign_up(ClientId=app.client_id, Username="frank",
                                                       ConfirmationCode=_wrong(fresh)))
    assert mismatch == {"Code": "CodeMismatchException",
                        "Message": "Invalid verification code provided, please try again."}
    public.confirm_sign_up(ClientId=app.client_id, Username="frank", ConfirmationCode=fresh)
    assert error_code(lambda: public.resend_confirmation_code(ClientId=app.client_id, Username="frank")
                      ) == "NotAuthorizedException"


def test_too_many_wrong_codes_is_limit_exceeded_until_a_new_code(public: Any, app: App, outbox: Path) -> None:
    email = new_email()
    _sign_up(public, app, "gina", email)
    right = code_sent_to(outbox, email)
    wrong = _wrong(right)
    codes = [error_code(lambda: public.confirm_sign_up(ClientId=app.client_id, Username="gina",
                                                       ConfirmationCode=wrong)) for _ in range(6)]
    assert codes[:5] == ["CodeMismatchException"] * 5 and codes[5] == "LimitExceededException"
    assert error_code(lambda: public.confirm_sign_up(ClientId=app.client_id, Username="gina",
                                                     ConfirmationCode=right)) == "LimitExceededException"
    public.resend_confirmation_code(ClientId=app.client_id, Username="gina")
    public.confirm_sign_up(ClientId=app.client_id, Username="gina", ConfirmationCode=code_sent_to(outbox, email))


def test_forgot_password(public: Any, cognito: Any, app: App, outbox: Path) -> None:
    email = new_email()
    _sign_up(public, app, "hank", email)
    public.confirm_sign_up(ClientId=app.client_id, Username="hank", ConfirmationCode=code_sent_to(outbox, email))
    assert error_code(lambda: public.confirm_forgot_password(
        ClientId=app.client_id, Username="hank", ConfirmationCode="123456", Password=NEW_PASSWORD)
    ) == "ExpiredCodeException"
    delivery = public.forgot_password(ClientId=app.client_id, Username="hank")["CodeDeliveryDetails"]
    assert delivery["Destination"] == f"{email[0]}***@e***"
    code = code_sent_to(outbox, email)
    assert error_code(lambda: public.confirm_forgot_password(
        ClientId=app.client_id, Username="hank", ConfirmationCode=code, Password="weak")
    ) == "InvalidPasswordException"
    public.confirm_forgot_password(ClientId=app.client_id, Username="hank", ConfirmationCode=code,
                                   Password=NEW_PASSWORD)
    auth = {"USERNAME": "hank", "PASSWORD": NEW_PASSWORD}
    assert "AuthenticationResult" in public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                          AuthParameters=auth)


def test_unknown_user_legacy_vs_prevent_user_existence_errors(public: Any, cognito: Any) -> None:
    pool_id = new_pool(cognito)
    legacy = new_app(cognito, pool_id)
    hidden = new_app(cognito, pool_id, PreventUserExistenceErrors="ENABLED")
    auth = {"USERNAME": "nobody", "PASSWORD": PASSWORD}
    assert error_of(lambda: public.initiate_auth(ClientId=legacy.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                 AuthParameters=auth))["Code"] == "UserNotFoundException"
    assert error_of(lambda: public.initiate_auth(ClientId=hidden.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                 AuthParameters=auth)) == {
        "Code": "NotAuthorizedException", "Message": "Incorrect username or password."}
    assert error_code(lambda: public.forgot_password(ClientId=legacy.client_id, Username="nobody")
                      ) == "UserNotFoundException"
    simulated = public.forgot_password(ClientId=hidden.client_id, Username="nobody@example.com")
    assert simulated["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert "CodeDeliveryDetails" in public.resend_confirmation_code(ClientId=hidden.client_id, Username="nobody")
    assert error_code(lambda: public.confirm_sign_up(ClientId=hidden.client_id, Username="nobody",
                                                     ConfirmationCode="123456")) == "CodeMismatchException"


def test_secret_hash_on_sign_up_and_forgot_password(public: Any, cognito: Any, outbox: Path) -> None:
    app = new_app(cognito, new_pool(cognito), secret=True)
    email = new_email()
    missing = error_of(lambda: _sign_up(public, app, "ivy", email))
    assert missing == {"Code": "NotAuthorizedException",
                       "Message": f"Client {app.client_id} is configured for secret but secret was not received"}
    wrong = error_of(lambda: _sign_up(public, app, "ivy", email, SecretHash=app.secret_hash("someone-else")))
    assert wrong == {"Code": "NotAuthorizedException",
                     "Message": f"Unable to verify secret hash for client {app.client_id}"}
    _sign_up(public, app, "ivy", email, SecretHash=app.secret_hash("ivy"))
    public.confirm_sign_up(ClientId=app.client_id, Username="ivy", ConfirmationCode=code_sent_to(outbox, email),
                           SecretHash=app.secret_hash("ivy"))
    assert error_code(lambda: public.forgot_password(ClientId=app.client_id, Username="ivy")
                      ) == "NotAuthorizedException"
    public.forgot_password(ClientId=app.client_id, Username="ivy", SecretHash=app.secret_hash("ivy"))

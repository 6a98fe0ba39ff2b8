"""Issue 12, item 1, end to end through boto3 against a real `cognate serve`: a user cannot self-verify someone
else's email, and SignUp cannot skip confirmation through ForgotPassword (Cognito guide: "Attribute permissions and
scopes", "Managing error responses")."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import jwt

from tests.e2e.cognito_api._helpers import PASSWORD, error_code, error_of, new_app, new_email, new_pool

UNAUTHORIZED = {"Code": "NotAuthorizedException", "Message": "A client attempted to write unauthorized attribute"}
NO_RESET = {"Code": "InvalidParameterException",
            "Message": "Cannot reset password for the user as there is no registered/verified email or phone_number"}


def _sign_in(public: Any, client_id: str, username: str) -> dict[str, Any]:
    return dict(public.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD}
                                     )["AuthenticationResult"])


def _mail_to(outbox: Path, address: str) -> int:
    if not outbox.exists():
        return 0
    return sum(1 for path in outbox.glob("*.eml")
               if BytesParser(policy=default).parsebytes(path.read_bytes())["To"] == address)


def test_update_user_attributes_cannot_self_verify_someone_elses_email(public: Any, cognito: Any) -> None:
    pool_id = new_pool(cognito, AliasAttributes=["email"])
    app = new_app(cognito, pool_id)
    own, victim = new_email(), new_email()
    cognito.admin_create_user(UserPoolId=pool_id, Username="mallory", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": own},
                                              {"Name": "email_verified", "Value": "true"}])
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="mallory", Password=PASSWORD, Permanent=True)
    access = _sign_in(public, app.client_id, "mallory")["AccessToken"]
    attack = [{"Name": "email", "Value": victim}, {"Name": "email_verified", "Value": "true"}]
    assert error_of(lambda: public.update_user_attributes(AccessToken=access, UserAttributes=attack)) == UNAUTHORIZED
    assert error_code(lambda: _sign_in(public, app.client_id, victim)) in ("UserNotFoundException",
                                                                           "NotAuthorizedException")
    claims = jwt.decode(_sign_in(public, app.client_id, "mallory")["IdToken"], options={"verify_signature": False})
    assert (claims["email"], claims["email_verified"]) == (own, True)


def test_sign_up_cannot_skip_confirmation_through_forgot_password(public: Any, cognito: Any, outbox: Path) -> None:
    pool_id = new_pool(cognito, AutoVerifiedAttributes=[])
    app, hidden = new_app(cognito, pool_id), new_app(cognito, pool_id, PreventUserExistenceErrors="ENABLED")
    email = new_email()
    flagged = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    assert error_of(lambda: public.sign_up(ClientId=app.client_id, Username="eve", Password=PASSWORD,
                                           UserAttributes=flagged)) == UNAUTHORIZED
    public.sign_up(ClientId=app.client_id, Username="eve", Password=PASSWORD, UserAttributes=flagged[:1])
    assert error_of(lambda: public.forgot_password(ClientId=app.client_id, Username="eve")) == NO_RESET
    simulated = public.forgot_password(ClientId=hidden.client_id, Username="eve")["CodeDeliveryDetails"]
    assert simulated["DeliveryMedium"] == "EMAIL" and _mail_to(outbox, email) == 0
    assert error_code(lambda: public.confirm_forgot_password(
        ClientId=app.client_id, Username="eve", ConfirmationCode="123456", Password="Other-Passw0rd1"
    )) in ("CodeMismatchException", "ExpiredCodeException")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="eve")["UserStatus"] == "UNCONFIRMED"
    assert error_code(lambda: _sign_in(public, app.client_id, "eve")) == "UserNotConfirmedException"

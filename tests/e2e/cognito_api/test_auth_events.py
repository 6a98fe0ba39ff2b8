"""AdminListUserAuthEvents with boto3 against a real server: the user's sign-in, sign-up and password events from
the audit trail, newest first, in Cognito's `AuthEventType` shape, paged with NextToken."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from tests.e2e.cognito_api._helpers import PASSWORD, error_code, new_app, new_email, new_pool


def _signed_up_user(cognito: Any, public: Any) -> tuple[str, str, str]:
    pool_id = new_pool(cognito)
    app = new_app(cognito, pool_id)
    email = new_email()
    public.sign_up(ClientId=app.client_id, Username=email, Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": email}])
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=email)
    return pool_id, app.client_id, email


def _sign_in(public: Any, client_id: str, email: str, password: str) -> None:
    with contextlib.suppress(ClientError):
        public.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": email, "PASSWORD": password})


def test_events_newest_first_in_cognitos_shape(cognito: Any, public: Any) -> None:
    pool_id, client_id, email = _signed_up_user(cognito, public)
    _sign_in(public, client_id, email, "Wrong-Passw0rd")
    _sign_in(public, client_id, email, PASSWORD)
    events = cognito.admin_list_user_auth_events(UserPoolId=pool_id, Username=email)["AuthEvents"]
    assert [(e["EventType"], e["EventResponse"]) for e in events] == [
        ("SignIn", "Pass"), ("SignIn", "Fail"), ("SignUp", "Pass")]
    newest = events[0]
    assert isinstance(newest["CreationDate"], datetime)
    assert newest["CreationDate"] >= events[-1]["CreationDate"]
    assert newest["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Success"}]
    assert events[1]["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Failure"}]
    assert newest["EventRisk"] == {}
    assert newest["EventContextData"]["IpAddress"] == "127.0.0.1"
    assert "Boto3" in newest["EventContextData"]["DeviceName"] or "botocore" in newest["EventContextData"][
        "DeviceName"]
    assert len({e["EventId"] for e in events}) == 3


def test_password_events_are_listed(cognito: Any, public: Any) -> None:
    pool_id, client_id, email = _signed_up_user(cognito, public)
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=email,
                                         UserAttributes=[{"Name": "email_verified", "Value": "true"}])
    public.forgot_password(ClientId=client_id, Username=email)
    types = [e["EventType"] for e in cognito.admin_list_user_auth_events(UserPoolId=pool_id,
                                                                         Username=email)["AuthEvents"]]
    assert types == ["ForgotPassword", "SignUp"]


def test_pages_with_next_token(cognito: Any, public: Any) -> None:
    pool_id, client_id, email = _signed_up_user(cognito, public)
    for _ in range(2):
        _sign_in(public, client_id, email, PASSWORD)
    seen: list[str] = []
    token: str | None = None
    while True:
        extra = {"NextToken": token} if token else {}
        page = cognito.admin_list_user_auth_events(UserPoolId=pool_id, Username=email, MaxResults=1, **extra)
        assert len(page["AuthEvents"]) == 1
        seen += [e["EventType"] for e in page["AuthEvents"]]
        token = page.get("NextToken")
        if token is None:
            break
    assert seen == ["SignIn", "SignIn", "SignUp"]
    everything = cognito.admin_list_user_auth_events(UserPoolId=pool_id, Username=email, MaxResults=0)
    assert len(everything["AuthEvents"]) == 3 and "NextToken" not in everything


def test_other_users_events_are_not_shown(cognito: Any, public: Any) -> None:
    pool_id, client_id, email = _signed_up_user(cognito, public)
    other = new_email()
    public.sign_up(ClientId=client_id, Username=other, Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": other}])
    events = cognito.admin_list_user_auth_events(UserPoolId=pool_id, Username=email)["AuthEvents"]
    assert [e["EventType"] for e in events] == ["SignUp"]


def test_unknown_user_pool_and_token(cognito: Any, public: Any) -> None:
    pool_id, _, email = _signed_up_user(cognito, public)
    assert error_code(lambda: cognito.admin_list_user_auth_events(UserPoolId=pool_id,
                                                                  Username="nobody")) == "UserNotFoundException"
    assert error_code(lambda: cognito.admin_list_user_auth_events(
        UserPoolId="us-east-1_nosuchpoo", Username=email)) == "ResourceNotFoundException"
    assert error_code(lambda: cognito.admin_list_user_auth_events(
        UserPoolId=pool_id, Username=email, NextToken="garbage")) == "InvalidParameterException"

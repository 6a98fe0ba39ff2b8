"""Attacks on verification codes through boto3 against a real server (issue 12, items 3 and 4): a code bound to the
address it was mailed to, a wrong-code budget that survives re-issued codes, a cap on code mails, and attempt
counts that hold under parallel guesses (spec §5)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognate.domain.signin import MAX_CODE_ATTEMPTS, MAX_CODE_SENDS, MAX_WRONG_CODES
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

LIMIT = {"Code": "LimitExceededException", "Message": "Attempt limit exceeded, please try after some time."}


@pytest.fixture
def app(cognito: Any) -> App:
    return new_app(cognito, new_pool(cognito))


def _user(cognito: Any, app: App, username: str) -> str:
    email = new_email()
    attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    cognito.admin_create_user(UserPoolId=app.pool_id, Username=username, TemporaryPassword=PASSWORD,
                              UserAttributes=attributes, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=app.pool_id, Username=username, Password=PASSWORD, Permanent=True)
    return email


def _wrong(code: str, n: int = 1) -> str:
    return f"{(int(code) + n) % 1_000_000:06d}"


def _reset(public: Any, app: App, username: str, code: str) -> Callable[[], Any]:
    return lambda: public.confirm_forgot_password(ClientId=app.client_id, Username=username, ConfirmationCode=code,
                                                  Password=NEW_PASSWORD)


def _answer(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as exc:
        return str(exc.response["Error"]["Code"])
    return "ok"


def _in_parallel(calls: list[Callable[[], Any]]) -> Counter[str]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return Counter(pool.map(_answer, calls))


def test_code_mailed_to_old_address_does_not_verify_the_new_one(public: Any, cognito: Any, outbox: Path) -> None:
    """Change email to A, ask for A's code, change email to B, enter A's code: B must stay unverified. (Without
    auto-verification no code goes to B on the change, so A's code is still the pending one.)"""
    app = new_app(cognito, new_pool(cognito, AutoVerifiedAttributes=[]))
    _user(cognito, app, "mallory")
    access = public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "mallory", "PASSWORD": PASSWORD}
                                  )["AuthenticationResult"]["AccessToken"]
    mine, victims = new_email(), new_email()
    public.update_user_attributes(AccessToken=access, UserAttributes=[{"Name": "email", "Value": mine}])
    public.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")
    code_for_mine = code_sent_to(outbox, mine)
    public.update_user_attributes(AccessToken=access, UserAttributes=[{"Name": "email", "Value": victims}])
    assert error_of(lambda: public.verify_user_attribute(AccessToken=access, AttributeName="email",
                                                         Code=code_for_mine)) == {
        "Code": "ExpiredCodeException", "Message": "Invalid code provided, please request a code again."}
    attrs = attributes_of(public.get_user(AccessToken=access)["UserAttributes"])
    assert attrs["email"] == victims and attrs["email_verified"] == "false"
    assert error_code(lambda: public.verify_user_attribute(AccessToken=access, AttributeName="email",
                                                           Code=code_for_mine)) == "ExpiredCodeException"
    public.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")
    public.verify_user_attribute(AccessToken=access, AttributeName="email", Code=code_sent_to(outbox, victims))
    assert attributes_of(public.get_user(AccessToken=access)["UserAttributes"])["email_verified"] == "true"


def test_limit_exceeded_not_expired_after_five_wrong_codes(public: Any, cognito: Any, app: App,
                                                           outbox: Path) -> None:
    email = _user(cognito, app, "gina")
    public.forgot_password(ClientId=app.client_id, Username="gina")
    code = code_sent_to(outbox, email)
    answers = [error_code(_reset(public, app, "gina", _wrong(code))) for _ in range(MAX_CODE_ATTEMPTS)]
    assert answers == ["CodeMismatchException"] * MAX_CODE_ATTEMPTS
    for _ in range(3):  # the code stays dead with Cognito's answer, however often it is tried
        assert error_of(_reset(public, app, "gina", _wrong(code))) == LIMIT
    assert error_of(_reset(public, app, "gina", code)) == LIMIT
    public.forgot_password(ClientId=app.client_id, Username="gina")
    _reset(public, app, "gina", code_sent_to(outbox, email))()


def test_wrong_code_budget_spans_reissued_codes(public: Any, cognito: Any, app: App, outbox: Path) -> None:
    """ForgotPassword, wrong codes, ForgotPassword again, more wrong codes: the 16th wrong code in the hour is
    refused, and so is the right code after it."""
    email = _user(cognito, app, "hank")
    answers = []
    for _ in range(MAX_WRONG_CODES // MAX_CODE_ATTEMPTS):
        public.forgot_password(ClientId=app.client_id, Username="hank")
        code = code_sent_to(outbox, email)
        answers += [error_code(_reset(public, app, "hank", _wrong(code, n))) for n in range(1, MAX_CODE_ATTEMPTS + 1)]
    assert answers == ["CodeMismatchException"] * MAX_WRONG_CODES
    public.forgot_password(ClientId=app.client_id, Username="hank")
    code = code_sent_to(outbox, email)
    assert error_of(_reset(public, app, "hank", _wrong(code))) == LIMIT
    assert error_of(_reset(public, app, "hank", code)) == LIMIT


def test_code_mails_are_capped_per_user_and_purpose(public: Any, cognito: Any, app: App, outbox: Path) -> None:
    email = _user(cognito, app, "ivy")
    for _ in range(MAX_CODE_SENDS):
        public.forgot_password(ClientId=app.client_id, Username="ivy")
    last = code_sent_to(outbox, email)
    assert error_of(lambda: public.forgot_password(ClientId=app.client_id, Username="ivy")) == LIMIT
    assert code_sent_to(outbox, email) == last  # no mail, and the code sent last still works
    _reset(public, app, "ivy", last)()
    other = new_email()  # another purpose of the same user has its own cap
    public.sign_up(ClientId=app.client_id, Username="jack", Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": other}])
    for _ in range(MAX_CODE_SENDS - 1):
        public.resend_confirmation_code(ClientId=app.client_id, Username="jack")
    assert error_of(lambda: public.resend_confirmation_code(ClientId=app.client_id, Username="jack")) == LIMIT
    public.confirm_sign_up(ClientId=app.client_id, Username="jack", ConfirmationCode=code_sent_to(outbox, other))


def test_parallel_wrong_codes_are_compared_at_most_five_times(public: Any, cognito: Any, app: App,
                                                              outbox: Path) -> None:
    email = _user(cognito, app, "kim")
    public.forgot_password(ClientId=app.client_id, Username="kim")
    code = code_sent_to(outbox, email)
    answers = _in_parallel([_reset(public, app, "kim", _wrong(code, n)) for n in range(1, 21)])
    assert answers["CodeMismatchException"] <= MAX_CODE_ATTEMPTS, answers
    assert set(answers) <= {"CodeMismatchException", "LimitExceededException"}, answers


def test_right_code_used_twice_in_parallel_succeeds_once(public: Any, cognito: Any, app: App,
                                                         outbox: Path) -> None:
    email = _user(cognito, app, "lou")
    public.forgot_password(ClientId=app.client_id, Username="lou")
    code = code_sent_to(outbox, email)
    answers = _in_parallel([_reset(public, app, "lou", code) for _ in range(8)])
    assert answers["ok"] == 1, answers
    assert set(answers) <= {"ok", "ExpiredCodeException"}, answers


def test_budgets_leave_unknown_users_answers_as_they_were(public: Any, cognito: Any) -> None:
    """PreventUserExistenceErrors: an unknown username keeps its simulated delivery and its CodeMismatch past every
    budget (the budgets live on users, so there is nothing to count for one that does not exist)."""
    hidden = new_app(cognito, new_pool(cognito), PreventUserExistenceErrors="ENABLED")
    for _ in range(MAX_CODE_SENDS + 2):
        delivery = public.forgot_password(ClientId=hidden.client_id, Username="nobody@example.com")
        assert delivery["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    answers = {error_code(_reset(public, hidden, "nobody@example.com", f"{n:06d}")) for n in range(MAX_WRONG_CODES + 2)}
    assert answers == {"CodeMismatchException"}

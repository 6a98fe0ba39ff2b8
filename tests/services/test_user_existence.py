"""PreventUserExistenceErrors (spec §5): the answers an unknown user gets, per client setting, from their one home."""

from __future__ import annotations

import pytest

from cognate.domain.clients import AppClient
from cognate.domain.errors import CodeMismatchException, NotAuthorizedException, UserNotFoundException
from cognate.services.user_existence import code_check_refusal, code_request_answer, sign_in_refusal

HIDING = AppClient(id="c", pool_id="p", name="n", created_at=0, updated_at=0, prevent_user_existence_errors="ENABLED")
LEGACY = AppClient(id="c", pool_id="p", name="n", created_at=0, updated_at=0)


@pytest.mark.parametrize(("username", "shown"), [("jane@example.com", "j***@e***"), ("jane", "u***@e***")])
def test_a_hiding_client_answers_a_code_request_with_a_delivery_made_from_the_name(username: str, shown: str) -> None:
    assert code_request_answer(HIDING, username).to_cognito() == {
        "Destination": shown, "DeliveryMedium": "EMAIL", "AttributeName": "email"}


def test_a_legacy_client_says_the_user_is_not_found() -> None:
    with pytest.raises(UserNotFoundException, match=r"^Username/client id combination not found\.$"):
        code_request_answer(LEGACY, "jane")
    refusal = code_check_refusal(LEGACY)
    assert isinstance(refusal, UserNotFoundException) and refusal.message == "Username/client id combination not found."
    refusal = sign_in_refusal(LEGACY)
    assert isinstance(refusal, UserNotFoundException) and refusal.message == "User does not exist."


def test_a_hiding_client_answers_as_to_a_real_user_who_got_it_wrong() -> None:
    refusal = code_check_refusal(HIDING)
    assert isinstance(refusal, CodeMismatchException)
    assert refusal.message == "Invalid verification code provided, please try again."
    refusal = sign_in_refusal(HIDING)
    assert isinstance(refusal, NotAuthorizedException) and refusal.message == "Incorrect username or password."

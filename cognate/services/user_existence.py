"""PreventUserExistenceErrors: the one place that says what an unknown user is answered (spec §5).

Cognito's "Managing user existence error responses": with the app client setting ENABLED, no answer may tell an
unknown user (or, for sign-up codes, an already confirmed one) from a real one, so every door and every use case
asks here instead of spelling the choice out again; with LEGACY, the answer names the missing user.
"""

from __future__ import annotations

from cognate.domain.clients import AppClient
from cognate.domain.errors import CodeMismatchException, CognitoError, NotAuthorizedException, UserNotFoundException
from cognate.services.codes import MISMATCH, Delivery, mask_email

WRONG_PASSWORD = "Incorrect username or password."
NOT_FOUND = "Username/client id combination not found."
NO_SUCH_USER = "User does not exist."


def hides_existence(client: AppClient) -> bool:
    """PreventUserExistenceErrors ENABLED: answers must not tell an unknown user from a real one."""
    return client.prevent_user_existence_errors == "ENABLED"


def simulated_delivery(username: str) -> Delivery:
    """The delivery an unknown user is shown instead of an error: made from the typed name only, and no mail."""
    return Delivery(destination=mask_email(username if "@" in username else "user@example.com"))


def code_request_answer(client: AppClient, username: str) -> Delivery:
    """ForgotPassword or ResendConfirmationCode for a user that must look like any other: the simulated delivery;
    raises UserNotFoundException where the client may say so."""
    if hides_existence(client):
        return simulated_delivery(username)
    raise UserNotFoundException(NOT_FOUND)


def code_check_refusal(client: AppClient) -> CognitoError:
    """A code confirmed for an unknown user: the wrong-code answer every real user could get, or the missing user."""
    if hides_existence(client):
        return CodeMismatchException(MISMATCH)
    return UserNotFoundException(NOT_FOUND)


def sign_in_refusal(client: AppClient) -> CognitoError:
    """A sign-in by an unknown user: the wrong-password answer, or the missing user."""
    if hides_existence(client):
        return NotAuthorizedException(WRONG_PASSWORD)
    return UserNotFoundException(NO_SUCH_USER)

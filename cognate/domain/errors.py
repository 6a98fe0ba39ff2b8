"""Cognito's exception names as classes (spec §6); every surface maps these once."""

from __future__ import annotations


class CognitoError(Exception):
    """A failure the caller can be told about; `name` is Cognito's wire `__type`."""

    name = "InternalErrorException"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InternalErrorException(CognitoError):
    name = "InternalErrorException"
    status = 500


def _make(name: str) -> type[CognitoError]:
    return type(name, (CognitoError,), {"name": name})


InvalidParameterException = _make("InvalidParameterException")
ResourceNotFoundException = _make("ResourceNotFoundException")
NotAuthorizedException = _make("NotAuthorizedException")
UsernameExistsException = _make("UsernameExistsException")
UserNotFoundException = _make("UserNotFoundException")
UserNotConfirmedException = _make("UserNotConfirmedException")
InvalidPasswordException = _make("InvalidPasswordException")
InvalidOAuthFlowException = _make("InvalidOAuthFlowException")
ScopeDoesNotExistException = _make("ScopeDoesNotExistException")
GroupExistsException = _make("GroupExistsException")
LimitExceededException = _make("LimitExceededException")
AliasExistsException = _make("AliasExistsException")
TooManyRequestsException = _make("TooManyRequestsException")
CodeMismatchException = _make("CodeMismatchException")
ExpiredCodeException = _make("ExpiredCodeException")
PasswordResetRequiredException = _make("PasswordResetRequiredException")
ConcurrentModificationException = _make("ConcurrentModificationException")

__all__ = [
    "AliasExistsException",
    "CodeMismatchException",
    "CognitoError",
    "ConcurrentModificationException",
    "ExpiredCodeException",
    "GroupExistsException",
    "InternalErrorException",
    "InvalidOAuthFlowException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "LimitExceededException",
    "NotAuthorizedException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "ScopeDoesNotExistException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
    "UsernameExistsException",
]

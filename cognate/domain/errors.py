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


class InvalidParameterException(CognitoError):
    name = "InvalidParameterException"


class ResourceNotFoundException(CognitoError):
    name = "ResourceNotFoundException"


class NotAuthorizedException(CognitoError):
    name = "NotAuthorizedException"


class UsernameExistsException(CognitoError):
    name = "UsernameExistsException"


class UserNotFoundException(CognitoError):
    name = "UserNotFoundException"


class UserNotConfirmedException(CognitoError):
    name = "UserNotConfirmedException"


class InvalidPasswordException(CognitoError):
    name = "InvalidPasswordException"


class InvalidOAuthFlowException(CognitoError):
    name = "InvalidOAuthFlowException"


class ScopeDoesNotExistException(CognitoError):
    name = "ScopeDoesNotExistException"


class GroupExistsException(CognitoError):
    name = "GroupExistsException"


class LimitExceededException(CognitoError):
    name = "LimitExceededException"


class AliasExistsException(CognitoError):
    name = "AliasExistsException"


class TooManyRequestsException(CognitoError):
    name = "TooManyRequestsException"


class CodeMismatchException(CognitoError):
    name = "CodeMismatchException"


class ExpiredCodeException(CognitoError):
    name = "ExpiredCodeException"


class PasswordResetRequiredException(CognitoError):
    name = "PasswordResetRequiredException"


class ConcurrentModificationException(CognitoError):
    name = "ConcurrentModificationException"


class UnsupportedUserStateException(CognitoError):
    name = "UnsupportedUserStateException"


class UnauthorizedException(CognitoError):
    name = "UnauthorizedException"


class UnsupportedOperationException(CognitoError):
    name = "UnsupportedOperationException"


class UnsupportedTokenTypeException(CognitoError):
    name = "UnsupportedTokenTypeException"


class EnableSoftwareTokenMFAException(CognitoError):
    name = "EnableSoftwareTokenMFAException"


class CodeDeliveryFailureException(CognitoError):
    """The message carrying a code could not be delivered (e.g. the SMTP server refused it or offered no TLS)."""

    name = "CodeDeliveryFailureException"


class InvalidSmsRoleAccessPolicyException(CognitoError):
    """Cognito: its role may not publish the SMS a request needs. Cognate: it sends no SMS at all."""

    name = "InvalidSmsRoleAccessPolicyException"


class UnexpectedLambdaException(CognitoError):
    """A Lambda trigger the request needs did not run (Cognito: it failed; Cognate: it runs none yet)."""

    name = "UnexpectedLambdaException"


__all__ = [
    "AliasExistsException",
    "CodeDeliveryFailureException",
    "CodeMismatchException",
    "CognitoError",
    "ConcurrentModificationException",
    "EnableSoftwareTokenMFAException",
    "ExpiredCodeException",
    "GroupExistsException",
    "InternalErrorException",
    "InvalidOAuthFlowException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "InvalidSmsRoleAccessPolicyException",
    "LimitExceededException",
    "NotAuthorizedException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "ScopeDoesNotExistException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnexpectedLambdaException",
    "UnsupportedOperationException",
    "UnsupportedTokenTypeException",
    "UnsupportedUserStateException",
    "UserNotConfirmedException",
    "UserNotFoundException",
    "UsernameExistsException",
]

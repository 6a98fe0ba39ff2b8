"""Cognate sends no SMS: the one rule for requests that would need one (issue 13, "nothing silently dropped").

Cognito refuses a request whose SMS it cannot publish (`InvalidSmsRoleAccessPolicyException`, its SMS role's
failure) and writes nothing; Cognate answers the same for every request that would text a code, with a sentence
saying what is missing, instead of going on as if the SMS had been sent.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from cognate.domain.errors import InvalidSmsRoleAccessPolicyException


def no_sms(what: str) -> InvalidSmsRoleAccessPolicyException:
    """The refusal of a request that would text `what`."""
    return InvalidSmsRoleAccessPolicyException(f"Cognate sends no SMS: {what}")


def code_needs_sms(auto_verified: Collection[str], attributes: Mapping[str, str]) -> bool:
    """A sign-up (or resent) code would go by SMS only: the pool verifies phone_number, the user has one, and no
    email code goes out instead (Cognate mails the code when the pool verifies email and the user has an address)."""
    emailed = "email" in auto_verified and bool(attributes.get("email"))
    return "phone_number" in auto_verified and bool(attributes.get("phone_number")) and not emailed

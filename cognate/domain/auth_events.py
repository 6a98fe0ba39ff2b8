"""A user's audit trail in the shape of Cognito's `AuthEventType` (AdminListUserAuthEvents, spec §6).

Cognate records every sign-in, sign-up and password event in its audit trail; this maps those entries to the
five event types Cognito reports. Cognate does no risk scoring, so `EventRisk` is empty.
"""

from __future__ import annotations

from typing import Any

from cognate.domain.signin import AuditEvent

# audit event → Cognito EventType; other audit events (tokens, admin changes, MFA set-up) are not auth events.
EVENT_TYPES = {
    "sign_in": "SignIn",
    "sign_up": "SignUp",
    "forgot_password": "ForgotPassword",
    "password_reset": "ForgotPassword",
    "password_change": "PasswordChange",
    "resend_code": "ResendCode",
}
PASSED = frozenset({"success", "code_sent"})
IN_PROGRESS = frozenset({"challenge", "mfa_required", "in_progress"})


def is_auth_event(event: AuditEvent) -> bool:
    return event.event in EVENT_TYPES


def event_response(outcome: str) -> str:
    """`Pass`, `InProgress` (a second step is still due) or `Fail` (a failure, a lock-out or an error name)."""
    if outcome in PASSED:
        return "Pass"
    return "InProgress" if outcome in IN_PROGRESS else "Fail"


def _challenges(event: AuditEvent) -> list[dict[str, str]]:
    """The password check of a sign-in that got as far as checking it."""
    if event.event != "sign_in" or event.outcome not in ("success", "failure"):
        return []
    return [{"ChallengeName": "Password", "ChallengeResponse": "Success" if event.outcome == "success" else "Failure"}]


def _context(event: AuditEvent) -> dict[str, str]:
    context = {"IpAddress": event.ip, "DeviceName": event.user_agent}
    return {k: v for k, v in context.items() if v}


def auth_event_to_cognito(event_id: str, event: AuditEvent) -> dict[str, Any]:
    return {
        "EventId": event_id,
        "EventType": EVENT_TYPES[event.event],
        "CreationDate": event.at,
        "EventResponse": event_response(event.outcome),
        "EventRisk": {},
        "ChallengeResponses": _challenges(event),
        "EventContextData": _context(event),
    }


__all__ = ["EVENT_TYPES", "auth_event_to_cognito", "event_response", "is_auth_event"]

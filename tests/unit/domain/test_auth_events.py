"""Audit events as Cognito `AuthEventType`s (AdminListUserAuthEvents)."""

from __future__ import annotations

import pytest

from cognate.domain.auth_events import auth_event_to_cognito, event_response, is_auth_event
from cognate.domain.signin import AuditEvent


@pytest.mark.parametrize(("outcome", "response"), [
    ("success", "Pass"), ("code_sent", "Pass"), ("mfa_required", "InProgress"), ("failure", "Fail"),
    ("locked", "Fail"), ("CodeMismatchException", "Fail")])
def test_event_response(outcome: str, response: str) -> None:
    assert event_response(outcome) == response


def test_only_sign_in_sign_up_and_password_events_count() -> None:
    assert [e for e in ("sign_in", "sign_up", "forgot_password", "password_reset", "password_change",
                        "token_issue", "admin_change", "confirm_sign_up")
            if is_auth_event(AuditEvent(at=1.0, event=e, outcome="success"))] == [
        "sign_in", "sign_up", "forgot_password", "password_reset", "password_change"]


def test_shape() -> None:
    event = AuditEvent(at=12.5, event="sign_in", outcome="failure", ip="10.0.0.1", user_agent="Firefox")
    assert auth_event_to_cognito("7", event) == {
        "EventId": "7", "EventType": "SignIn", "CreationDate": 12.5, "EventResponse": "Fail", "EventRisk": {},
        "ChallengeResponses": [{"ChallengeName": "Password", "ChallengeResponse": "Failure"}],
        "EventContextData": {"IpAddress": "10.0.0.1", "DeviceName": "Firefox"}}


def test_unknown_context_is_left_out_and_other_events_have_no_challenge() -> None:
    shape = auth_event_to_cognito("1", AuditEvent(at=1.0, event="password_reset", outcome="success"))
    assert shape["EventType"] == "ForgotPassword"
    assert shape["EventContextData"] == {} and shape["ChallengeResponses"] == []

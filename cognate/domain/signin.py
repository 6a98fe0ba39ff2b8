"""Records of sign-in state (spec §1.1-1.4, §2 revocation); secrets appear here only as keyed hashes."""

from __future__ import annotations

from dataclasses import dataclass, field

AUTH_CODE_SECONDS = 300  # authorization codes live 5 minutes (spec §1.1)
SIGNUP_CODE_SECONDS = 24 * 3600  # sign-up confirmation codes: 24 h (spec §5)
RESET_CODE_SECONDS = 3600  # forgot-password codes: 1 h (spec §5)
UI_SESSION_SECONDS = 3600  # the hosted-UI session cookie: 1 h (spec §1)
MAX_CODE_ATTEMPTS = 5  # wrong guesses one code survives; the next answer is LimitExceededException
# Budgets per user and code purpose over a rolling hour, across however many codes were issued (spec §5). Cognito's
# "Quotas in Amazon Cognito" says per-user quotas apply to each user on top of the category rates, but publishes no
# number for wrong codes or code mails; ForgotPassword and ConfirmForgotPassword answer LimitExceededException past
# them (API reference). Ours: three codes' worth of wrong guesses, so re-issuing never buys more than 15 guesses of a
# million an hour; and 10 mails, far above what a person (or a test suite calling ForgotPassword a few times per
# user) asks for.
CODE_BUDGET_SECONDS = 3600
MAX_WRONG_CODES = 3 * MAX_CODE_ATTEMPTS
MAX_CODE_SENDS = 10
CODE_SENT = "sent"  # kinds of verification events, counted against the budgets above
WRONG_CODE = "wrong"


@dataclass(frozen=True)
class TokenOrigin:
    origin_jti: str
    pool_id: str
    client_id: str
    sub: str | None
    scopes: tuple[str, ...]
    auth_time: int
    created_at: float
    expires_at: float
    refresh_hash: str | None = None
    revoked_at: float | None = None

    def alive(self, now: float) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True)
class AuthCode:
    code_hash: str
    pool_id: str
    client_id: str
    sub: str
    redirect_uri: str
    scopes: tuple[str, ...]
    auth_time: int
    created_at: float
    expires_at: float
    nonce: str | None = None
    code_challenge: str | None = None
    consumed_at: float | None = None
    origin_jti: str | None = None


@dataclass(frozen=True)
class VerificationCode:
    sub: str
    purpose: str  # "signup", "reset", "attribute:email", ...
    code_hash: str
    created_at: float
    expires_at: float
    destination: str | None = None
    attempts: int = 0


@dataclass(frozen=True)
class UiSession:
    id_hash: str
    pool_id: str
    sub: str
    auth_time: int
    created_at: float
    expires_at: float


LOCKOUT_FREE_FAILURES = 5  # the 5th wrong password starts the first lock (spec §5 Lockout)
LOCKOUT_MAX_SECONDS = 900  # locks double from 1 s up to about 15 minutes
LOCKOUT_RESET_SECONDS = 900  # 15 quiet minutes forget earlier failures


@dataclass(frozen=True)
class FailureCount:
    sub: str
    failures: int
    last_failure_at: float
    locked_until: float


def after_failure(previous: FailureCount | None, sub: str, now: float) -> FailureCount:
    """One more wrong password: count it (from zero after a quiet spell) and lock from the 5th on."""
    failures = 1
    if previous is not None and now - previous.last_failure_at < LOCKOUT_RESET_SECONDS:
        failures = previous.failures + 1
    locked_until = 0.0
    if failures >= LOCKOUT_FREE_FAILURES:
        locked_until = now + min(2 ** (failures - LOCKOUT_FREE_FAILURES), LOCKOUT_MAX_SECONDS)
    return FailureCount(sub=sub, failures=failures, last_failure_at=now, locked_until=locked_until)


# The longest outcome an audit event keeps: Cognito's exception names reach 40 characters
# (InvalidSmsRoleTrustRelationshipException); a longer one is cut, never a reason to lose the batch it is written in.
OUTCOME_LENGTH = 64


@dataclass(frozen=True)
class AuditEvent:
    at: float
    event: str  # e.g. sign_in, sign_up, confirm_sign_up, password_change, token_issue, admin_change, lockout
    outcome: str  # success, failure, or a Cognito error name
    pool_id: str | None = None
    client_id: str | None = None
    sub: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    detail: dict[str, str] = field(default_factory=dict)

"""Sign-in state: token origins (one per sign-in), authorization codes, verification codes, hosted-UI sessions.

Secrets (codes, refresh tokens, session ids) are stored only as keyed hashes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cognate.domain.signin import OUTCOME_LENGTH
from cognate.store.sql.tables import Base


class TokenOriginRow(Base):
    """One sign-in of one user into one client: the tokens minted from it share `origin_jti`."""

    __tablename__ = "token_origins"
    origin_jti: Mapped[str] = mapped_column(String(36), primary_key=True)
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(ForeignKey("app_clients.id", ondelete="CASCADE"), index=True)
    sub: Mapped[str | None] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"), index=True)
    scopes: Mapped[list[Any]]
    auth_time: Mapped[int] = mapped_column(Integer)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    revoked_at: Mapped[float | None] = mapped_column(Float)


class AuthCodeRow(Base):
    __tablename__ = "auth_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(ForeignKey("app_clients.id", ondelete="CASCADE"))
    sub: Mapped[str] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scopes: Mapped[list[Any]]
    nonce: Mapped[str | None] = mapped_column(Text)
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    auth_time: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    consumed_at: Mapped[float | None] = mapped_column(Float)
    origin_jti: Mapped[str | None] = mapped_column(String(36))


class VerificationCodeRow(Base):
    """A pending e-mail confirmation or password-reset code of a user (one per purpose)."""

    __tablename__ = "verification_codes"
    sub: Mapped[str] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    destination: Mapped[str | None] = mapped_column(String(2048))
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)


class VerificationEventRow(Base):
    """A code mailed or a wrong code entered, for a user and code purpose: the rolling-hour budgets of spec §5
    count these across re-issued codes (rows older than the hour are removed as new ones are written)."""

    __tablename__ = "verification_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sub: Mapped[str] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_verification_events_sub_purpose", "sub", "purpose", "kind", "at"),)


class UiSessionRow(Base):
    __tablename__ = "ui_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"))
    sub: Mapped[str] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"), index=True)
    auth_time: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class SignInFailureRow(Base):
    """Consecutive wrong passwords of a user, for Cognito's temporary lockout (spec §5 Lockout)."""

    __tablename__ = "sign_in_failures"
    sub: Mapped[str] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[float] = mapped_column(Float)
    locked_until: Mapped[float] = mapped_column(Float)


class ChallengeAttemptRow(Base):
    """Codes tried on one challenge Session (Sessions are sealed and stateless, so their count lives here), keyed
    by the random id sealed inside the Session; a Session that signed in is spent (`attempts` at the limit)."""

    __tablename__ = "challenge_attempts"
    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sub: Mapped[str] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float)


class AuditEventRow(Base):
    """Who did what, when, from where, and how it ended; never a password, code, secret or token."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float)
    event: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(OUTCOME_LENGTH))  # success, failure or any Cognito exception name
    pool_id: Mapped[str | None] = mapped_column(String(55))
    client_id: Mapped[str | None] = mapped_column(String(128))
    sub: Mapped[str | None] = mapped_column(String(36))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    detail: Mapped[dict[str, Any]]
    __table_args__ = (Index("ix_audit_pool_at", "pool_id", "at"), Index("ix_audit_sub_at", "sub", "at"))


class RetiredRefreshRow(Base):
    """Refresh tokens replaced by rotation: presenting one again is reuse, and revokes its whole sign-in."""

    __tablename__ = "retired_refresh_tokens"
    refresh_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    origin_jti: Mapped[str] = mapped_column(ForeignKey("token_origins.origin_jti", ondelete="CASCADE"), index=True)
    retired_at: Mapped[float] = mapped_column(Float)


class RateWindowRow(Base):
    """Requests of one key (a client IP or an app client id) in one fixed window (OWASP ASVS 2.2.1 rate limits).

    `scope` also names the window length (`ip@60`), so a changed setting never mixes windows of two lengths.
    """

    __tablename__ = "rate_limit_windows"
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)

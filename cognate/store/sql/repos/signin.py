"""Sign-in state: token origins, authorization codes, verification codes, hosted-UI sessions.

Single use is a conditional UPDATE inside the transaction (style principle 15), so of N parallel redemptions of
one code exactly one sees a row change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.domain.signin import AuditEvent, AuthCode, FailureCount, TokenOrigin, UiSession, VerificationCode
from cognate.store.sql.auth_tables import (
    AuditEventRow,
    AuthCodeRow,
    ChallengeAttemptRow,
    RetiredRefreshRow,
    SignInFailureRow,
    TokenOriginRow,
    UiSessionRow,
    VerificationCodeRow,
    VerificationEventRow,
)
from cognate.store.sql.repos._common import add_unique


def _origin(row: TokenOriginRow) -> TokenOrigin:
    return TokenOrigin(
        origin_jti=row.origin_jti,
        pool_id=row.pool_id,
        client_id=row.client_id,
        sub=row.sub,
        scopes=tuple(row.scopes),
        auth_time=row.auth_time,
        created_at=row.created_at,
        expires_at=row.expires_at,
        refresh_hash=row.refresh_hash,
        revoked_at=row.revoked_at,
    )


class SqlTokenRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, origin: TokenOrigin) -> None:
        await add_unique(
            self._s,
            TokenOriginRow(
                origin_jti=origin.origin_jti,
                pool_id=origin.pool_id,
                client_id=origin.client_id,
                sub=origin.sub,
                scopes=list(origin.scopes),
                auth_time=origin.auth_time,
                refresh_hash=origin.refresh_hash,
                created_at=origin.created_at,
                expires_at=origin.expires_at,
                revoked_at=origin.revoked_at,
            ),
            "token",
        )

    async def get(self, origin_jti: str) -> TokenOrigin | None:
        row = await self._s.get(TokenOriginRow, origin_jti)
        return _origin(row) if row else None

    async def by_refresh(self, refresh_hash: str) -> TokenOrigin | None:
        row = await self._s.scalar(select(TokenOriginRow).where(TokenOriginRow.refresh_hash == refresh_hash))
        return _origin(row) if row else None

    async def revoke(self, origin_jti: str, now: float) -> None:
        await self._s.execute(
            update(TokenOriginRow)
            .where(TokenOriginRow.origin_jti == origin_jti, TokenOriginRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_user(self, pool_id: str, sub: str, now: float) -> None:
        await self._s.execute(
            update(TokenOriginRow)
            .where(TokenOriginRow.pool_id == pool_id, TokenOriginRow.sub == sub, TokenOriginRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def purge_expired(self, now: float) -> None:
        await self._s.execute(delete(TokenOriginRow).where(TokenOriginRow.expires_at < now))

    async def rotate(self, origin_jti: str, old_hash: str, new_hash: str, now: float) -> bool:
        """Swap the current refresh token; False when another request rotated it first."""
        result = await self._s.execute(update(TokenOriginRow).where(
            TokenOriginRow.origin_jti == origin_jti, TokenOriginRow.refresh_hash == old_hash,
            TokenOriginRow.revoked_at.is_(None)).values(refresh_hash=new_hash))
        if getattr(result, "rowcount", 0) != 1:
            return False
        self._s.add(RetiredRefreshRow(refresh_hash=old_hash, origin_jti=origin_jti, retired_at=now))
        await self._s.flush()
        return True

    async def retired(self, refresh_hash: str) -> tuple[str, float, bool] | None:
        """(origin_jti, retired_at, is the latest retirement of its sign-in) for a rotated-away token."""
        row = await self._s.get(RetiredRefreshRow, refresh_hash)
        if row is None:
            return None
        latest = await self._s.scalar(select(func.max(RetiredRefreshRow.retired_at)).where(
            RetiredRefreshRow.origin_jti == row.origin_jti))
        return row.origin_jti, row.retired_at, latest == row.retired_at


def _code(row: AuthCodeRow) -> AuthCode:
    return AuthCode(
        code_hash=row.code_hash,
        pool_id=row.pool_id,
        client_id=row.client_id,
        sub=row.sub,
        redirect_uri=row.redirect_uri,
        scopes=tuple(row.scopes),
        auth_time=row.auth_time,
        created_at=row.created_at,
        expires_at=row.expires_at,
        nonce=row.nonce,
        code_challenge=row.code_challenge,
        consumed_at=row.consumed_at,
        origin_jti=row.origin_jti,
    )


class SqlAuthCodeRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, code: AuthCode) -> None:
        await add_unique(
            self._s,
            AuthCodeRow(
                code_hash=code.code_hash,
                pool_id=code.pool_id,
                client_id=code.client_id,
                sub=code.sub,
                redirect_uri=code.redirect_uri,
                scopes=list(code.scopes),
                nonce=code.nonce,
                code_challenge=code.code_challenge,
                auth_time=code.auth_time,
                created_at=code.created_at,
                expires_at=code.expires_at,
            ),
            "code",
        )

    async def get(self, code_hash: str) -> AuthCode | None:
        row = await self._s.get(AuthCodeRow, code_hash)
        return _code(row) if row else None

    async def consume(self, code_hash: str, now: float, *, origin_jti: str) -> bool:
        """Mark used by the grant `origin_jti`; True only for the one caller that changed it from unused."""
        result = await self._s.execute(
            update(AuthCodeRow)
            .where(AuthCodeRow.code_hash == code_hash, AuthCodeRow.consumed_at.is_(None))
            .values(consumed_at=now, origin_jti=origin_jti)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def purge_expired(self, before: float) -> None:
        await self._s.execute(delete(AuthCodeRow).where(AuthCodeRow.expires_at < before))


def _verification(row: VerificationCodeRow) -> VerificationCode:
    return VerificationCode(
        sub=row.sub,
        purpose=row.purpose,
        code_hash=row.code_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        destination=row.destination,
        attempts=row.attempts,
    )


def _upsert_insert(session: AsyncSession) -> Any:
    """The dialect's INSERT with ON CONFLICT; only the one in use is imported (as in `repos/rate_limits.py`)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


class SqlVerificationRepo:
    """Verification codes and the events their budgets count (spec §5).

    `put` is an upsert rather than delete-then-insert: on PostgreSQL two parallel re-issues would otherwise both
    find no row and the second insert would fail, and the upsert's row lock is what queues parallel issues and checks
    of one user and purpose (SQLite's `BEGIN IMMEDIATE` already queues every writer).
    """

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def put(self, code: VerificationCode) -> None:
        """A new code replaces any earlier one of the same purpose."""
        fields = {"code_hash": code.code_hash, "destination": code.destination, "attempts": code.attempts,
                  "created_at": code.created_at, "expires_at": code.expires_at}
        statement = _upsert_insert(self._s)(VerificationCodeRow).values(sub=code.sub, purpose=code.purpose, **fields)
        await self._s.execute(statement.on_conflict_do_update(
            index_elements=[VerificationCodeRow.sub, VerificationCodeRow.purpose], set_=fields))

    async def get(self, sub: str, purpose: str, *, for_update: bool = False) -> VerificationCode | None:
        query = select(VerificationCodeRow).where(VerificationCodeRow.sub == sub,
                                                  VerificationCodeRow.purpose == purpose)
        if for_update:
            query = query.with_for_update()
        row = await self._s.scalar(query)
        return _verification(row) if row else None

    async def count_attempt(self, sub: str, purpose: str) -> None:
        await self._s.execute(
            update(VerificationCodeRow)
            .where(VerificationCodeRow.sub == sub, VerificationCodeRow.purpose == purpose)
            .values(attempts=VerificationCodeRow.attempts + 1)
        )

    async def delete(self, sub: str, purpose: str) -> None:
        await self._s.execute(
            delete(VerificationCodeRow).where(VerificationCodeRow.sub == sub, VerificationCodeRow.purpose == purpose)
        )

    async def count_events(self, sub: str, purpose: str, kind: str, *, since: float) -> int:
        found = await self._s.scalar(select(func.count()).select_from(VerificationEventRow).where(
            VerificationEventRow.sub == sub, VerificationEventRow.purpose == purpose,
            VerificationEventRow.kind == kind, VerificationEventRow.at > since))
        return int(found or 0)

    async def record_event(self, sub: str, purpose: str, kind: str, at: float, *, forget_before: float) -> None:
        await self._s.execute(delete(VerificationEventRow).where(
            VerificationEventRow.sub == sub, VerificationEventRow.purpose == purpose,
            VerificationEventRow.at <= forget_before))
        self._s.add(VerificationEventRow(sub=sub, purpose=purpose, kind=kind, at=at))
        await self._s.flush()


def _ui(row: UiSessionRow) -> UiSession:
    return UiSession(
        id_hash=row.id_hash,
        pool_id=row.pool_id,
        sub=row.sub,
        auth_time=row.auth_time,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


class SqlUiSessionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, ui: UiSession) -> None:
        row = UiSessionRow(id_hash=ui.id_hash, pool_id=ui.pool_id, sub=ui.sub, auth_time=ui.auth_time,
                           created_at=ui.created_at, expires_at=ui.expires_at)
        await add_unique(self._s, row, "session")

    async def get(self, id_hash: str) -> UiSession | None:
        row = await self._s.get(UiSessionRow, id_hash)
        return _ui(row) if row else None

    async def delete(self, id_hash: str) -> None:
        await self._s.execute(delete(UiSessionRow).where(UiSessionRow.id_hash == id_hash))

    async def for_user(self, sub: str) -> Sequence[UiSession]:
        return [_ui(r) for r in (await self._s.scalars(select(UiSessionRow).where(UiSessionRow.sub == sub))).all()]


def _failure(row: SignInFailureRow) -> FailureCount:
    return FailureCount(
        sub=row.sub, failures=row.failures, last_failure_at=row.last_failure_at, locked_until=row.locked_until
    )


class SqlFailureRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, sub: str, *, for_update: bool = False) -> FailureCount | None:
        query = select(SignInFailureRow).where(SignInFailureRow.sub == sub)
        if for_update:
            query = query.with_for_update()
        row = await self._s.scalar(query)
        return _failure(row) if row else None

    async def put(self, count: FailureCount) -> None:
        row = await self._s.get(SignInFailureRow, count.sub)
        if row is None:
            await add_unique(
                self._s,
                SignInFailureRow(
                    sub=count.sub,
                    failures=count.failures,
                    last_failure_at=count.last_failure_at,
                    locked_until=count.locked_until,
                ),
                "failure count",
            )
        else:
            row.failures, row.last_failure_at, row.locked_until = (
                count.failures,
                count.last_failure_at,
                count.locked_until,
            )
        await self._s.flush()

    async def clear(self, sub: str) -> None:
        await self._s.execute(delete(SignInFailureRow).where(SignInFailureRow.sub == sub))


class SqlChallengeAttemptRepo:
    """Codes tried per challenge Session; callers hold the user's row lock, so a plain read-then-write is safe."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, session_id: str) -> int:
        row = await self._s.get(ChallengeAttemptRow, session_id)
        return row.attempts if row else 0

    async def put(self, session_id: str, sub: str, attempts: int, expires_at: float) -> None:
        row = await self._s.get(ChallengeAttemptRow, session_id)
        if row is None:
            self._s.add(ChallengeAttemptRow(session_id=session_id, sub=sub, attempts=attempts, expires_at=expires_at))
        else:
            row.attempts = attempts
        await self._s.flush()

    async def purge_expired(self, sub: str, now: float) -> None:
        await self._s.execute(delete(ChallengeAttemptRow).where(ChallengeAttemptRow.sub == sub,
                                                                ChallengeAttemptRow.expires_at < now))


class SqlAuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def list(
        self,
        *,
        pool_id: str | None = None,
        sub: str | None = None,
        since: float | None = None,
        limit: int = 100,
        before_id: int | None = None,
    ) -> Sequence[tuple[int, AuditEvent]]:
        """Newest first; `before_id` pages further back."""
        query = select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(limit)
        for condition in (
            AuditEventRow.pool_id == pool_id if pool_id else None,
            AuditEventRow.sub == sub if sub else None,
            AuditEventRow.at >= since if since is not None else None,
            AuditEventRow.id < before_id if before_id is not None else None,
        ):
            if condition is not None:
                query = query.where(condition)
        return [
            (
                r.id,
                AuditEvent(
                    at=r.at,
                    event=r.event,
                    outcome=r.outcome,
                    pool_id=r.pool_id,
                    client_id=r.client_id,
                    sub=r.sub,
                    ip=r.ip,
                    user_agent=r.user_agent,
                    detail=dict(r.detail),
                ),
            )
            for r in (await self._s.scalars(query)).all()
        ]

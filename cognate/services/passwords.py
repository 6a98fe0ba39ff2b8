"""Setting a password: the one place that derives everything kept about it (spec §7).

The argon2id hash checks typed passwords; the SRP salt and verifier (sealed at rest) let SRP clients sign in
without sending the password. Both come from the same password at the same moment; neither can be derived later.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from cognate.crypto import srp as srp6a
from cognate.domain.ids import pool_name_part
from cognate.domain.users import User
from cognate.services.deps import Deps


def srp_context(user: User) -> str:
    return f"srp-verifier:{user.sub}"


@dataclass(frozen=True)
class PasswordRecord:
    password_hash: str
    srp_salt: str | None
    srp_verifier: str | None

    def apply(self, user: User) -> User:
        return replace(user, password_hash=self.password_hash, srp_salt=self.srp_salt,
                       srp_verifier=self.srp_verifier)


async def password_record(deps: Deps, user: User, password: str, *, srp: bool = True) -> PasswordRecord:
    """Hash and SRP verifier of `password` for this user (the caller's use case checks the policy).

    A pool with SRP turned off (`UserPool.srp_enabled`, a Cognate extension) keeps no verifier at all."""
    if not srp:
        return PasswordRecord(password_hash=await deps.hasher.hash(password), srp_salt=None, srp_verifier=None)
    salt = srp6a.new_salt()
    hashed, verifier = await asyncio.gather(
        deps.hasher.hash(password),
        asyncio.to_thread(srp6a.verifier, pool_name_part(user.pool_id), user.username, password, salt),
    )
    sealed = deps.sealer.seal(f"{verifier:x}".encode(), context=srp_context(user))
    return PasswordRecord(password_hash=hashed, srp_salt=salt, srp_verifier=sealed)


def srp_verifier(deps: Deps, user: User) -> int | None:
    if not user.srp_verifier:
        return None
    return int(deps.sealer.open(user.srp_verifier, context=srp_context(user)).decode(), 16)

"""Short-lived signed values the hosted UI hands to the browser between two steps (who is confirming, which
user must choose a new password). Signed with a key derived from the master key, expiring on the injected clock;
they name a user, never a password.

Each kind is a dataclass; on the wire its fields keep the short keys of `WIRE` (and `exp`), the format pages sealed
before these had names, so a flow in flight across an upgrade still opens (tests/http/hosted_ui/test_flows_in_flight).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from itsdangerous import BadData, URLSafeSerializer

from cognate.services.deps import Deps


class Sealed:
    """A kind of signed value: `PURPOSE` salts its signature (one kind never opens as another), `WIRE` maps each
    field to its key on the wire."""

    PURPOSE: ClassVar[str]
    WIRE: ClassVar[Mapping[str, str]]


@dataclass(frozen=True)
class CodeFlow(Sealed):
    """Who is entering an e-mailed code and where it went (masked; empty when not known), between the page that
    sent the code and the page that takes it."""

    WIRE: ClassVar[Mapping[str, str]] = {"username": "u", "destination": "d"}
    username: str  # as typed (the code pages ask Cognito's API by the name the person knows)
    destination: str = ""


@dataclass(frozen=True)
class ConfirmFlow(CodeFlow):
    """The sign-up confirmation code's flow (/confirmUser)."""

    PURPOSE: ClassVar[str] = "confirm"


@dataclass(frozen=True)
class ResetFlow(CodeFlow):
    """The forgot-password code's flow (/confirmForgotPassword)."""

    PURPOSE: ClassVar[str] = "reset"


@dataclass(frozen=True)
class NewPasswordSession(Sealed):
    """The user of a sign-in that must choose a new password (FORCE_CHANGE_PASSWORD), bound to the pool and app
    it signs in to."""

    PURPOSE: ClassVar[str] = "new-password"
    WIRE: ClassVar[Mapping[str, str]] = {"pool_id": "p", "client_id": "c", "username": "u"}
    pool_id: str
    client_id: str
    username: str  # the internal username


S = TypeVar("S", bound=Sealed)


def _serializer(deps: Deps, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(deps.sealer.derive("hosted-ui-steps"), salt=f"cognate-{purpose}")


def seal(deps: Deps, value: Sealed, *, ttl: int) -> str:
    data: dict[str, Any] = {key: getattr(value, name) for name, key in value.WIRE.items()}
    return str(_serializer(deps, value.PURPOSE).dumps({**data, "exp": int(deps.clock.now()) + ttl}))


def unseal(deps: Deps, kind: type[S], token: str | None) -> S | None:
    """The `kind` value `token` carries, or None when the token is missing, forged, of another kind or expired."""
    if not token:
        return None
    try:
        data: Any = _serializer(deps, kind.PURPOSE).loads(token)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("exp"), int) or data["exp"] <= deps.clock.now():
        return None
    fields = {name: data.get(key) for name, key in kind.WIRE.items()}
    if not all(isinstance(v, str) for v in fields.values()):
        return None
    return kind(**fields)

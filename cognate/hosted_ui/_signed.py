"""Short-lived signed values the hosted UI hands to the browser between two steps (who is confirming, which
user must choose a new password). Signed with a key derived from the master key, expiring on the injected clock;
they name a user, never a password.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadData, URLSafeSerializer

from cognate.services.deps import Deps

CONFIRM = "confirm"  # {"u": typed username, "d": masked destination}
RESET = "reset"  # same shape, for the forgot-password code
NEW_PASSWORD = "new-password"  # {"p": pool id, "c": client id, "u": internal username}


def _serializer(deps: Deps, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(deps.sealer.derive("hosted-ui-steps"), salt=f"cognate-{purpose}")


def dump(deps: Deps, purpose: str, data: dict[str, str], *, ttl: int) -> str:
    return str(_serializer(deps, purpose).dumps({**data, "exp": int(deps.clock.now()) + ttl}))


def load(deps: Deps, purpose: str, token: str | None) -> dict[str, str] | None:
    """The signed data, or None when the token is missing, forged, of another purpose or expired."""
    if not token:
        return None
    try:
        data: Any = _serializer(deps, purpose).loads(token)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("exp"), int) or data["exp"] <= deps.clock.now():
        return None
    return {k: v for k, v in data.items() if isinstance(v, str)}

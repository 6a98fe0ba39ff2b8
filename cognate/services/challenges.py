"""Opaque, sealed state handed to SDK clients between auth steps: the `Session` of a challenge and SRP's
`SECRET_BLOCK` (spec §6, §7). Sealed with the master key, so any node can open what another node issued."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from cognate.crypto.sealing import NOT_SEALED_HERE
from cognate.domain.errors import NotAuthorizedException
from cognate.services.deps import Deps

SESSION_KIND = "challenge-session"
# Not base64, not sealed here, not JSON: each is "Invalid session" to the caller.
_UNOPENABLE: tuple[type[Exception], ...] = (*NOT_SEALED_HERE, UnicodeDecodeError, TypeError)


@dataclass(frozen=True)
class Challenge:
    """A challenge answer of (Admin)InitiateAuth / RespondToAuthChallenge; no Session for SRP's first step."""

    name: str
    session: str | None
    parameters: dict[str, str] = field(default_factory=dict)


def seal_state(deps: Deps, kind: str, data: dict[str, Any], lifetime: int) -> str:
    body = json.dumps({**data, "exp": deps.clock.now() + lifetime}).encode()
    return base64.b64encode(deps.sealer.seal(body, context=kind).encode()).decode()


def open_state(deps: Deps, kind: str, token: str | None) -> dict[str, Any]:
    """The sealed data, or NotAuthorizedException when it is missing, forged, of another kind or expired."""
    try:
        raw = base64.b64decode((token or "").encode(), validate=True).decode()
        data = json.loads(deps.sealer.open(raw, context=kind))
    except _UNOPENABLE:
        raise NotAuthorizedException("Invalid session for the user, session is expired.") from None
    if not isinstance(data, dict) or float(data.get("exp", 0)) <= deps.clock.now():
        raise NotAuthorizedException("Invalid session for the user, session is expired.")
    return data

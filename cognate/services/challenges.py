"""Opaque, sealed state handed to SDK clients between auth steps: the `Session` of a challenge and SRP's
`SECRET_BLOCK` (spec §6, §7). Sealed with the master key, so any node can open what another node issued."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag

from cognate.domain.errors import NotAuthorizedException
from cognate.services.deps import Deps

SESSION_KIND = "challenge-session"


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
    except (ValueError, InvalidTag, UnicodeDecodeError, TypeError):
        raise NotAuthorizedException("Invalid session for the user, session is expired.") from None
    if not isinstance(data, dict) or float(data.get("exp", 0)) <= deps.clock.now():
        raise NotAuthorizedException("Invalid session for the user, session is expired.")
    return data

"""OAuth scopes of a pool: Cognito's built-ins and resource-server scopes (spec §3, define-resource-servers)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cognate.domain._checks import check_name, fail, mapping
from cognate.domain.errors import ScopeDoesNotExistException

OPENID = "openid"
ADMIN_SCOPE = "aws.cognito.signin.user.admin"
BUILTIN_SCOPES = frozenset({"phone", "email", OPENID, "profile", ADMIN_SCOPE})
OPENID_DEPENDENT = frozenset({"email", "phone", "profile"})
SCOPE_RE = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]+$")
IDENTIFIER_RE = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]+$")
SCOPE_NAME_RE = re.compile(r"^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$")
ANY_TEXT_RE = re.compile(r".+", re.DOTALL)
MAX_SCOPES_PER_SERVER = 100
MAX_RESOURCE_SERVERS = 25


@dataclass(frozen=True)
class ResourceServerScope:
    name: str
    description: str


@dataclass(frozen=True)
class ResourceServer:
    pool_id: str
    identifier: str
    name: str
    scopes: tuple[ResourceServerScope, ...] = ()

    @property
    def full_scopes(self) -> tuple[str, ...]:
        return tuple(f"{self.identifier}/{s.name}" for s in self.scopes)

    def to_cognito(self) -> dict[str, Any]:
        return {
            "UserPoolId": self.pool_id,
            "Identifier": self.identifier,
            "Name": self.name,
            "Scopes": [{"ScopeName": s.name, "ScopeDescription": s.description} for s in self.scopes],
        }


def build_resource_server(pool_id: str, req: Mapping[str, Any]) -> ResourceServer:
    identifier = check_name(req.get("Identifier"), "identifier", max_len=256, pattern=IDENTIFIER_RE)
    name = check_name(req.get("Name"), "name", max_len=256)
    raw_scopes = req.get("Scopes") or []
    if not isinstance(raw_scopes, list) or len(raw_scopes) > MAX_SCOPES_PER_SERVER:
        raise fail(f"Scopes must be a list of at most {MAX_SCOPES_PER_SERVER}")
    scopes: dict[str, ResourceServerScope] = {}
    for item in raw_scopes:
        entry = mapping(item, "Scopes")
        scope = check_name(entry.get("ScopeName"), "scopeName", max_len=256, pattern=SCOPE_NAME_RE)
        desc = check_name(entry.get("ScopeDescription"), "scopeDescription", max_len=256, pattern=ANY_TEXT_RE)
        if scope in scopes:
            raise fail(f"Duplicate scope name {scope}")
        scopes[scope] = ResourceServerScope(scope, desc)
    return ResourceServer(pool_id=pool_id, identifier=identifier, name=name, scopes=tuple(scopes.values()))


def is_custom_scope(scope: str) -> bool:
    return scope not in BUILTIN_SCOPES


def check_allowed_scopes(scopes: tuple[str, ...], available_custom: frozenset[str]) -> tuple[str, ...]:
    """Every requested scope must exist in the pool (`ScopeDoesNotExistException` otherwise)."""
    if len(scopes) > 50:
        raise fail("AllowedOAuthScopes: at most 50 scopes")
    for scope in scopes:
        if len(scope) > 256 or not SCOPE_RE.fullmatch(scope):
            raise fail(f"Invalid scope {scope!r}")
        if scope not in BUILTIN_SCOPES and scope not in available_custom:
            raise ScopeDoesNotExistException(f"Invalid scope requested: {scope}")
    return scopes

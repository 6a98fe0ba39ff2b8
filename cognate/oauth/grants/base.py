"""What a grant is to the token dispatcher (RFC 6749 §4): the phases it may customise, and nothing else."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from cognate.domain.clients import AppClient
from cognate.oauth.errors import UnauthorizedClient
from cognate.oauth.requests import FormRequest
from cognate.services.deps import Deps
from cognate.services.tokens.minting import TokenSet


@dataclass(frozen=True)
class GrantContext:
    deps: Deps
    client: AppClient
    request: FormRequest
    scopes: tuple[str, ...]  # as decided by the grant's scope policy


class TokenGrant(ABC):
    grant_type: ClassVar[str]
    flow: ClassVar[str | None] = None  # the AllowedOAuthFlows entry the client needs, if any
    confidential_only: ClassVar[bool] = False

    def check_client(self, client: AppClient) -> None:
        """May this (authenticated) client use this grant at all?"""
        if self.confidential_only and client.secret is None:
            raise UnauthorizedClient(f"{self.grant_type} requires a client with a secret")
        if self.flow is not None and not (client.allowed_oauth_flows_user_pool_client
                                          and self.flow in client.allowed_oauth_flows):
            raise UnauthorizedClient(f"The {self.flow} flow is not allowed for this client")

    async def scopes(self, deps: Deps, client: AppClient, requested: tuple[str, ...] | None) -> tuple[str, ...]:
        """Scope policy hook; by default the scopes come from what was granted earlier (code, refresh token)."""
        return ()

    @abstractmethod
    async def issue(self, ctx: GrantContext) -> TokenSet:
        """Run the grant itself; the dispatcher has authenticated the client and applied the scope policy."""

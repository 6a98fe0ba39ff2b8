"""The built-in token viewer: Cognate as a relying party of itself, so the quick start's link ends on a page that
shows the tokens (issue 13 §2).

`start` begins an authorization-code flow with PKCE (RFC 7636) and a nonce for an app client that registers the
viewer's callback URL; `finish` checks the state (RFC 6749 §10.12), redeems the code through the service behind
/oauth2/token, and verifies each token against the pool's published keys (JWKS), issuer, expiry and audience.

The flow (client id, state, PKCE verifier, nonce) exists only in the browser that started it: sealed with the
master key (AES-GCM, bound to this purpose) into an HttpOnly cookie sent to the callback path alone and good for
FLOW_SECONDS. So a code reaches tokens only together with the cookie of the same client's flow: a code of client X
with a flow of client Y is refused by the redeeming service (the code names its client), a foreign or missing state
by `open_flow`, a code without its verifier by PKCE, and a replayed code by single use (which also revokes what the
first redemption issued). Only public clients: for a client with a secret the viewer would have to act as the app's
backend with the app's own secret.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from cognate.crypto.jwt import unverified_part
from cognate.domain.clients import AppClient
from cognate.domain.errors import CognitoError, NotAuthorizedException, ResourceNotFoundException
from cognate.domain.redirects import check_redirect_url
from cognate.services.authorization_codes import CodeRefused, redeem_authorization_code, s256
from cognate.services.challenges import open_state, seal_state
from cognate.services.clients import get_client
from cognate.services.deps import Deps
from cognate.services.pools import issuer
from cognate.services.tokens.minting import TokenSet
from cognate.services.tokens.verification import verify_pool_token

START_PATH = "/token-viewer"
CALLBACK_PATH = "/token-viewer/callback"
FLOW_SECONDS = 600  # long enough to sign up and confirm an account on the way
KIND = "token-viewer-flow"

# Why the viewer refuses, as the hosted UI's catalogue keys name it (`viewer.refused.<reason>`).
UNREGISTERED = "unregistered"  # the client does not list the viewer's callback URL
HAS_SECRET = "secret"  # confidential clients are not supported
NO_CODE_FLOW = "code_flow"  # the client may not use the authorization code flow
NO_FLOW = "no_flow"  # no flow cookie: started in another browser, or already used
EXPIRED = "expired"  # the flow cookie is forged, of another purpose or too old
STATE = "state"  # the state in the URL is not the one this browser's flow sent
CODE = "code"  # the code cannot be redeemed for this flow's client (foreign, used, expired, PKCE)
UNVERIFIED = "unverified"  # a token failed verification (never expected: a bug or a rotated key)
DENIED = "denied"  # the authorization server answered with an error instead of a code
UNKNOWN_CLIENT = "unknown_client"


class ViewerRefused(Exception):
    """The viewer will not start or finish; `reason` is one of the names above, `detail` is for the page."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Started:
    """The sealed flow for the browser's cookie and the /oauth2/authorize query that goes with it."""

    cookie: str
    authorize_query: str
    lifetime: int


@dataclass(frozen=True)
class Flow:
    client_id: str
    state: str
    verifier: str
    nonce: str


@dataclass(frozen=True)
class ViewedToken:
    """A verified JWT, decoded: `use` is `id` or `access`."""

    use: str
    raw: str
    header: dict[str, Any]
    claims: dict[str, Any]

    @property
    def expires_at(self) -> int:
        return int(self.claims["exp"])


@dataclass(frozen=True)
class Viewed:
    client: AppClient
    issuer: str
    tokens: tuple[ViewedToken, ...]
    refresh_token: str | None


def callback_url(deps: Deps) -> str:
    return f"{deps.public_url}{CALLBACK_PATH}"


def can_register(deps: Deps) -> bool:
    """Whether an app client may list this server's callback URL (https, or http on a loopback host): not under
    `--host 0.0.0.0` without a public URL, for instance, whose default public URL is `http://0.0.0.0:9229`."""
    try:
        check_redirect_url(callback_url(deps))
    except CognitoError:
        return False
    return True


def start_url(deps: Deps, client_id: str) -> str:
    """The link to print: it starts a flow for `client_id` in whichever browser opens it."""
    return f"{deps.public_url}{START_PATH}?{urlencode({'client_id': client_id})}"


def check_client(deps: Deps, client: AppClient) -> None:
    """Only a public client that registers the viewer's callback and may use the code flow."""
    if callback_url(deps) not in client.callback_urls:
        raise ViewerRefused(UNREGISTERED, callback_url(deps))
    if client.secret is not None:
        raise ViewerRefused(HAS_SECRET)
    if not client.allowed_oauth_flows_user_pool_client or "code" not in client.allowed_oauth_flows:
        raise ViewerRefused(NO_CODE_FLOW)


async def viewer_client(deps: Deps, client_id: str | None, *, host_pool: str | None) -> AppClient:
    if not client_id:
        raise ViewerRefused(UNKNOWN_CLIENT)
    try:
        client = await get_client(deps, client_id, pool_id=host_pool)
    except ResourceNotFoundException:
        raise ViewerRefused(UNKNOWN_CLIENT) from None
    check_client(deps, client)
    return client


def start(deps: Deps, client: AppClient) -> Started:
    check_client(deps, client)
    state, verifier, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(48), secrets.token_urlsafe(24)
    sealed = seal_state(deps, KIND, {"client": client.id, "state": state, "verifier": verifier, "nonce": nonce},
                        FLOW_SECONDS)
    query = urlencode({"response_type": "code", "client_id": client.id, "redirect_uri": callback_url(deps),
                       "state": state, "nonce": nonce, "code_challenge": s256(verifier),
                       "code_challenge_method": "S256"})
    return Started(cookie=sealed, authorize_query=query, lifetime=FLOW_SECONDS)


def open_flow(deps: Deps, cookie: str | None, state: str | None) -> Flow:
    """This browser's flow, if `state` is the one it sent (compared in constant time)."""
    if not cookie:
        raise ViewerRefused(NO_FLOW)
    try:
        data = open_state(deps, KIND, cookie)
    except NotAuthorizedException:
        raise ViewerRefused(EXPIRED) from None
    flow = Flow(client_id=str(data.get("client", "")), state=str(data.get("state", "")),
                verifier=str(data.get("verifier", "")), nonce=str(data.get("nonce", "")))
    if not state or not hmac.compare_digest(state.encode(), flow.state.encode()):
        raise ViewerRefused(STATE)
    return flow


async def finish(deps: Deps, flow: Flow, code: str | None) -> Viewed:
    """Redeem `code` as the flow's client with its verifier, then verify what came back."""
    client = await viewer_client(deps, flow.client_id, host_pool=None)
    if not code:
        raise ViewerRefused(CODE, "no code")
    try:
        tokens = await redeem_authorization_code(deps, client=client, raw=code, redirect_uri=callback_url(deps),
                                                 verifier=flow.verifier)
    except CodeRefused as exc:
        raise ViewerRefused(CODE, str(exc)) from None
    verified = await verify_tokens(deps, client, tokens, nonce=flow.nonce)
    return Viewed(client=client, issuer=await issuer(deps, client.pool_id), tokens=verified,
                  refresh_token=tokens.refresh_token)


async def verify_tokens(deps: Deps, client: AppClient, tokens: TokenSet, *, nonce: str) -> tuple[ViewedToken, ...]:
    """What a relying party checks before it trusts a token (OIDC Core §3.1.3.7): signature by a key the pool's JWKS
    publishes, issuer, expiry, `token_use`, the audience (this client), and the ID token's nonce (this flow)."""
    out = []
    for use, raw in (("id", tokens.id_token), ("access", tokens.access_token)):
        if raw is None:
            continue
        try:
            claims = await verify_pool_token(deps, client.pool_id, raw, token_use=use)
        except NotAuthorizedException as exc:
            raise ViewerRefused(UNVERIFIED, f"{use} token: {exc.message}") from None
        audience = claims.get("aud") if use == "id" else claims.get("client_id")
        if audience != client.id or (use == "id" and claims.get("nonce") != nonce):
            raise ViewerRefused(UNVERIFIED, f"{use} token: issued to another client or flow")
        out.append(ViewedToken(use=use, raw=raw, header=_header(raw), claims=claims))
    return tuple(out)


def _header(token: str) -> dict[str, Any]:
    header = unverified_part(token, 0)
    return header if isinstance(header, dict) else {}

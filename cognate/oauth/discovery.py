"""OpenID Connect Discovery 1.0 §3 document and JWKS, in the shape Cognito serves (spec §1.5).

The browser's endpoints (authorize, logout) are on the pool's domain, where the hosted UI's cookies live. The
endpoints a server calls (token, userInfo, revocation; jwks_uri is always under the issuer) move to the public URL
when the domain is a `*.localhost` name that backends cannot resolve (`domain.domains.back_channel_url`).
"""

from __future__ import annotations

from typing import Any

from cognate.domain.domains import back_channel_url
from cognate.services.deps import Deps
from cognate.services.keys import jwks
from cognate.services.pools import issuer, pool_base_url


async def discovery_document(deps: Deps, pool_id: str) -> dict[str, Any]:
    base = await pool_base_url(deps, pool_id)
    back = back_channel_url(base, public_url=deps.public_url)
    iss = await issuer(deps, pool_id)
    return {
        "authorization_endpoint": f"{base}/oauth2/authorize",
        "end_session_endpoint": f"{base}/logout",
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": iss,
        "jwks_uri": f"{iss}/.well-known/jwks.json",
        "response_types_supported": ["code", "token"],
        "revocation_endpoint": f"{back}/oauth2/revoke",
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": f"{back}/oauth2/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": f"{back}/oauth2/userInfo",
    }


async def public_keys(deps: Deps, pool_id: str) -> dict[str, Any]:
    return await jwks(deps, pool_id)

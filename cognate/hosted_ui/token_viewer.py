"""The token viewer's two pages (issue 13 §2; the flow and its checks are `services.token_viewer`):
`/token-viewer?client_id=...` starts a sign-in and `/token-viewer/callback` shows the verified tokens.

Refusals are calm pages (HTTP 400) saying why, in the catalogue's words; text from the URL (`error_description`)
is shown only when the state proves the answer belongs to this browser's own flow.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from cognate.hosted_ui import pages
from cognate.hosted_ui._cookies import forget_cookie
from cognate.hosted_ui._ui import Target, Ui, page
from cognate.services import token_viewer as viewer
from cognate.services.pools import get_pool
from cognate.services.rate_limit import charge_failure
from cognate.web.cookies import viewer_cookie_name, viewer_cookie_options

TIME_CLAIMS = frozenset({"exp", "iat", "auth_time", "nbf"})
# A refusal after which the flow is spent: its code was tried, or the authorization server said no.
SPENT = frozenset({viewer.CODE, viewer.DENIED, viewer.UNVERIFIED, viewer.UNKNOWN_CLIENT, viewer.UNREGISTERED,
                   viewer.HAS_SECRET, viewer.NO_CODE_FLOW})


@page
async def start_get(ui: Ui) -> Response:
    """A flow for `client_id` in a cookie, then on to /oauth2/authorize. On a pool domain's Host, first to the public
    URL: the callback is there, and the cookie must be set for that host."""
    if ui.host_pool is not None:
        return ui.redirect(f"{ui.deps.public_url}{viewer.START_PATH}?{urlencode(ui.params)}")
    try:
        client = await viewer.viewer_client(ui.deps, ui.params.get("client_id"), host_pool=None)
        started = viewer.start(ui.deps, client)
    except viewer.ViewerRefused as exc:
        return _refused(ui, exc)
    response = ui.redirect(f"/oauth2/authorize?{started.authorize_query}")
    response.set_cookie(viewer_cookie_name(ui.https), started.cookie,
                        **viewer_cookie_options(ui.https, started.lifetime))
    return response


@page
async def callback_get(ui: Ui) -> Response:
    """Check the state against this browser's flow, redeem the code as that flow's client, show what came back.
    The page's own links (languages) keep only `lang`: never the code, the state or crafted text."""
    query, ui.params = ui.params, {k: v for k, v in ui.params.items() if k == "lang"}
    try:
        flow = viewer.open_flow(ui.deps, ui.request.cookies.get(viewer_cookie_name(ui.https)), query.get("state"))
        if "error" in query:
            raise viewer.ViewerRefused(viewer.DENIED, _denial(query))
        await ui.check_rate()
        viewed = await viewer.finish(ui.deps, flow, query.get("code"))
    except viewer.ViewerRefused as exc:
        if exc.reason == viewer.CODE:  # a code that does not redeem may be a guess: charge it like /oauth2/token
            await charge_failure(ui.deps)
        response = _refused(ui, exc)
        if exc.reason in SPENT:
            _forget_flow(ui, response)
        return response
    pool = await get_pool(ui.deps, viewed.client.pool_id)
    target = Target(pool=pool, client=viewed.client, query="")
    body = pages.tokens(ui.chrome(target), view=_view(ui, viewed))
    response = ui.html(body)
    response.headers["Referrer-Policy"] = "no-referrer"  # the URL carried a code; it is spent, but leak nothing
    _forget_flow(ui, response)
    return response


def _denial(params: dict[str, str]) -> str:
    error, description = params.get("error", "")[:100], params.get("error_description", "")[:300]
    return f"{error}: {description}" if description else error


def _forget_flow(ui: Ui, response: Response) -> None:
    forget_cookie(response, viewer_cookie_name(ui.https), viewer_cookie_options(ui.https, 0))


def _refused(ui: Ui, exc: viewer.ViewerRefused) -> Response:
    body = pages.error(ui.chrome(), title=ui.t("title.viewer_refused"), explanation=ui.t(f"viewer.{exc.reason}"),
                       details=exc.detail, request_id=ui.request_id)
    return ui.html(body, 400)


def _view(ui: Ui, viewed: viewer.Viewed) -> pages.TokensView:
    now = ui.deps.clock.now()
    subject = next((t.claims for t in viewed.tokens if t.use == "id"), viewed.tokens[0].claims if viewed.tokens
                   else {})
    return pages.TokensView(
        user=str(subject.get("email") or subject.get("cognito:username") or subject.get("username") or ""),
        client_id=viewed.client.id, issuer=viewed.issuer, jwks_url=f"{viewed.issuer}/.well-known/jwks.json",
        tokens=[_token(ui, t, now) for t in viewed.tokens], refresh_token=viewed.refresh_token,
        again_href=f"{viewer.START_PATH}?{urlencode({'client_id': viewed.client.id})}",
        sign_out_href=f"/logout?{urlencode({'client_id': viewed.client.id})}")


def _token(ui: Ui, token: viewer.ViewedToken, now: float) -> pages.TokenView:
    minutes = max(0, int((token.expires_at - now) // 60))
    return pages.TokenView(
        title=ui.t(f"tokens.{token.use}"), dom_id=f"{token.use}-token", kid=str(token.header.get("kid", "")),
        alg=str(token.header.get("alg", "")),
        expires=ui.t("tokens.expires", time=_when(token.expires_at), minutes=minutes),
        header=json.dumps(token.header, separators=(", ", ": ")),
        claims=[pages.Claim(name, _value(value), _when(value) if name in TIME_CLAIMS else None)
                for name, value in token.claims.items()],
        raw=token.raw)


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _when(value: Any) -> str | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")

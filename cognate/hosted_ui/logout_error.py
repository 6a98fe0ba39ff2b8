"""Where a browser leaves the hosted UI: /logout (spec §1.4) ends the session and sends it on, and /error is the
page /oauth2/authorize shows a browser it must not redirect.
"""

from __future__ import annotations

from starlette.responses import Response

from cognate.hosted_ui._cookies import forget_cookie
from cognate.hosted_ui._steps import done_page
from cognate.hosted_ui._ui import Target, Ui, page
from cognate.services.sessions import end_session
from cognate.web.cookies import session_cookie_name, session_cookie_options

ERROR_PAGE_PARAMS = ("error", "client_id", "lang")


@page
async def logout(ui: Ui) -> Response:
    """Spec §1.4: `logout_uri` exactly registered → 302 there; `redirect_uri`+`response_type` → 302 to /login;
    neither → a signed-out page. Anything unregistered → the error page, and the session stays."""
    client, pool = await ui.client_only(ui.params.get("client_id"))
    target = Target(pool=pool, client=client, query="")
    logout_uri = ui.params.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in client.logout_urls:
            return ui.error_page("logout_mismatch", "The logout_uri is not registered for this client.",
                                 target=target)
        return await _signed_out(ui, ui.redirect(logout_uri))
    if "redirect_uri" in ui.params or "response_type" in ui.params:
        req = await ui.authorize()
        return await _signed_out(ui, ui.redirect(f"/login?{req.query()}"))
    return await _signed_out(ui, ui.html(done_page(ui, target, "title.signed_out", "signed_out.body")))


async def _signed_out(ui: Ui, response: Response) -> Response:
    name = session_cookie_name(ui.https)
    await end_session(ui.deps, ui.request.cookies.get(name))
    forget_cookie(response, name, session_cookie_options(ui.https))
    return response


@page
async def error_get(ui: Ui) -> Response:
    """Where /oauth2/authorize sends a browser it must not redirect: calm words, the request id, HTTP 400.

    The words are the catalogue's sentence for the `error` code, never text from the URL: anyone can craft this link,
    and the page speaks with the sign-in domain's authority (text injection, issue 12). Its language links keep
    only the code, the client and the language."""
    ui.params = {k: v for k, v in ui.params.items() if k in ERROR_PAGE_PARAMS}
    return ui.error_page(ui.params.get("error", ""), None)

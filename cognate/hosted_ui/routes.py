"""The hosted UI's route table: Cognito's page paths (spec §1) and the assets they load, each path to the module
that tells its story — `sign_in` (/login, /newPassword, /mfa, /mfaSetup), `sign_up` (/signup, /confirmUser),
`forgot_password`, `logout_error`, `assets`, `home` (GET /) and `token_viewer`.

Every page gets the security headers; assets get them with caching allowed.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from cognate.hosted_ui import assets, home, pages, token_viewer
from cognate.hosted_ui._ui import unavailable_page
from cognate.hosted_ui.forgot_password import forgot_get, forgot_post, reset_get, reset_post
from cognate.hosted_ui.logout_error import error_get, logout
from cognate.hosted_ui.sign_in import login_get, login_post, mfa_post, mfa_setup_post, new_password_post
from cognate.hosted_ui.sign_up import confirm_get, confirm_post, signup_get, signup_post
from cognate.web.errors import Renderer
from cognate.web.security_headers import SecurityHeadersMiddleware

PAGE = [Middleware(SecurityHeadersMiddleware)]
ASSET = [Middleware(SecurityHeadersMiddleware, cache=True)]


def _page(path: str, get: object = None, post: object = None) -> list[BaseRoute]:
    out: list[BaseRoute] = []
    for endpoint, method in ((get, "GET"), (post, "POST")):
        if endpoint is not None:
            out.append(Route(path, endpoint, methods=[method], middleware=PAGE))  # type: ignore[arg-type]
    return out


pages.check_templates()

UNAVAILABLE: Renderer = unavailable_page  # what `app.py` shows for these routes while the database is down

routes: list[BaseRoute] = [
    *_page("/login", login_get, login_post),
    *_page("/signup", signup_get, signup_post),
    *_page("/confirmUser", confirm_get, confirm_post),
    *_page("/forgotPassword", forgot_get, forgot_post),
    *_page("/confirmForgotPassword", reset_get, reset_post),
    *_page("/confirmforgotPassword", reset_get, reset_post),
    *_page("/newPassword", post=new_password_post),
    *_page("/mfa", post=mfa_post),
    *_page("/mfaSetup", post=mfa_setup_post),
    *_page("/logout", logout),
    *_page("/error", error_get),
    Route("/hosted-ui/theme/{pool_id}.css", assets.theme, methods=["GET"], middleware=ASSET),
    Route("/hosted-ui/custom/{pool_id}/{client_id}.css", assets.custom_css, methods=["GET"], middleware=ASSET),
    Route("/hosted-ui/logo/{pool_id}/{client_id}", assets.custom_logo, methods=["GET"], middleware=ASSET),
    *_page("/", home.home_get),
    Route("/favicon.ico", assets.favicon, methods=["GET"], middleware=ASSET),
    *_page("/token-viewer", token_viewer.start_get),
    *_page("/token-viewer/callback", token_viewer.callback_get),
    Mount("/hosted-ui/static", app=StaticFiles(directory=assets.STATIC_DIR), name="hosted-ui-static", middleware=ASSET),
]

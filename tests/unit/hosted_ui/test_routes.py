"""The hosted UI's route table is a public contract (Cognito's paths, the assets' URLs): splitting the handlers
into modules must not add, drop or re-method a route."""

from __future__ import annotations

from starlette.routing import Mount, Route

from cognate.hosted_ui.routes import routes

TABLE = [
    ("/login", "GET"), ("/login", "POST"), ("/signup", "GET"), ("/signup", "POST"),
    ("/confirmUser", "GET"), ("/confirmUser", "POST"), ("/forgotPassword", "GET"), ("/forgotPassword", "POST"),
    ("/confirmForgotPassword", "GET"), ("/confirmForgotPassword", "POST"),
    ("/confirmforgotPassword", "GET"), ("/confirmforgotPassword", "POST"),
    ("/newPassword", "POST"), ("/mfa", "POST"), ("/mfaSetup", "POST"), ("/logout", "GET"), ("/error", "GET"),
    ("/hosted-ui/theme/{pool_id}.css", "GET"), ("/hosted-ui/custom/{pool_id}/{client_id}.css", "GET"),
    ("/hosted-ui/logo/{pool_id}/{client_id}", "GET"), ("/", "GET"), ("/favicon.ico", "GET"),
    ("/token-viewer", "GET"), ("/token-viewer/callback", "GET"), ("/hosted-ui/static", "MOUNT"),
]


def _listed() -> list[tuple[str, str]]:
    out = []
    for route in routes:
        if isinstance(route, Mount):
            out.append((route.path, "MOUNT"))
        else:
            assert isinstance(route, Route) and route.methods is not None
            (method,) = route.methods - {"HEAD"}
            out.append((route.path, method))
    return out


def test_the_route_table_is_unchanged() -> None:
    assert _listed() == TABLE

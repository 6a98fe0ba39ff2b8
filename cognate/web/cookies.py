"""The hosted-UI session cookie, shared by the hosted UI (sets it) and /oauth2/authorize (reads it for SSO)."""

from __future__ import annotations

from typing import Any

from cognate.domain.signin import UI_SESSION_SECONDS
from cognate.services.token_viewer import CALLBACK_PATH

PLAIN_NAME = "cognate_session"
SECURE_NAME = "__Host-cognate_session"  # the __Host- prefix needs Secure, Path=/ and no Domain


def session_cookie_name(https: bool) -> str:
    return SECURE_NAME if https else PLAIN_NAME


def session_cookie_options(https: bool) -> dict[str, Any]:
    """HttpOnly, SameSite=Lax, Secure on https; host-only (no Domain), so each pool domain has its own."""
    return {"max_age": UI_SESSION_SECONDS, "path": "/", "httponly": True, "secure": https, "samesite": "lax"}


SIGNUP_PATH = "/confirmUser"  # the only page that reads the sign-up cookie


def signup_cookie_name(https: bool) -> str:
    """The cookie of the browser that has just signed up (`services.signup_sign_in`); path-scoped, so `__Secure-`."""
    return "__Secure-cognate_signup" if https else "cognate_signup"


def signup_cookie_options(https: bool, max_age: int) -> dict[str, Any]:
    """HttpOnly, SameSite=Lax, Secure on https, host-only, sent only to the confirm page and only while it is good."""
    return {"max_age": max_age, "path": SIGNUP_PATH, "httponly": True, "secure": https, "samesite": "lax"}


def viewer_cookie_name(https: bool) -> str:
    """The token viewer's flow cookie (`services.token_viewer`); path-scoped, so `__Secure-` on https."""
    return "__Secure-cognate_token_viewer" if https else "cognate_token_viewer"


def viewer_cookie_options(https: bool, max_age: int) -> dict[str, Any]:
    """HttpOnly, SameSite=Lax (the callback is a top-level navigation back from sign-in), Secure on https,
    host-only, and sent only to the viewer's callback."""
    return {"max_age": max_age, "path": CALLBACK_PATH, "httponly": True, "secure": https, "samesite": "lax"}

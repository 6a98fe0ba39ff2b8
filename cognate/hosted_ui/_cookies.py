"""The cookies the hosted-UI flows set and drop besides the CSRF one: the sign-up proof (so the browser that signed
up goes on to the app after its code) and the end of a cookie with the exact attributes it was set with (a browser
keeps a cookie whose deletion names another path or flags).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from cognate.hosted_ui._ui import Ui
from cognate.services.signup_sign_in import SignUpProof
from cognate.web.cookies import signup_cookie_name, signup_cookie_options


def set_signup_cookie(ui: Ui, response: Response, proof: SignUpProof) -> None:
    response.set_cookie(signup_cookie_name(ui.https), proof.token, **signup_cookie_options(ui.https, proof.lifetime))


def forget_cookie(response: Response, name: str, options: Mapping[str, Any]) -> None:
    response.delete_cookie(name, path=options["path"], secure=options["secure"], httponly=options["httponly"],
                           samesite=options["samesite"])

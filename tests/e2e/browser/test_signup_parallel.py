"""The sign-up cookie signs in once, even when the confirm form is posted many times at once with the same cookie
and code against a real `cognate serve` (SQLite, or PostgreSQL with COGNATE_TEST_DATABASE_URL): the code confirms
the account once (a row lock), and only that confirmation may use the cookie (issue 13)."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import httpx
import pytest

from tests.e2e.browser.conftest import PASSWORD, Site

pytestmark = pytest.mark.slow
PARALLEL = 6
CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')
FLOW_RE = re.compile(r'name="flow" value="([^"]*)"')


def _field(pattern: re.Pattern[str], html: str) -> str:
    found = pattern.search(html)
    assert found, html[:2000]
    return unescape(found.group(1))


def _signed_up(site: Site, email: str) -> tuple[httpx.Client, str, dict[str, str]]:
    """Sign up through the pages; the browser-like client, the confirm page's path and its hidden fields."""
    http = httpx.Client(base_url=site.server.url, timeout=20)
    form = http.get(f"/signup?{site.query()}")
    created = http.post(f"/signup?{site.query()}", data={
        "_csrf": _field(CSRF_RE, form.text), "email": email, "given_name": "Pat", "password": PASSWORD})
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    page = http.get(location)
    return http, location, {"_csrf": _field(CSRF_RE, page.text), "flow": _field(FLOW_RE, page.text)}


def _outcome(response: httpx.Response) -> str:
    location = response.headers.get("location", "")
    if location.startswith("http://localhost"):
        return "app"
    return "login" if location.startswith("/login?") else str(response.status_code)


def test_parallel_confirms_with_one_sign_up_cookie_sign_in_once(site: Site) -> None:
    email = f"pat-{uuid.uuid4().hex[:8]}@example.com"
    http, location, fields = _signed_up(site, email)
    code = site.inbox.code_for(email)
    cookies = "; ".join(f"{c.name}={c.value}" for c in http.cookies.jar)
    assert "cognate_signup=" in cookies

    def confirm(_: int) -> str:
        response = httpx.post(f"{site.server.url}{location}", headers={"Cookie": cookies}, timeout=20,
                              data={**fields, "code": code, "action": "confirm"})
        return _outcome(response)

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        outcomes = Counter(pool.map(confirm, range(PARALLEL)))
    assert outcomes["app"] == 1, outcomes
    assert "500" not in outcomes and "429" not in outcomes, outcomes
    http.close()

"""`GET /`: what this server is (a newcomer's first look, issue 13 §2); its `/favicon.ico` is an asset (`assets`).

The JSON API owns `POST /`; a browser's GET lands here. Pools are listed only when the public URL is a loopback
address (a server on a laptop or in CI): a deployment reachable by strangers does not enumerate its tenants to them.
On a pool domain's Host the page names that pool only.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.responses import Response

from cognate import __version__
from cognate.hosted_ui import pages
from cognate.hosted_ui._ui import Ui, page
from cognate.services.pools import get_pool, list_pools

MAX_POOLS = 20
# The README's sections a newcomer reads first (a unit test checks each is a heading of README.md).
README_SECTIONS = ("Quick start", "The hosted-UI guide, step by step, with the CLI", "Configuration", "CLI",
                   "HTTP endpoints", "Hosted UI", "Cognito JSON API",
                   "Using Cognate instead of Cognito in tests and CI", "Differences from Cognito",
                   "Verifying tokens in your API", "Running in production")


def anchor(heading: str) -> str:
    """The anchor GitHub and most Markdown renderers give a heading: lower case, punctuation dropped, spaces as -."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def lists_pools(public_url: str) -> bool:
    host = (urlsplit(public_url).hostname or "").lower()
    return host in ("localhost", "127.0.0.1", "::1") or host.endswith(".localhost")


async def _pools(ui: Ui) -> tuple[list[pages.PoolLink] | None, bool]:
    if ui.host_pool is not None:
        found, more = [await get_pool(ui.deps, ui.host_pool)], False
    elif not lists_pools(ui.deps.public_url):
        return None, False
    else:
        found, next_token = await list_pools(ui.deps, max_results=MAX_POOLS)
        more = next_token is not None
    links = [pages.PoolLink(pool_id=p.id, name=p.name, discovery_href=f"/{p.id}/.well-known/openid-configuration",
                            jwks_href=f"/{p.id}/.well-known/jwks.json") for p in found]
    return links, more


@page
async def home_get(ui: Ui) -> Response:
    pools, more = await _pools(ui)
    sections = [pages.Section(title, anchor(title)) for title in README_SECTIONS]
    view = pages.HomeView(version=__version__, pools=pools, more_pools=more, sections=sections)
    return ui.html(pages.home(ui.chrome(), view=view))

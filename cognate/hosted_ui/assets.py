"""What the pages load besides themselves: the pool's branding and SetUICustomization's style sheet and logo
(versioned or per-client URLs, cacheable), the favicon, and the static directory. No flow state, no CSRF: plain
GETs that a pool domain's Host may only ask of its own pool.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from cognate.domain.errors import ResourceNotFoundException
from cognate.domain.ui_customization import ALL, IMAGE_TYPES, UiCustomization
from cognate.hosted_ui._theme import theme_css
from cognate.services.clients import get_client
from cognate.services.deps import Deps
from cognate.services.pools import get_pool
from cognate.services.ui_customization import page_customization
from cognate.web.hosts import host_pool_id

STATIC_DIR = Path(__file__).parent / "static"
FAVICON = STATIC_DIR / "favicon.ico"


async def theme(request: Request) -> Response:
    """The pool's branding as CSS (versioned URL, so it may be cached)."""
    deps: Deps = request.app.state.deps
    pool_id = request.path_params["pool_id"]
    host_pool = await host_pool_id(deps, request)
    try:
        pool = await get_pool(deps, pool_id)
    except ResourceNotFoundException:
        pool = None
    if pool is None or pool.branding is None or (host_pool is not None and host_pool != pool_id):
        return Response("/* no branding */\n", status_code=404, media_type="text/css")
    return Response(theme_css(pool.branding), media_type="text/css",
                    headers={"Cache-Control": "public, max-age=300"})


async def _customization(request: Request) -> UiCustomization | None:
    """The customization an asset URL names, if the pool (and client) exist and the Host may show them."""
    deps: Deps = request.app.state.deps
    pool_id, client_id = request.path_params["pool_id"], request.path_params["client_id"]
    host_pool = await host_pool_id(deps, request)
    if host_pool is not None and host_pool != pool_id:
        return None
    try:
        await get_pool(deps, pool_id)
        if client_id != ALL:
            await get_client(deps, client_id, pool_id=pool_id)
    except ResourceNotFoundException:
        return None
    return await page_customization(deps, pool_id, client_id)


async def custom_css(request: Request) -> Response:
    """SetUICustomization's style sheet (versioned URL, so it may be cached)."""
    found = await _customization(request)
    if found is None or not found.css:
        return Response("/* no customization */\n", status_code=404, media_type="text/css")
    return Response(found.css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


async def custom_logo(request: Request) -> Response:
    """SetUICustomization's logo, with the type its bytes were checked to be (and `nosniff` from the middleware)."""
    found = await _customization(request)
    if found is None or not found.image or not found.image_type:
        return Response(status_code=404)
    return Response(found.image, media_type=IMAGE_TYPES[found.image_type],
                    headers={"Cache-Control": "public, max-age=300"})


async def favicon(_: Request) -> Response:
    return FileResponse(FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})

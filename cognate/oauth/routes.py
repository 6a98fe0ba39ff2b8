"""Thin HTTP endpoints of the OAuth surface."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cognate.domain.errors import ResourceNotFoundException
from cognate.domain.ids import is_pool_id
from cognate.oauth.discovery import discovery_document, public_keys
from cognate.services.deps import Deps

PUBLIC_CACHE = {"Cache-Control": "public, max-age=1", "Access-Control-Allow-Origin": "*"}


def _deps(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps


def _not_found(pool_id: str) -> JSONResponse:
    return JSONResponse({"message": f"User pool {pool_id} does not exist."}, status_code=404)


async def openid_configuration(request: Request) -> Response:
    pool_id = request.path_params["pool_id"]
    if not is_pool_id(pool_id):
        return _not_found(pool_id)
    try:
        document = await discovery_document(_deps(request), pool_id)
    except ResourceNotFoundException:
        return _not_found(pool_id)
    return JSONResponse(document, headers=PUBLIC_CACHE)


async def jwks_json(request: Request) -> Response:
    pool_id = request.path_params["pool_id"]
    if not is_pool_id(pool_id):
        return _not_found(pool_id)
    try:
        keys = await public_keys(_deps(request), pool_id)
    except ResourceNotFoundException:
        return _not_found(pool_id)
    return JSONResponse(keys, headers=PUBLIC_CACHE)


routes = [
    Route("/{pool_id}/.well-known/openid-configuration", openid_configuration, methods=["GET"]),
    Route("/{pool_id}/.well-known/jwks.json", jwks_json, methods=["GET"]),
]

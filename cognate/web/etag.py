"""Validators for cacheable JSON (RFC 9110 §8.8.3 ETag, §13.1.2 If-None-Match, §15.4.5 304 Not Modified)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def none_match(header: str | None, etag: str) -> bool:
    """Whether `If-None-Match` names this representation; the weak comparison applies (§13.1.2), so `W/` is fine."""
    if header is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def cached_json(request: Request, content: Any, headers: Mapping[str, str]) -> Response:
    """The JSON with an ETag (a hash of the body), or 304 without a body when the client already has it."""
    response = JSONResponse(content, headers=dict(headers))
    etag = strong_etag(bytes(response.body))
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={**headers, "ETag": etag})
    response.headers["ETag"] = etag
    return response


__all__ = ["cached_json", "none_match", "strong_etag"]

"""Validators for cacheable JSON (RFC 9110 §8.8.3 ETag, §13.1.2 If-None-Match, §15.4.5 304 Not Modified)."""

from __future__ import annotations

import hashlib


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def none_match(header: str | None, etag: str) -> bool:
    """Whether `If-None-Match` names this representation; the weak comparison applies (§13.1.2), so `W/` is fine."""
    if header is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


__all__ = ["none_match", "strong_etag"]

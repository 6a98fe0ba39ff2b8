"""Discovery and JWKS caching: `Cache-Control: public, max-age=1` (the one-second bound on configuration changes),
an ETag that is a hash of the body, and 304 for `If-None-Match` (RFC 9110 §13.1.2, §15.4.5)."""

from __future__ import annotations

import hashlib

import pytest

from cognate.services import keys
from tests.http.oauth.conftest import Env

DOCUMENTS = ["openid-configuration", "jwks.json"]


def _url(env: Env, name: str) -> str:
    return f"/{env.pool.id}/.well-known/{name}"


@pytest.mark.parametrize("name", DOCUMENTS)
async def test_etag_is_a_hash_of_the_body(env: Env, name: str) -> None:
    response = await env.http.get(_url(env, name))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=1"
    assert response.headers["etag"] == '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    assert (await env.http.get(_url(env, name))).headers["etag"] == response.headers["etag"]


@pytest.mark.parametrize("name", DOCUMENTS)
async def test_if_none_match_answers_304_without_a_body(env: Env, name: str) -> None:
    etag = (await env.http.get(_url(env, name))).headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = await env.http.get(_url(env, name), headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert response.headers["cache-control"] == "public, max-age=1"
        assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("name", DOCUMENTS)
async def test_a_stale_etag_gets_the_document(env: Env, name: str) -> None:
    response = await env.http.get(_url(env, name), headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200 and response.json()


async def test_a_new_key_changes_the_jwks_etag(env: Env) -> None:
    before = (await env.http.get(_url(env, "jwks.json"))).headers["etag"]
    await keys.rotate_keys(env.deps, env.pool.id)
    env.clock.advance(2)  # past the one-second key cache
    after = await env.http.get(_url(env, "jwks.json"), headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before


async def test_unknown_pool_is_still_404(env: Env) -> None:
    response = await env.http.get("/us-east-1_nosuchpoo/.well-known/jwks.json", headers={"If-None-Match": "*"})
    assert response.status_code == 404

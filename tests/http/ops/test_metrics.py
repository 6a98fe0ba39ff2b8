"""`/metrics` in Prometheus format: requests by route and status, audited events, tokens, hashing and pool gauges."""

from __future__ import annotations

from pathlib import Path

from cognate.services import clients, pools, users
from cognate.services.authenticate import password_sign_in
from cognate.settings import load_settings
from tests.support.inprocess import in_process_app

HEALTH = 'cognate_http_requests_total{route="/health",status="200"}'


def _value(body: str, series: str) -> float:
    line = next((ln for ln in body.splitlines() if ln.startswith(series + " ")), None)
    return float(line.rsplit(" ", 1)[1]) if line else 0.0


async def test_metrics_count_requests_and_events(tmp_path: Path, database_url: str) -> None:
    settings = load_settings(data_dir=tmp_path, database_url=database_url)
    async with in_process_app(settings, base_url="http://test") as app:
        http, deps = app.http, app.deps
        pool = await pools.create_pool(deps, {"PoolName": "m"})
        client = await clients.create_client(deps, pool.id, {"ClientName": "c"})
        await users.create_user(deps, pool.id, username="u", attributes={}, password="Passw0rd!!", permanent=True)
        await password_sign_in(deps, pool=pool, client=client, username="u", password="Passw0rd!!")
        before = _value((await http.get("/metrics")).text, HEALTH)
        for _ in range(3):
            assert (await http.get("/health")).status_code == 200
        assert (await http.get(f"/{pool.id}/.well-known/jwks.json")).status_code == 200
        body = (await http.get("/metrics")).text
    assert _value(body, HEALTH) == before + 3
    assert _value(body, 'cognate_http_requests_total{route="/{pool_id}/.well-known/jwks.json",status="200"}') >= 1
    assert 'cognate_http_request_seconds_bucket{le="0.001",route="/health"}' in body
    assert 'cognate_events_total{event="sign_in",outcome="success"}' in body
    assert "cognate_password_hash_in_flight 0.0" in body
    assert "cognate_db_connections_in_use" in body

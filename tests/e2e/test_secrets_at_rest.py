"""Private keys and client secrets never sit in the database in clear, and JWKS carries public parts only."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import create_async_engine

from cognate.crypto.keys import private_jwk
from cognate.crypto.sealing import Sealer
from tests.cli.test_pools_clients import make_pool
from tests.support.processes import Cli, Server


async def _dump(url: str) -> str:
    """Every row of every table as text: what a database dump would reveal."""
    engine = create_async_engine(url)
    meta = MetaData()
    async with engine.connect() as conn:
        await conn.run_sync(meta.reflect)
        rows = [json.dumps([str(v) for v in row]) for table in meta.sorted_tables
                for row in (await conn.execute(select(table))).all()]
    await engine.dispose()
    return "\n".join(rows)


def _b64url(value: int) -> str:
    return base64.urlsafe_b64encode(value.to_bytes((value.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()


def test_private_keys_and_secrets_never_in_clear(cli: Cli, server: Server, tmp_path: Path) -> None:
    pool_id = make_pool(cli)
    secret = cli.json("client", "create", pool_id, "web")["UserPoolClient"]["ClientSecret"]
    dump = asyncio.run(_dump(cli.database_url))
    assert secret not in dump
    assert "PRIVATE KEY" not in dump and '"d":' not in dump

    sealer = Sealer((cli.data_dir / "secret.key").read_text())
    assert oct((cli.data_dir / "secret.key").stat().st_mode & 0o777) == "0o600"
    from cognate.domain.keys import SigningKey

    async def keys() -> list[SigningKey]:
        from cognate.store.sql.engine import SqlStore

        store = SqlStore(cli.database_url)
        async with store.transaction() as tx:
            found = list(await tx.keys.list_for_pool(pool_id))
        await store.close()
        return found

    server.start()
    published = httpx.get(f"{server.url}/{pool_id}/.well-known/jwks.json").text
    for key in asyncio.run(keys()):
        private = private_jwk(key, sealer).private_key
        assert isinstance(private, rsa.RSAPrivateKey)
        numbers = private.private_numbers()
        for secret_part in (numbers.d, numbers.p, numbers.q):
            assert _b64url(secret_part) not in dump
            assert _b64url(secret_part) not in published
        assert _b64url(numbers.public_numbers.n) in published

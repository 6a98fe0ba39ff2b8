"""One real `cognate serve` for the whole Cognito JSON API suite, on a fresh SQLite file or PostgreSQL database.

Tests share the server and isolate themselves by creating their own pools (`pool_id`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from tests.conftest import run_database
from tests.e2e.cognito_api._helpers import KEY_ID, REGION, SECRET
from tests.support.processes import Cli, Server, free_port


@pytest.fixture(scope="package")
def api_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like `database_url`, once for the package: PostgreSQL when COGNATE_TEST_DATABASE_URL is set."""
    with run_database(tmp_path_factory, "api") as url:
        yield url


@pytest.fixture(scope="package")
def api_cli(tmp_path_factory: pytest.TempPathFactory, api_database_url: str) -> Cli:
    cli = Cli(data_dir=tmp_path_factory.mktemp("cognito-api-data"), database_url=api_database_url)
    cli.env["COGNATE_ADMIN_ACCESS_KEY_ID"] = KEY_ID
    cli.env["COGNATE_ADMIN_SECRET_ACCESS_KEY"] = SECRET
    # One server for ~40 modules, all from 127.0.0.1, among them attack tests that send hundreds of wrong passwords
    # and codes: the per-address limits would throttle the modules after them. Rate limits have their own tests
    # (tests/e2e/ops/test_rate_limits.py, tests/security/test_rate_limits.py).
    cli.env["COGNATE_RATE_LIMIT_PER_IP"] = "0"
    cli.env["COGNATE_RATE_LIMIT_FAILURES_PER_IP"] = "0"
    return cli


@pytest.fixture(scope="package")
def api_server(api_cli: Cli) -> Iterator[Server]:
    srv = Server(cli=api_cli, port=free_port())
    srv.start()
    yield srv
    srv.kill()
    assert "Traceback" not in srv.log(), "the server logged an unhandled error:\n" + srv.log()[-4000:]


def make_client(url: str, *, key: str = KEY_ID, secret: str = SECRET, **config: Any) -> Any:
    """A boto3 cognito-idp client on Cognate; no retries so a 500 shows up as one."""
    cfg = Config(retries={"total_max_attempts": 1}, **config)
    return boto3.client("cognito-idp", endpoint_url=url, region_name=REGION, aws_access_key_id=key,
                        aws_secret_access_key=secret, config=cfg)


@pytest.fixture(scope="package")
def cognito(api_server: Server) -> Any:
    return make_client(api_server.url)


@pytest.fixture(scope="package")
def unchecked(api_server: Server) -> Any:
    """A client that skips botocore's own parameter checks, so the server's are exercised."""
    return make_client(api_server.url, parameter_validation=False)


@pytest.fixture
def pool_id(cognito: Any) -> str:
    name = f"pool-{uuid.uuid4().hex[:8]}"
    policy = {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True,
              "RequireSymbols": False}
    return str(cognito.create_user_pool(PoolName=name, Policies={"PasswordPolicy": policy})["UserPool"]["Id"])


@pytest.fixture(scope="package")
def public(api_server: Server) -> Any:
    """What an app holds: no AWS credentials at all (botocore sends the user operations unsigned)."""
    return make_client(api_server.url, signature_version=UNSIGNED)


@pytest.fixture(scope="package")
def outbox(api_cli: Cli) -> Path:
    return api_cli.data_dir / "outbox"

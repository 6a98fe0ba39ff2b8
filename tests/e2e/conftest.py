from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import Cli, Server, free_port


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> Cli:
    return Cli(data_dir=tmp_path / "data", database_url=database_url)


@pytest.fixture
def server(cli: Cli) -> Iterator[Server]:
    srv = Server(cli=cli, port=free_port())
    yield srv
    srv.kill()

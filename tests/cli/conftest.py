from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import Cli


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> Cli:
    return Cli(data_dir=tmp_path / "data", database_url=database_url)

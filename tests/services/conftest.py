"""In-process use-case tests: the real store (SQLite or PostgreSQL), a frozen clock, mail kept in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cognate.domain.clock import FrozenClock
from cognate.services.deps import Deps
from cognate.settings import load_settings
from tests.support.inprocess import open_deps
from tests.support.mail import RecordingMailer


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


@pytest.fixture
async def deps(tmp_path: Path, database_url: str, clock: FrozenClock, mailer: RecordingMailer) -> AsyncIterator[Deps]:
    settings = load_settings(data_dir=tmp_path, database_url=database_url)
    async with open_deps(settings, clock=clock, mailer=mailer) as built:
        yield built

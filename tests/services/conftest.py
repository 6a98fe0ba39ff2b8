"""In-process use-case tests: the real store (SQLite or PostgreSQL), a frozen clock, mail kept in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cognate.app import build_deps
from cognate.domain.clock import FrozenClock
from cognate.services.deps import Deps
from cognate.settings import load_settings
from cognate.store.sql.engine import SqlStore
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
    built = build_deps(settings, clock=clock, mailer=mailer)
    assert isinstance(built.store, SqlStore)
    await built.store.migrate()
    yield built
    built.hasher.close()
    await built.store.close()

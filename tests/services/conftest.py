"""In-process use-case tests: the real store (SQLite or PostgreSQL), a frozen clock, mail kept in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cognate.app import build_deps
from cognate.domain.clock import FrozenClock
from cognate.mail.base import Mail
from cognate.services.deps import Deps
from cognate.settings import load_settings
from cognate.store.sql.engine import SqlStore


class MemoryMailer:
    def __init__(self) -> None:
        self.sent: list[Mail] = []

    async def send(self, mail: Mail) -> None:
        self.sent.append(mail)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def mailer() -> MemoryMailer:
    return MemoryMailer()


@pytest.fixture
async def deps(tmp_path: Path, database_url: str, clock: FrozenClock, mailer: MemoryMailer) -> AsyncIterator[Deps]:
    settings = load_settings(data_dir=tmp_path, database_url=database_url)
    built = build_deps(settings, clock=clock, mailer=mailer)
    assert isinstance(built.store, SqlStore)
    await built.store.migrate()
    yield built
    built.hasher.close()
    await built.store.close()

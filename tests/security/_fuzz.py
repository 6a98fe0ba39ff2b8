"""Shared plumbing of the property-based fuzzing modules: hypothesis drives synchronous tests, so the world runs on
its own event loop (`asyncio.Runner`), and every answer is checked the same way."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.security.conftest import World, build_world, close_world

T = TypeVar("T")
FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Every operation of the dispatch table gets its own run: fewer examples each keeps the package fast.
FUZZ_PER_OPERATION = settings(FUZZ, max_examples=15)
# Printable ASCII plus a few troublemakers (quotes, NUL-free controls, non-ASCII, RTL override).
NASTY = st.sampled_from(["", " ", "'", '"', "\\", "%00", "%", "../", "<script>", "\u202e", "\ud7ff", "ä", "null",
                         "-1", "1e309", "{}", "[]", "a" * 300])
TEXT = st.one_of(st.text(max_size=60), NASTY)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)


@dataclass(repr=False)
class Fuzz:
    runner: asyncio.Runner
    world: World

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return "Fuzz(world)"

    def run(self, make: Callable[[], Awaitable[T]]) -> T:
        return self.runner.run(make())  # type: ignore[arg-type]


def fuzz_world(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Fuzz]:
    runner = asyncio.Runner()
    world, _ = runner.run(build_world(Path(tmp_path_factory.mktemp("fuzz")) / "data", database_url))
    try:
        yield Fuzz(runner=runner, world=world)
    finally:
        runner.run(close_world(world))
        runner.close()


def assert_no_crash(response: httpx.Response) -> None:
    """Below 500, and nothing of a stack trace or an exception's repr in the answer."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    body = response.text
    for leak in ("Traceback", 'File "', "Exception:", "sqlalchemy", "asyncpg", "aiosqlite"):
        assert leak not in body, (leak, body[:500])


async def refused_changes_nothing(world: World, send: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
    """Send; when the answer is a refusal (>= 400), the database must be exactly as before."""
    before = await world.fingerprint()
    response = await send()
    assert_no_crash(response)
    if response.status_code >= 400:
        after = await world.fingerprint()
        changed = sorted(name for name in before if before[name] != after.get(name))
        assert not changed, f"refused request ({response.status_code}) changed tables {changed}: {response.text[:300]}"
    return response


def json_values() -> Any:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63),
                        st.floats(allow_nan=False, allow_infinity=False), TEXT)
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(TEXT, inner, max_size=4)), max_leaves=8)

"""argon2id password hashing at OWASP's parameters (m=19 MiB, t=2, p=1), run off the event loop.

A bounded thread pool keeps at most `workers` hashes (19 MiB each) in flight, so a burst of sign-ins
queues here instead of starving the event loop or memory.
"""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

T = TypeVar("T")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=")


def dummy_hash(argon: _Argon2) -> str:
    """A well-formed argon2id hash with `argon`'s parameters that no password matches: verifying against it costs
    what verifying a real hash costs, without spending a hash (CPU and 19 MiB; README "Measured costs") on making
    it at start-up."""
    return (f"$argon2id$v=19$m={argon.memory_cost},t={argon.time_cost},p={argon.parallelism}"
            f"${_b64(os.urandom(argon.salt_len))}${_b64(os.urandom(argon.hash_len))}")


def default_workers() -> int:
    """One fewer than the CPUs, at least one: the event loop (and the load balancer's other work) keeps a core.
    On two cores two hashes at once only fought the event loop for the second core (sign-ins per CPU-second and
    p99: README "Measured costs")."""
    return max(1, (os.cpu_count() or 1) - 1)


class PasswordHasher:
    def __init__(self, *, workers: int | None = None, time_cost: int = 2, memory_cost: int = 19 * 1024) -> None:
        self._argon = _Argon2(time_cost=time_cost, memory_cost=memory_cost, parallelism=1, hash_len=32, salt_len=16)
        self._pool = ThreadPoolExecutor(max_workers=workers or default_workers(), thread_name_prefix="argon2")
        self._dummy = dummy_hash(self._argon)
        self.in_flight = 0  # hashes running or queued, exported as a metric

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        self.in_flight += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
        finally:
            self.in_flight -= 1

    async def hash(self, password: str) -> str:
        return await self._run(self._argon.hash, password)

    async def verify(self, stored: str | None, password: str) -> bool:
        """Constant work whether or not the user exists: a missing hash is checked against a dummy."""
        return await self._run(self._verify, stored, password)

    def _verify(self, stored: str | None, password: str) -> bool:
        try:
            return bool(self._argon.verify(stored or self._dummy, password)) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self._argon.check_needs_rehash(stored)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

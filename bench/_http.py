"""A small HTTP/1.1 keep-alive client on raw asyncio streams, and the bounded closed-loop load driver.

Why not httpx: on this 2-core machine the load generator shares the CPU with the server, and httpx.AsyncClient
spends several times more client CPU per request than these ~100 lines (see README, Benchmarks), so with httpx
the client, not the server, would set the pace of the fast workloads. Only loopback addresses are allowed.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class HttpError(Exception):
    """An answer the workload did not expect (wrong status, missing field) or a broken connection."""


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k == wanted), None)

    def set_cookies(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for k, v in self.headers:
            if k == "set-cookie":
                pair = v.split(";", 1)[0]
                name, _, value = pair.partition("=")
                out[name.strip()] = value.strip()
        return out


class Connection:
    """One keep-alive connection; reconnects once when the server closed an idle connection."""

    def __init__(self, host: str, port: int, *, timeout: float = 30.0) -> None:
        if host not in LOOPBACK:
            raise ValueError(f"benchmarks only talk to loopback, not {host}")
        self.host, self.port, self.timeout = host, port, timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._reader = self._writer = None

    async def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> Response:
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):
            fresh = self._writer is None
            try:
                return await asyncio.wait_for(self._exchange(raw), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                await self.close()
                if fresh or attempt == 2:
                    raise HttpError(f"{method} {path}: {exc!r}") from None
            except TimeoutError:
                await self.close()
                raise HttpError(f"{method} {path}: no answer in {self.timeout} s") from None
        raise AssertionError("unreachable")

    async def _exchange(self, raw: bytes) -> Response:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        self._writer.write(raw)
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = [(k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:] if line)]
        response = Response(status, headers, b"")
        length = response.header("content-length")
        if length is not None:
            response.body = await self._reader.readexactly(int(length))
        elif (response.header("transfer-encoding") or "").lower() == "chunked":
            response.body = await self._chunked()
        if (response.header("connection") or "").lower() == "close":
            await self.close()
        return response

    async def _chunked(self) -> bytes:
        assert self._reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)


Operation = Callable[[Connection], Awaitable[None]]


@dataclass
class LoadResult:
    operations: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_error: str | None = None

    @property
    def per_second(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency in ms at percentile p (nearest rank)."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else 0.0


async def drive(host: str, port: int, operation: Operation, *, concurrency: int, duration: float,
                max_operations: int, max_errors: int = 50) -> LoadResult:
    """Closed loop: `concurrency` workers, each on its own connection, repeat `operation` until the time or the
    operation budget is spent, or too many errors happened. Every loop is bounded in count and time."""
    result = LoadResult()
    started = time.perf_counter()
    deadline = started + duration

    async def worker() -> None:
        conn = Connection(host, port)
        try:
            while time.perf_counter() < deadline and result.operations + result.errors < max_operations:
                if result.errors >= max_errors:
                    return
                t0 = time.perf_counter()
                try:
                    await operation(conn)
                except HttpError as exc:
                    result.errors += 1
                    result.first_error = result.first_error or str(exc)[:300]
                    await conn.close()
                    continue
                result.latencies.append(time.perf_counter() - t0)
                result.operations += 1
        finally:
            await conn.close()

    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), duration + 60)
    result.seconds = time.perf_counter() - started
    return result


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise HttpError(f"{what}: HTTP {response.status} (wanted {status}): {response.body[:200]!r}")
    return response

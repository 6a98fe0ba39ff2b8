"""Processes under test: starting and stopping them by PID, their CPU time and memory from /proc, free ports,
and throw-away PostgreSQL databases."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from _http import Connection, HttpError

TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    """Direct and indirect child processes (uvicorn workers, if any)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(entry.name)
            found += [child, *_children(child)]
    return found


def _own_cpu(pid: int) -> float:
    """utime + stime + cutime + cstime of one process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICKS


def postgres_cpu_seconds() -> float:
    """CPU of every local PostgreSQL process (backends, WAL writer, ...): with `--database postgresql` the
    database does part of the server's work, so it is counted as server CPU (nothing else uses it meanwhile)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, _, rest = (entry / "stat").read_text().rpartition(")")
            if head.split("(", 1)[1] == "postgres":
                total += sum(int(f) for f in rest.split()[11:13]) / TICKS
        except (OSError, IndexError):
            continue
    return total


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            total += _own_cpu(p)
        except OSError:
            continue
    return total


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def rss_mb(pid: int) -> float:
    return sum(_status_kb(p, "VmRSS") for p in [pid, *_children(pid)]) / 1024


def peak_rss_mb(pid: int) -> float:
    return sum(_status_kb(p, "VmHWM") for p in [pid, *_children(pid)]) / 1024


def reset_peak(pid: int) -> bool:
    """Writing 5 to clear_refs resets VmHWM (Linux >= 4.0), so each workload gets its own peak."""
    ok = True
    for p in [pid, *_children(pid)]:
        try:
            Path(f"/proc/{p}/clear_refs").write_text("5")
        except OSError:
            ok = False
    return ok


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    started_at: float

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM to our own child by PID, then SIGKILL if it does not leave in time."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def spawn(name: str, argv: Sequence[str], *, env: dict[str, str], port: int, log: Path,
          cwd: Path | None = None) -> Server:
    handle = log.open("ab")
    started = time.perf_counter()
    process = subprocess.Popen(list(argv), env=env, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    handle.close()
    return Server(name, process, port, log, started)


async def wait_for_200(server: Server, path: str, *, timeout: float = 30.0) -> float:
    """Seconds from spawn to the first 200 on `path`, polling every 5 ms (bounded by `timeout`)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}; see {server.log}")
        conn = Connection("127.0.0.1", server.port, timeout=5)
        try:
            if (await conn.request("GET", path)).status == 200:
                return time.perf_counter() - server.started_at
        except (HttpError, OSError):
            pass
        finally:
            await conn.close()
        await asyncio.sleep(0.005)
    raise RuntimeError(f"{server.name} gave no 200 on {path} within {timeout} s; see {server.log}")


async def create_pg_database(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def settle_postgres(admin_url: str, *, timeout: float = 60.0) -> float:
    """Wait (bounded) until no autovacuum worker runs, so one workload's vacuum of the rows the previous one
    wrote is not counted as the next one's server CPU; the seconds waited."""
    import asyncpg

    started = time.perf_counter()
    conn = await asyncpg.connect(admin_url)
    try:
        while time.perf_counter() - started < timeout:
            busy = await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
            if not busy:
                break
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    return time.perf_counter() - started


async def drop_pg_database(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        await conn.close()

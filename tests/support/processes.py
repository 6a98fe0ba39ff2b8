"""Running the real `cognate` command: one-shot CLI calls and a `cognate serve` process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

COGNATE = shutil.which("cognate", path=str(Path(sys.executable).parent)) or "cognate"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cli:
    data_dir: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    create_database: bool = True  # tests start from empty data dirs: their first command may create the database
    cwd: Path | None = None

    def environ(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith("COGNATE_")}
        create = {"COGNATE_CREATE_DATABASE": "1"} if self.create_database else {}
        return {**base, "COGNATE_DATA_DIR": str(self.data_dir), "COGNATE_DATABASE_URL": self.database_url,
                **create, **self.env}

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([COGNATE, *args], capture_output=True, text=True, env=self.environ(), timeout=60,
                              stdin=subprocess.DEVNULL, cwd=self.cwd)
        if check and proc.returncode != 0:
            raise AssertionError(f"cognate {' '.join(args)} failed ({proc.returncode}): {proc.stderr}{proc.stdout}")
        return proc

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)

    def fails(self, *args: str) -> str:
        """Run a command that must fail cleanly: non-zero exit, one `error:` line, no traceback."""
        proc = self.run(*args, check=False)
        assert proc.returncode != 0, proc.stdout
        assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
        return lines[0]


@dataclass
class Server:
    cli: Cli
    port: int
    process: subprocess.Popen[str] | None = None
    args: tuple[str, ...] = ()
    executable: str = COGNATE  # another installation's `cognate` (the wheel test's fresh venv)
    cwd: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        env = {**self.cli.environ(), "COGNATE_PORT": str(self.port), "COGNATE_HOST": "127.0.0.1"}
        self.cli.data_dir.mkdir(parents=True, exist_ok=True)
        # The child gets its own copy of the log's descriptor: the parent's is closed at once (not left to the
        # garbage collector, which warns about it as an unclosed file).
        with open(self.cli.data_dir / "server.log", "a") as log:
            self.process = subprocess.Popen([self.executable, "serve", *self.args], env=env, stdout=log,
                                            cwd=self.cwd, stderr=subprocess.STDOUT, text=True,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise AssertionError(f"server did not start:\n{self.log()}")

    def stop(self, timeout: float = 30.0) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self.process = None
        return code

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        path = self.cli.data_dir / "server.log"
        return path.read_text() if path.exists() else ""

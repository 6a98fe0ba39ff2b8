"""Structured logs (one JSON object per line) and the access log.

The access log writes its lines straight to stderr in batches (at most `ACCESS_FLUSH_SECONDS` late, and at
shutdown) instead of through `logging`: a `LogRecord` per request cost about 50 µs, as much as the whole HTTP
exchange of a JWKS GET (bench/run.py workload 4). It follows the `cognate.access` logger's level, so
`COGNATE_LOG_LEVEL=warning` turns it off.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from typing import Any, TextIO

access_logger = logging.getLogger("cognate.access")
ACCESS_FLUSH_SECONDS = 0.2
ACCESS_MAX_LINES = 512


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update(getattr(record, "fields", {}))
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # alembic: a line per migration at info on every first start is chatter (`cognate db status` tells the state)
    for noisy in ("uvicorn.access", "sqlalchemy.engine", "aiosqlite", "asyncio", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    ACCESS_LOG.stream = sys.stderr


class AccessLog:
    """One JSON line per request, in the shape `JsonFormatter` gives (`logger` "cognate.access", `msg` "request").

    Without a configured stream (in-process tests, the CLI) the lines go through `logging` as before."""

    def __init__(self) -> None:
        self.stream: TextIO | None = None
        self._lines: list[str] = []
        self._flush_at: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def enabled(self) -> bool:
        return access_logger.isEnabledFor(logging.INFO)

    def write(self, fields: str) -> None:
        """`fields`: the request's members as JSON object text without braces (formatted by the caller, since
        `json.dumps` of a dict cost more than the rest of a JWKS request)."""
        if self.stream is None:
            access_logger.info("request", extra={"fields": json.loads("{" + fields + "}")})
            return
        self._lines.append(f'{{"ts": {time.time():.3f}, "level": "info", "logger": "cognate.access", '
                           f'"msg": "request", {fields}}}')
        loop = asyncio.get_running_loop()
        if len(self._lines) >= ACCESS_MAX_LINES:
            self.flush()
        elif self._flush_at is None or self._loop is not loop:  # (a timer of a loop since closed never fires)
            self._loop, self._flush_at = loop, loop.call_later(ACCESS_FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        if self._flush_at is not None:
            self._flush_at.cancel()
            self._flush_at = None
        lines, self._lines = self._lines, []
        if lines and self.stream is not None:
            try:
                self.stream.write("\n".join(lines) + "\n")
                self.stream.flush()
            except (OSError, ValueError):  # stderr closed at exit: the lines have nowhere to go
                pass


ACCESS_LOG = AccessLog()

"""Logs on stderr, as JSON lines (for collectors) or readable text lines (for a terminal), and the access log.

`COGNATE_LOG_FORMAT` chooses; `auto` means text when stderr is a terminal, JSON otherwise. Text lines escape
control characters, since a request path can carry them (percent-decoded) to an operator's terminal.

The access log writes its lines straight to stderr in batches (at most `ACCESS_FLUSH_SECONDS` late, and at
shutdown) instead of through `logging`: a `LogRecord` per request cost as much as the whole HTTP exchange of a
JWKS GET (README "Measured costs"). It follows the `cognate.access` logger's level, so
`COGNATE_LOG_LEVEL=warning` turns it off. Each line names the method, path (never the query string: it can hold
codes and tokens), status, duration and request id, and where the surface set them the JSON API operation and
the reason of a refusal (a Cognito exception name or an OAuth error code): never a secret, password, code or token.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from json.encoder import encode_basestring_ascii as quoted  # a JSON string literal, in C
from typing import Any, TextIO

access_logger = logging.getLogger("cognate.access")
ACCESS_FLUSH_SECONDS = 0.2
ACCESS_MAX_LINES = 512
QUIET = ("uvicorn.access", "sqlalchemy.engine", "aiosqlite", "asyncio", "alembic")


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


def printable(text: str) -> str:
    """`text` with control characters escaped (`\\x1b`), so a line cannot drive the terminal or fake another line."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _clock(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at)) + f".{int(at * 1000) % 1000:03d}"


def _text_value(value: Any) -> str:
    text = str(value)
    return json.dumps(text) if not text or " " in text or '"' in text else printable(text)


class TextFormatter(logging.Formatter):
    """`12:00:01.234 INFO    logger: message key=value ...`, and the traceback below when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        fields = "".join(f" {k}={_text_value(v)}" for k, v in getattr(record, "fields", {}).items())
        line = f"{_clock(record.created)} {record.levelname:<7} {record.name}: {printable(record.getMessage())}{fields}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def wants_text(log_format: str, stream: TextIO) -> bool:
    if log_format == "auto":
        try:
            return stream.isatty()
        except ValueError:  # a closed stream
            return False
    return log_format == "text"


def configure_logging(level: str, log_format: str = "auto") -> None:
    text = wants_text(log_format, sys.stderr)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TextFormatter() if text else JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # alembic: a line per migration at info on every first start is chatter (`cognate db status` tells the state)
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    ACCESS_LOG.stream, ACCESS_LOG.text = sys.stderr, text


class AccessLog:
    """One line per request: JSON in the shape `JsonFormatter` gives (`logger` "cognate.access", `msg` "request"),
    or a text line `12:00:01.234 INFO    POST / InitiateAuth 400 NotAuthorizedException 3.2 ms`.

    Without a configured stream (in-process tests, the CLI) the lines go through `logging` as before."""

    def __init__(self) -> None:
        self.stream: TextIO | None = None
        self.text = False
        self._lines: list[str] = []
        self._flush_at: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def enabled(self) -> bool:
        return access_logger.isEnabledFor(logging.INFO)

    def write(self, request_id: str, method: str, path: str, status: int, ms: float, operation: str | None = None,
              reason: str | None = None) -> None:
        """`operation` (the JSON API's X-Amz-Target operation) and `reason` are added when given."""
        if self.stream is None:
            fields: dict[str, Any] = {"request_id": request_id, "method": method, "path": path, "status": status,
                                      "ms": round(ms, 2)}
            fields.update({k: v for k, v in (("operation", operation), ("reason", reason)) if v})
            access_logger.info("request", extra={"fields": fields})
            return
        self._lines.append(self._text(method, path, status, ms, operation, reason) if self.text else
                           self._json(request_id, method, path, status, ms, operation, reason))
        loop = asyncio.get_running_loop()
        if len(self._lines) >= ACCESS_MAX_LINES:
            self.flush()
        elif self._flush_at is None or self._loop is not loop:  # (a timer of a loop since closed never fires)
            self._loop, self._flush_at = loop, loop.call_later(ACCESS_FLUSH_SECONDS, self.flush)

    @staticmethod
    def _json(request_id: str, method: str, path: str, status: int, ms: float, operation: str | None,
              reason: str | None) -> str:
        """Formatted by hand: `json.dumps` of a dict cost more than the rest of a JWKS request."""
        line = (f'{{"ts": {time.time():.3f}, "level": "info", "logger": "cognate.access", "msg": "request", '
                f'"request_id": "{request_id}", "method": {quoted(method)}, "path": {quoted(path)}, '
                f'"status": {status}, "ms": {ms:.2f}')
        if operation:
            line += f', "operation": {quoted(operation)}'
        if reason:
            line += f', "reason": {quoted(reason)}'
        return line + "}"

    @staticmethod
    def _text(method: str, path: str, status: int, ms: float, operation: str | None, reason: str | None) -> str:
        what = f"{printable(method)} {printable(path)}" + (f" {printable(operation)}" if operation else "")
        outcome = f"{status}" + (f" {printable(reason)}" if reason else "")
        return f"{_clock(time.time())} INFO    {what} {outcome} {ms:.1f} ms"

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

"""The batched access log: valid JSON lines in `JsonFormatter`'s shape (or readable text lines), written at the latest
after a timer, at a size threshold, or at flush (shutdown); nothing lost between loops."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest

from cognate.web.logging import ACCESS_FLUSH_SECONDS, ACCESS_MAX_LINES, AccessLog, TextFormatter, wants_text


def fields(n: int, path: str = "/x") -> tuple[str, str, str, int, float]:
    return f"id-{n}", "GET", path, 200, 0.5


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_lines_wait_for_the_timer_and_are_json_objects() -> None:
    log, out = AccessLog(), io.StringIO()
    log.stream = out
    log.write(*fields(1, '/p"ath\\é'))
    assert out.getvalue() == ""
    await asyncio.sleep(ACCESS_FLUSH_SECONDS * 2)
    [line] = lines(out)
    assert line["logger"] == "cognate.access" and line["msg"] == "request" and line["level"] == "info"
    assert line["path"] == '/p"ath\\é' and line["status"] == 200 and isinstance(line["ts"], float)


async def test_a_full_batch_goes_at_once_and_flush_writes_the_rest() -> None:
    log, out = AccessLog(), io.StringIO()
    log.stream = out
    for n in range(ACCESS_MAX_LINES + 3):
        log.write(*fields(n))
    assert len(lines(out)) == ACCESS_MAX_LINES
    log.flush()
    assert [line["request_id"] for line in lines(out)][-3:] == [f"id-{n}" for n in range(ACCESS_MAX_LINES,
                                                                                          ACCESS_MAX_LINES + 3)]


def test_a_timer_of_a_closed_loop_does_not_strand_lines() -> None:
    log, out = AccessLog(), io.StringIO()
    log.stream = out

    async def one(n: int) -> None:
        log.write(*fields(n))

    asyncio.run(one(1))  # its loop closes before the timer fires

    async def two() -> None:
        log.write(*fields(2))
        await asyncio.sleep(ACCESS_FLUSH_SECONDS * 2)

    asyncio.run(two())
    assert [line["request_id"] for line in lines(out)] == ["id-1", "id-2"]


def test_the_operation_and_reason_are_named_when_given() -> None:
    log, out = AccessLog(), io.StringIO()
    log.stream = out

    async def two() -> None:
        log.write("id-1", "POST", "/", 400, 3.25, "InitiateAuth", "NotAuthorizedException")
        log.write("id-2", "GET", "/health", 200, 0.1)
        log.flush()

    asyncio.run(two())
    failed, ok = lines(out)
    assert (failed["operation"], failed["reason"], failed["status"]) == ("InitiateAuth", "NotAuthorizedException", 400)
    assert "operation" not in ok and "reason" not in ok


def test_text_lines_are_readable_and_escape_control_characters() -> None:
    log, out = AccessLog(), io.StringIO()
    log.stream, log.text = out, True

    async def two() -> None:
        log.write("id-1", "POST", "/", 400, 3.25, "InitiateAuth", "NotAuthorizedException")
        log.write("id-2", "GET", "/a\x1b[2J\nfake", 404, 0.5)
        log.flush()

    asyncio.run(two())
    api, odd = out.getvalue().splitlines()
    assert api.endswith(" INFO    POST / InitiateAuth 400 NotAuthorizedException 3.2 ms"), api
    assert odd.endswith(" GET /a\\x1b[2J\\nfake 404 0.5 ms"), odd


def test_text_records_carry_their_fields() -> None:
    record = logging.LogRecord("cognate.pools", logging.WARNING, __file__, 1, "setting ignored", None, None)
    record.fields = {"ignored": "LambdaConfig", "pool": "us-east-1_abc", "note": "two words"}
    line = TextFormatter().format(record)
    assert line.endswith(' WARNING cognate.pools: setting ignored ignored=LambdaConfig pool=us-east-1_abc '
                         'note="two words"'), line


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("setting", "terminal", "text"), [
    ("auto", True, True), ("auto", False, False), ("text", False, True), ("json", True, False)])
def test_the_format_follows_the_setting_and_auto_follows_the_terminal(setting: str, terminal: bool,
                                                                     text: bool) -> None:
    assert wants_text(setting, Tty() if terminal else io.StringIO()) is text

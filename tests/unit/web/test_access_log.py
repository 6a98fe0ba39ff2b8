"""The batched access log: valid JSON lines in `JsonFormatter`'s shape, written at the latest after a timer, at a
size threshold, or at flush (shutdown); nothing lost between loops."""

from __future__ import annotations

import asyncio
import io
import json

from cognate.web.logging import ACCESS_FLUSH_SECONDS, ACCESS_MAX_LINES, AccessLog


def fields(n: int, path: str = "/x") -> str:
    return f'"request_id": "id-{n}", "method": "GET", "path": {json.dumps(path)}, "status": 200, "ms": 0.50'


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_lines_wait_for_the_timer_and_are_json_objects() -> None:
    log, out = AccessLog(), io.StringIO()
    log.stream = out
    log.write(fields(1, '/p"ath\\é'))
    assert out.getvalue() == ""
    await asyncio.sleep(ACCESS_FLUSH_SECONDS * 2)
    [line] = lines(out)
    assert line["logger"] == "cognate.access" and line["msg"] == "request" and line["level"] == "info"
    assert line["path"] == '/p"ath\\é' and line["status"] == 200 and isinstance(line["ts"], float)


async def test_a_full_batch_goes_at_once_and_flush_writes_the_rest() -> None:
    log, out = AccessLog(), io.StringIO()
    log.stream = out
    for n in range(ACCESS_MAX_LINES + 3):
        log.write(fields(n))
    assert len(lines(out)) == ACCESS_MAX_LINES
    log.flush()
    assert [line["request_id"] for line in lines(out)][-3:] == [f"id-{n}" for n in range(ACCESS_MAX_LINES,
                                                                                          ACCESS_MAX_LINES + 3)]


def test_a_timer_of_a_closed_loop_does_not_strand_lines() -> None:
    log, out = AccessLog(), io.StringIO()
    log.stream = out

    async def one(n: int) -> None:
        log.write(fields(n))

    asyncio.run(one(1))  # its loop closes before the timer fires

    async def two() -> None:
        log.write(fields(2))
        await asyncio.sleep(ACCESS_FLUSH_SECONDS * 2)

    asyncio.run(two())
    assert [line["request_id"] for line in lines(out)] == ["id-1", "id-2"]

"""Draw cognate/hosted_ui/static/favicon.ico: a 32x32 PNG inside an ICO (no image library needed).

A rounded square in the hosted UI's primary blue with a white ring open to the right (a "C").
Run: python3 scripts/make_favicon.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZE = 32
BLUE = (0x1A, 0x56, 0xC4)
OUT = Path(__file__).resolve().parents[1] / "cognate" / "hosted_ui" / "static" / "favicon.ico"


def _pixel(x: float, y: float) -> tuple[int, int, int, int]:
    c = SIZE / 2
    corner = 7.0
    dx, dy = max(abs(x - c) - (c - corner), 0.0), max(abs(y - c) - (c - corner), 0.0)
    if math.hypot(dx, dy) > corner:
        return (0, 0, 0, 0)
    r = math.hypot(x - c, y - c)
    angle = math.degrees(math.atan2(y - c, x - c))
    if 6.5 <= r <= 11.0 and abs(angle) > 40:
        return (255, 255, 255, 255)
    return (*BLUE, 255)


def _png() -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(_pixel(x + 0.5, y + 0.5)) for x in range(SIZE)) for y in range(SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def main() -> None:
    png = _png()
    directory = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(png), 22)
    OUT.write_bytes(directory + png)
    print(f"wrote {OUT} ({len(directory) + len(png)} bytes)")


if __name__ == "__main__":
    main()

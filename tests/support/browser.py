"""Debian's Chromium driven by Playwright (never a downloaded browser): the one launch every browser test uses."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.conftest import need

CHROMIUM = "/usr/bin/chromium"
# Headless, and nothing that reaches for the network on its own: this machine's closed network refuses it.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched Chromium (`playwright.sync_api.Browser`), closed afterwards; missing pieces skip (fail in strict
    mode) with what to install."""
    need(shutil.which(CHROMIUM) is not None, f"Debian's chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed (pip install playwright; no `playwright install` needed)")
        raise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()

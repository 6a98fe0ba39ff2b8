"""The home page names README sections by their anchors; each must be a heading of the README that ships."""

from __future__ import annotations

import re
from pathlib import Path

from cognate.hosted_ui.home import README_SECTIONS, anchor, lists_pools

README = Path(__file__).resolve().parents[3] / "README.md"


def test_every_readme_section_named_on_the_home_page_is_a_heading_of_the_readme() -> None:
    headings = set(re.findall(r"^## (.+)$", README.read_text(), flags=re.MULTILINE))
    assert set(README_SECTIONS) <= headings, set(README_SECTIONS) - headings
    assert anchor("Using Cognate instead of Cognito in tests and CI") == \
        "using-cognate-instead-of-cognito-in-tests-and-ci"
    assert anchor("The hosted-UI guide, step by step, with the CLI") == "the-hosted-ui-guide-step-by-step-with-the-cli"


def test_pools_are_listed_on_loopback_public_urls_only() -> None:
    for url in ("http://127.0.0.1:9229", "http://localhost:9229", "http://[::1]:9229", "http://demo.auth.localhost"):
        assert lists_pools(url), url
    for url in ("https://id.example.com", "http://10.0.0.5:9229", "https://localhost.example.com"):
        assert not lists_pools(url), url

"""Branding values are validated and round-trip through the pool's stored JSON."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cognate.domain.branding import Branding, build_branding
from cognate.domain.errors import InvalidParameterException
from cognate.domain.pools import build_pool, pool_from_stored, pool_to_stored, update_pool


def test_round_trip_through_stored_json() -> None:
    pool = build_pool("us-east-1_abcdefghi", {"PoolName": "p"}, 1.0)
    branded = replace(pool, branding=build_branding(logo_url="https://x.example/l.png", primary_color="#AABBCC",
                                                    css="a{}"))
    stored = pool_to_stored(branded)
    assert stored["CognateBranding"] == {"LogoUrl": "https://x.example/l.png", "PrimaryColor": "#aabbcc", "Css": "a{}"}
    assert pool_from_stored(pool.id, stored, 1.0, 2.0).branding == branded.branding
    assert "CognateBranding" not in pool_to_stored(pool)
    assert pool_from_stored(pool.id, pool_to_stored(pool), 1.0, 2.0).branding is None
    assert update_pool(branded, {}, 3.0).branding == branded.branding


@pytest.mark.parametrize("kwargs", [{"primary_color": "#abc"}, {"background_color": "blue"},
                                    {"logo_url": "ftp://x.example/l.png"}, {"logo_url": "https:///nohost"},
                                    {"css": "x" * (64 * 1024 + 1)}])
def test_invalid_values(kwargs: dict[str, str]) -> None:
    with pytest.raises(InvalidParameterException):
        build_branding(**kwargs)


def test_localhost_logo_and_empty_values() -> None:
    assert build_branding(logo_url="http://localhost:8000/l.png").logo_url == "http://localhost:8000/l.png"
    assert build_branding(logo_url="", primary_color="") == Branding()

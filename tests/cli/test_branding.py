"""`cognate pool branding`: set, keep, remove and refuse a pool's hosted-UI look."""

from __future__ import annotations

from pathlib import Path

from tests.support.images import png
from tests.support.processes import Cli


def test_branding_command(cli: Cli, tmp_path: Path) -> None:
    pool_id = str(cli.json("pool", "create", "brand")["UserPool"]["Id"])
    css = tmp_path / "brand.css"
    css.write_text(".card { border-radius: 0; }\n")
    out = cli.json("pool", "branding", pool_id, "--logo-url", "https://cdn.example.com/logo.svg",
                   "--primary-color", "#0A7C3E", "--css-file", str(css))
    assert out["Branding"] == {"LogoUrl": "https://cdn.example.com/logo.svg", "PrimaryColor": "#0a7c3e",
                               "BackgroundColor": None, "CssBytes": 28}
    kept = cli.json("pool", "branding", pool_id, "--background-color", "#f0f0f0")["Branding"]
    assert kept["PrimaryColor"] == "#0a7c3e" and kept["BackgroundColor"] == "#f0f0f0"
    cli.run("pool", "update", pool_id, "--password-min-length", "10")  # other settings leave branding alone
    assert cli.json("pool", "branding", pool_id)["Branding"]["LogoUrl"] == "https://cdn.example.com/logo.svg"
    assert "colour like #1a73e8" in cli.fails("pool", "branding", pool_id, "--primary-color", "green")
    assert "https://" in cli.fails("pool", "branding", pool_id, "--logo-url", "http://cdn.example.com/x.png")
    assert "cannot read" in cli.fails("pool", "branding", pool_id, "--css-file", str(tmp_path / "missing.css"))
    cleared = cli.json("pool", "branding", pool_id, "--clear")["Branding"]
    assert set(cleared.values()) == {None}


def test_ui_customization_command(cli: Cli, tmp_path: Path) -> None:
    pool_id = str(cli.json("pool", "create", "classic")["UserPool"]["Id"])
    css, logo = tmp_path / "classic.css", tmp_path / "logo.png"
    css.write_text(".submitButton-customizable { background-color: #337ab7; }\n")
    logo.write_bytes(png(8, 8, (1, 2, 3)))
    assert "existing domain" in cli.fails("pool", "ui-customization", pool_id, "--css-file", str(css))
    cli.run("domain", "create", pool_id, f"classic-{pool_id[-6:].lower()}")
    out = cli.json("pool", "ui-customization", pool_id, "--css-file", str(css), "--image-file", str(logo))
    custom = out["UICustomization"]
    assert custom["ClientId"] == "ALL" and custom["CSS"] == "58 characters" and custom["Logo"].startswith("png, ")
    assert "not allowed" in cli.fails("pool", "ui-customization", pool_id, "--css-file", str(_file(tmp_path)))
    assert "PNG or JPEG" in cli.fails("pool", "ui-customization", pool_id, "--image-file", str(css))
    assert "does not exist" in cli.fails("pool", "ui-customization", pool_id, "--client-id", "nosuchclient1")
    cleared = cli.json("pool", "ui-customization", pool_id)["UICustomization"]
    assert cleared["CSS"] is None and cleared["Logo"] is None


def _file(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.css"
    bad.write_text("body { color: red; }\n")
    return bad

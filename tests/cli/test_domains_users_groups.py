"""The real `cognate` command: domains, users, groups, keys, config and db."""

from __future__ import annotations

import json
import secrets

from tests.cli.test_pools_clients import make_pool
from tests.support.processes import Cli


def test_domain_commands(cli: Cli) -> None:
    first, second = make_pool(cli, "a"), make_pool(cli, "b")
    assert "valid and available" in cli.run("domain", "check", "myapp").stdout
    created = cli.json("domain", "create", first, "myapp")
    assert created["URL"] == "http://myapp.auth.localhost:9229"
    assert "Domain already associated with another user pool." in cli.fails("domain", "create", second, "myapp")
    assert "already associated" in cli.fails("domain", "check", "myapp")
    assert "already has a domain" in cli.fails("domain", "create", first, "other")
    assert "reserved word: cognito" in cli.fails("domain", "create", second, "my-cognito")
    assert "invalid character" in cli.fails("domain", "create", second, "My_App")
    assert "invalid character" in cli.fails("domain", "check", "--", "-bad")
    shown = cli.json("domain", "show", "myapp")
    assert shown["UserPoolId"] == first and shown["Status"] == "ACTIVE" and shown["URL"] == created["URL"]
    custom = cli.json("domain", "create", second, "auth.example.com", "--certificate-arn",
                      "arn:aws:acm:us-east-1:123456789012:certificate/abc")
    assert custom["URL"] == "https://auth.example.com" and custom["Kind"] == "custom"
    assert [d["Domain"] for d in cli.json("domain", "show", "--pool", second)] == ["auth.example.com"]
    cli.run("domain", "delete", first, "myapp")
    assert "valid and available" in cli.run("domain", "check", "myapp").stdout


def test_user_commands(cli: Cli) -> None:
    pool_id = make_pool(cli, "users", "--alias-attribute", "email")
    created = cli.json("user", "create", pool_id, "alice", "--email", "alice@example.com", "--email-verified",
                       "-a", "given_name=Alice")
    assert created["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert len(created["TemporaryPassword"]) >= 12
    cli.run("user", "create", pool_id, "bob", "--password", "Sup3r-secret!", "--permanent", "--email",
            "bob@example.com")
    assert "UsernameExistsException" in cli.fails("user", "create", pool_id, "alice", "--password", "Passw0rd!")
    assert "InvalidPasswordException" in cli.fails("user", "create", pool_id, "carol", "--password", "short")
    assert "email format" in cli.fails("user", "create", pool_id, "carol@example.com")
    assert "AliasExistsException" in cli.fails("user", "create", pool_id, "alice2", "--email",
                                               "alice@example.com", "--email-verified")

    by_alias = cli.json("user", "show", pool_id, "alice@example.com")
    assert by_alias["Username"] == "alice"
    names = [u["Username"] for u in cli.json("user", "list", pool_id, "--filter", 'given_name = "Alice"')]
    assert names == ["alice"]
    assert [u["Username"] for u in cli.json("user", "list", pool_id)] == ["alice", "bob"]
    assert "parsing filter" in cli.fails("user", "list", pool_id, "--filter", "email == bob")

    cli.run("user", "set-password", pool_id, "alice", "--password", "N3w-password!", "--permanent")
    assert cli.json("user", "show", pool_id, "alice")["UserStatus"] == "CONFIRMED"
    cli.run("user", "disable", pool_id, "bob")
    assert cli.json("user", "show", pool_id, "bob")["Enabled"] is False
    assert [u["Username"] for u in cli.json("user", "list", pool_id, "--filter", 'status = "Disabled"')] == ["bob"]
    cli.run("user", "enable", pool_id, "bob")
    cli.run("user", "update", pool_id, "bob", "-a", "family_name=Builder")
    attrs = {a["Name"]: a["Value"] for a in cli.json("user", "show", pool_id, "bob")["UserAttributes"]}
    assert attrs["family_name"] == "Builder"
    cli.run("user", "delete", pool_id, "bob", "--yes")
    assert "UserNotFoundException" in cli.fails("user", "show", pool_id, "bob")


def test_group_commands(cli: Cli) -> None:
    pool_id = make_pool(cli)
    cli.run("user", "create", pool_id, "dana", "--password", "Passw0rd!x", "--permanent")
    group = cli.json("group", "create", pool_id, "admins", "--precedence", "1", "--description", "Admins")["Group"]
    assert group["Precedence"] == 1
    assert "GroupExistsException" in cli.fails("group", "create", pool_id, "admins")
    cli.run("group", "add-user", pool_id, "admins", "dana")
    assert [u["Username"] for u in cli.json("group", "members", pool_id, "admins")] == ["dana"]
    assert [g["GroupName"] for g in cli.json("group", "of-user", pool_id, "dana")] == ["admins"]
    cli.run("group", "update", pool_id, "admins", "--precedence", "5")
    shown = cli.json("group", "show", pool_id, "admins")["Group"]
    assert shown["Precedence"] == 5 and shown["Description"] == "Admins"
    cli.run("group", "remove-user", pool_id, "admins", "dana")
    assert cli.json("group", "members", pool_id, "admins") == []
    cli.run("group", "delete", pool_id, "admins")
    assert cli.json("group", "list", pool_id) == []
    assert "ResourceNotFoundException" in cli.fails("group", "show", pool_id, "admins")


def test_keys_config_and_db(cli: Cli) -> None:
    pool_id = make_pool(cli)
    keys = cli.json("keys", "list", pool_id)
    assert sorted(k["purpose"] for k in keys) == ["access", "id"]
    assert all(len(k["kid"]) == 44 and k["kid"].endswith("=") for k in keys)
    first = {k["kid"] for k in keys}
    rotated = cli.json("keys", "rotate", pool_id, "--publish-for", "0")
    assert {k["kid"]: k["status"] for k in rotated} == {
        k["kid"]: "retired" if k["kid"] in first else "active" for k in rotated}
    assert {k["kid"] for k in cli.json("keys", "list", pool_id)} == {k["kid"] for k in rotated}
    staged = cli.json("keys", "rotate", pool_id)  # default: published first, signing in 5 minutes
    assert sorted(k["status"] for k in staged if k["kid"] not in {r["kid"] for r in rotated}) == ["pending"] * 2
    assert sorted(k["status"] for k in staged if k["kid"] in {r["kid"] for r in rotated} - first) == ["active"] * 2

    key = secrets.token_urlsafe(48)
    cli.env["COGNATE_SECRET_KEY"] = key
    config = cli.json("config", "show")
    assert config["secret_key"] == "<set>" and key not in json.dumps(config)
    for weak in ("changeme", "a-very-long-and-random-master-key"):  # the second passed before issue 12
        cli.env["COGNATE_SECRET_KEY"] = weak
        assert "COGNATE_SECRET_KEY" in cli.fails("config", "show")
    del cli.env["COGNATE_SECRET_KEY"]
    assert "up to date" in cli.run("db", "upgrade").stdout
    assert "migrations current: True" in cli.run("db", "status").stdout

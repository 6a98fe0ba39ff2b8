"""The real `cognate` command: pools, clients and their validation failures (one line, non-zero exit)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.support.processes import Cli


def make_pool(cli: Cli, name: str = "app", *args: str) -> str:
    return str(cli.json("pool", "create", name, *args)["UserPool"]["Id"])


def test_pool_lifecycle(cli: Cli) -> None:
    pool_id = make_pool(cli, "shop", "--username-attribute", "email", "--required-attribute", "email",
                        "--custom-attribute", "tenant", "--password-min-length", "10")
    assert pool_id.startswith("us-east-1_") and len(pool_id.split("_")[1]) == 9
    described = cli.json("pool", "show", pool_id)["UserPool"]
    assert described["Name"] == "shop"
    assert described["UsernameAttributes"] == ["email"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert any(a["Name"] == "custom:tenant" for a in described["SchemaAttributes"])
    assert [p["Id"] for p in cli.json("pool", "list")] == [pool_id]

    cli.run("pool", "update", pool_id, "--password-min-length", "12", "--no-require-symbols")
    policy = cli.json("pool", "show", pool_id)["UserPool"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 12 and policy["RequireSymbols"] is False and policy["RequireNumbers"] is True
    assert "shop" in cli.run("pool", "show", pool_id).stdout

    cli.run("pool", "delete", pool_id, "--yes")
    assert cli.json("pool", "list") == []
    assert "ResourceNotFoundException" in cli.fails("pool", "show", pool_id)


def test_pool_validation_errors(cli: Cli) -> None:
    assert "InvalidParameterException" in cli.fails("pool", "create", "")
    assert "length less than or equal to 128" in cli.fails("pool", "create", "x" * 129)
    assert "aliasAttributes or usernameAttributes" in cli.fails(
        "pool", "create", "p", "--username-attribute", "email", "--alias-attribute", "email")
    protected = make_pool(cli, "keep", "--deletion-protection")
    assert "deletion protection" in cli.fails("pool", "delete", protected, "--yes")


def test_client_with_sign_in_urls(cli: Cli) -> None:
    pool_id = make_pool(cli)
    cli.run("domain", "create", pool_id, "myshop")
    out = cli.json("client", "create", pool_id, "web", "--callback-url", "https://app.example.com/cb",
                   "--callback-url", "myapp://callback", "--logout-url", "http://localhost:3000/bye",
                   "--flow", "code", "--flow", "implicit", "--scope", "openid", "--scope", "email")
    client = out["UserPoolClient"]
    assert len(client["ClientId"]) == 26 and len(client["ClientSecret"]) == 52
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    code_url = urlsplit(out["SignInUrls"]["Code"])
    assert f"{code_url.scheme}://{code_url.netloc}{code_url.path}" == "http://myshop.auth.localhost:9229/login"
    query = parse_qs(code_url.query)
    assert query == {"client_id": [client["ClientId"]], "response_type": ["code"], "scope": ["openid email"],
                     "redirect_uri": ["https://app.example.com/cb"]}
    assert parse_qs(urlsplit(out["SignInUrls"]["Implicit"]).query)["response_type"] == ["token"]

    shown = cli.json("client", "show", pool_id, client["ClientId"])
    assert shown["UserPoolClient"]["ClientSecret"] == client["ClientSecret"]
    assert shown["SignInUrls"] == out["SignInUrls"]
    assert "Sign-in URL (code)" in cli.run("client", "show", pool_id, client["ClientId"]).stdout


def test_public_client_update_and_delete(cli: Cli) -> None:
    pool_id = make_pool(cli)
    client = cli.json("client", "create", pool_id, "spa", "--no-secret", "--callback-url",
                      "http://localhost:5173/", "--flow", "code", "--scope", "openid")["UserPoolClient"]
    assert "ClientSecret" not in client
    updated = cli.json("client", "update", pool_id, client["ClientId"], "--name", "spa2", "--callback-url",
                       "http://127.0.0.1:5173/cb")["UserPoolClient"]
    assert updated["ClientName"] == "spa2"
    assert updated["CallbackURLs"] == ["http://127.0.0.1:5173/cb"]
    assert updated["AllowedOAuthScopes"] == ["openid"]
    assert [c["ClientId"] for c in cli.json("client", "list", pool_id)] == [client["ClientId"]]
    cli.run("client", "delete", pool_id, client["ClientId"])
    assert cli.json("client", "list", pool_id) == []


def test_client_validation_errors(cli: Cli) -> None:
    pool_id = make_pool(cli)
    base = ("client", "create", pool_id, "c", "--scope", "openid", "--flow", "code")
    assert "must use HTTPS" in cli.fails(*base, "--callback-url", "http://example.com/cb")
    assert "fragment" in cli.fails(*base, "--callback-url", "https://example.com/cb#x")
    assert "absolute" in cli.fails(*base, "--callback-url", "/relative/cb")
    assert "ScopeDoesNotExistException: Invalid scope requested: api/read" in cli.fails(
        "client", "create", pool_id, "c", "--scope", "api/read", "--flow", "code")
    assert "InvalidOAuthFlowException: client_credentials flow can not be selected if client does not have a " \
           "client secret." in cli.fails("client", "create", pool_id, "c", "--no-secret", "--flow",
                                         "client_credentials", "--scope", "openid")
    assert "DefaultRedirectURI" in cli.fails(*base, "--callback-url", "https://a.example/cb",
                                             "--default-redirect-uri", "https://b.example/cb")
    assert "ResourceNotFoundException" in cli.fails("client", "show", pool_id, "nosuchclient")


def test_resource_server_and_client_credentials(cli: Cli) -> None:
    pool_id = make_pool(cli)
    server = cli.json("resource-server", "create", pool_id, "https://api.example.com", "Orders API",
                      "--scope", "read:Read orders", "--scope", "write")["ResourceServer"]
    assert server["Scopes"] == [{"ScopeName": "read", "ScopeDescription": "Read orders"},
                                {"ScopeName": "write", "ScopeDescription": "write"}]
    client = cli.json("client", "create", pool_id, "worker", "--flow", "client_credentials",
                      "--scope", "https://api.example.com/read")["UserPoolClient"]
    assert client["AllowedOAuthFlows"] == ["client_credentials"]
    assert "openid is not supported" in cli.fails("client", "create", pool_id, "w2", "--flow",
                                                  "client_credentials", "--scope", "openid")
    cli.run("resource-server", "update", pool_id, "https://api.example.com", "--name", "Orders")
    assert cli.json("resource-server", "show", pool_id, "https://api.example.com")["ResourceServer"]["Name"] == "Orders"
    assert [s["Identifier"] for s in cli.json("resource-server", "list", pool_id)] == ["https://api.example.com"]
    assert "already exists" in cli.fails("resource-server", "create", pool_id, "https://api.example.com", "X")
    cli.run("resource-server", "delete", pool_id, "https://api.example.com")
    assert cli.json("resource-server", "list", pool_id) == []


def test_pkce_optional_by_default_as_in_cognito_and_switchable(cli: Cli) -> None:
    pool_id = make_pool(cli)
    spa = cli.json("client", "create", pool_id, "spa", "--no-secret")["UserPoolClient"]
    web = cli.json("client", "create", pool_id, "web")["UserPoolClient"]
    assert (spa["CognatePkceRequired"], web["CognatePkceRequired"]) == (False, False)
    required = cli.json("client", "update", pool_id, spa["ClientId"], "--pkce-required")["UserPoolClient"]
    assert required["CognatePkceRequired"] is True
    optional = cli.json("client", "update", pool_id, spa["ClientId"], "--pkce-optional")["UserPoolClient"]
    assert optional["CognatePkceRequired"] is False
    renamed = cli.json("client", "update", pool_id, spa["ClientId"], "--name", "spa2")["UserPoolClient"]
    assert renamed["CognatePkceRequired"] is False
    strict = cli.json("client", "create", pool_id, "web2", "--pkce-required")["UserPoolClient"]
    assert strict["CognatePkceRequired"] is True


def test_client_secret_rotation(cli: Cli) -> None:
    pool_id = str(cli.json("pool", "create", "rotate")["UserPool"]["Id"])
    created = cli.json("client", "create", pool_id, "backend")["UserPoolClient"]
    client_id, first = created["ClientId"], created["ClientSecret"]
    [only] = cli.json("client", "secrets", pool_id, client_id)["ClientSecrets"]
    added = cli.json("client", "add-secret", pool_id, client_id)["ClientSecretDescriptor"]
    assert added["ClientSecretValue"] not in (None, first)
    listed = cli.json("client", "secrets", pool_id, client_id)["ClientSecrets"]
    assert [s["ClientSecretId"] for s in listed] == [only["ClientSecretId"], added["ClientSecretId"]]
    assert all("ClientSecretValue" not in s for s in listed)
    assert "at most 2" in cli.fails("client", "add-secret", pool_id, client_id)
    cli.run("client", "delete-secret", pool_id, client_id, only["ClientSecretId"])
    shown = cli.json("client", "show", pool_id, client_id)["UserPoolClient"]
    assert shown["ClientSecret"] == added["ClientSecretValue"]
    assert "last remaining" in cli.fails("client", "delete-secret", pool_id, client_id, added["ClientSecretId"])

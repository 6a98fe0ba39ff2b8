"""GetSigningCertificate, tagging on pool ARNs, and the pool switch that turns SRP off (spec §6 T2 Other;
`--no-srp` is a Cognate extension)."""

from __future__ import annotations

from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from pycognito.aws_srp import AWSSRP

from tests.e2e.cognito_api._helpers import PASSWORD, error_of, new_app, new_email, new_pool
from tests.support.processes import Cli, Server


def test_signing_certificate_holds_the_id_key(cognito: Any, api_server: Server, pool_id: str) -> None:
    pem = cognito.get_signing_certificate(UserPoolId=pool_id)["Certificate"]
    public = x509.load_pem_x509_certificate(pem.encode()).public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    jwks = httpx.get(f"{api_server.url}/{pool_id}/.well-known/jwks.json").json()["keys"]
    numbers = public.public_numbers()
    as_b64 = [(int.from_bytes(_b64(k["n"]), "big"), int.from_bytes(_b64(k["e"]), "big")) for k in jwks]
    assert (numbers.n, numbers.e) in as_b64
    assert error_of(lambda: cognito.get_signing_certificate(UserPoolId="us-east-1_missing00"))["Code"] \
        == "ResourceNotFoundException"


def _b64(value: str) -> bytes:
    import base64
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def test_tags_round_trip(cognito: Any) -> None:
    pool_id = new_pool(cognito, UserPoolTags={"team": "identity"})
    arn = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    assert arn == f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool_id}"
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTags"] == {"team": "identity"}
    cognito.tag_resource(ResourceArn=arn, Tags={"env": "test", "team": "auth"})
    assert cognito.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test", "team": "auth"}
    cognito.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert cognito.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test"}
    cognito.update_user_pool(UserPoolId=pool_id, UserPoolTags={"owner": "me"})
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTags"] == {"owner": "me"}
    assert error_of(lambda: cognito.list_tags_for_resource(ResourceArn="arn:aws:s3:::some-bucket-name"))["Code"] \
        == "InvalidParameterException"


def test_srp_off(cognito: Any, public: Any, api_cli: Cli) -> None:
    pool_id = api_cli.json("pool", "create", "no-srp", "--no-srp")["UserPool"]["Id"]
    app = new_app(cognito, pool_id)
    cognito.admin_create_user(UserPoolId=pool_id, Username="carol", TemporaryPassword=PASSWORD,
                              UserAttributes=[{"Name": "email", "Value": new_email()}], MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="carol", Password=PASSWORD, Permanent=True)
    srp = AWSSRP(username="carol", password=PASSWORD, pool_id=pool_id, client_id=app.client_id, client=public)
    refused = error_of(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_SRP_AUTH",
                                                    AuthParameters=srp.get_auth_params()))
    assert refused["Code"] == "InvalidParameterException" and "turned off" in refused["Message"]
    assert "AuthenticationResult" in public.initiate_auth(
        ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    api_cli.run("pool", "update", pool_id, "--srp")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="carol", Password=PASSWORD, Permanent=True)
    assert "AccessToken" in srp.authenticate_user()["AuthenticationResult"]

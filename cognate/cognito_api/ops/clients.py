"""App client operations: Create/Describe/Update/List/DeleteUserPoolClient (spec §3, §6 T1), and the client-secret
rotation operations Add/List/DeleteUserPoolClientSecret."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result, page
from cognate.cognito_api.shapes import opt_int, opt_text, text
from cognate.domain.clients import AppClient, client_to_cognito
from cognate.services import clients
from cognate.services.deps import Deps


def _summary(client: AppClient) -> Result:
    """`UserPoolClientDescription`."""
    return {"ClientId": client.id, "UserPoolId": client.pool_id, "ClientName": client.name}


async def create_user_pool_client(deps: Deps, req: Params) -> Result:
    client = await clients.create_client(deps, text(req, "UserPoolId"), req)
    return {"UserPoolClient": client_to_cognito(client)}


async def describe_user_pool_client(deps: Deps, req: Params) -> Result:
    client = await clients.get_client(deps, text(req, "ClientId"), pool_id=text(req, "UserPoolId"))
    return {"UserPoolClient": client_to_cognito(client)}


async def update_user_pool_client(deps: Deps, req: Params) -> Result:
    client = await clients.update_client_settings(deps, text(req, "UserPoolId"), text(req, "ClientId"), req)
    return {"UserPoolClient": client_to_cognito(client)}


async def list_user_pool_clients(deps: Deps, req: Params) -> Result:
    found, token = await clients.list_clients(deps, text(req, "UserPoolId"), max_results=opt_int(req, "MaxResults"),
                                              next_token=opt_text(req, "NextToken"))
    return page({"UserPoolClients": [_summary(c) for c in found]}, "NextToken", token)


async def delete_user_pool_client(deps: Deps, req: Params) -> Result:
    await clients.delete_client(deps, text(req, "UserPoolId"), text(req, "ClientId"))
    return {}


async def add_user_pool_client_secret(deps: Deps, req: Params) -> Result:
    """The only answer that shows the new secret's value."""
    new = await clients.add_client_secret(deps, text(req, "UserPoolId"), text(req, "ClientId"),
                                          opt_text(req, "ClientSecret"))
    return {"ClientSecretDescriptor": {"ClientSecretId": new.id, "ClientSecretValue": new.value,
                                       "ClientSecretCreateDate": new.created_at}}


async def list_user_pool_client_secrets(deps: Deps, req: Params) -> Result:
    """Ids and dates only, never values (at most two, so never a NextToken)."""
    found = await clients.list_client_secrets(deps, text(req, "UserPoolId"), text(req, "ClientId"))
    return {"ClientSecrets": [{"ClientSecretId": s.id, "ClientSecretCreateDate": s.created_at} for s in found]}


async def delete_user_pool_client_secret(deps: Deps, req: Params) -> Result:
    await clients.delete_client_secret(deps, text(req, "UserPoolId"), text(req, "ClientId"),
                                       text(req, "ClientSecretId"))
    return {}


OPERATIONS: dict[str, Handler] = {
    "CreateUserPoolClient": create_user_pool_client,
    "DescribeUserPoolClient": describe_user_pool_client,
    "UpdateUserPoolClient": update_user_pool_client,
    "ListUserPoolClients": list_user_pool_clients,
    "DeleteUserPoolClient": delete_user_pool_client,
    "AddUserPoolClientSecret": add_user_pool_client_secret,
    "ListUserPoolClientSecrets": list_user_pool_client_secrets,
    "DeleteUserPoolClientSecret": delete_user_pool_client_secret,
}

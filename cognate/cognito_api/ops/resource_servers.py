"""Resource server operations: Create/Describe/List/Update/DeleteResourceServer (spec §3, §6 T1)."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result, page
from cognate.cognito_api.shapes import opt_int, opt_text, text
from cognate.services import resource_servers
from cognate.services.deps import Deps


async def create_resource_server(deps: Deps, req: Params) -> Result:
    server = await resource_servers.create_resource_server(deps, text(req, "UserPoolId"), req)
    return {"ResourceServer": server.to_cognito()}


async def describe_resource_server(deps: Deps, req: Params) -> Result:
    server = await resource_servers.describe_resource_server(deps, text(req, "UserPoolId"), text(req, "Identifier"))
    return {"ResourceServer": server.to_cognito()}


async def list_resource_servers(deps: Deps, req: Params) -> Result:
    found, token = await resource_servers.list_resource_servers(
        deps, text(req, "UserPoolId"), max_results=opt_int(req, "MaxResults"), next_token=opt_text(req, "NextToken"))
    return page({"ResourceServers": [s.to_cognito() for s in found]}, "NextToken", token)


async def update_resource_server(deps: Deps, req: Params) -> Result:
    server = await resource_servers.update_resource_server(deps, text(req, "UserPoolId"), req)
    return {"ResourceServer": server.to_cognito()}


async def delete_resource_server(deps: Deps, req: Params) -> Result:
    await resource_servers.delete_resource_server(deps, text(req, "UserPoolId"), text(req, "Identifier"))
    return {}


OPERATIONS: dict[str, Handler] = {
    "CreateResourceServer": create_resource_server,
    "DescribeResourceServer": describe_resource_server,
    "ListResourceServers": list_resource_servers,
    "UpdateResourceServer": update_resource_server,
    "DeleteResourceServer": delete_resource_server,
}

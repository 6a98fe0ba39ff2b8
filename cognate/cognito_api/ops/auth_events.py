"""AdminListUserAuthEvents (spec §6): a user's authentication history, from Cognate's audit trail.

Unlike Cognito, no threat-protection add-on is needed: Cognate always keeps the trail.
"""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result, page
from cognate.cognito_api.shapes import opt_int, opt_text, text
from cognate.services.auth_events import list_user_auth_events
from cognate.services.deps import Deps


async def admin_list_user_auth_events(deps: Deps, req: Params) -> Result:
    events, token = await list_user_auth_events(deps, text(req, "UserPoolId"), text(req, "Username"),
                                                max_results=opt_int(req, "MaxResults"),
                                                next_token=opt_text(req, "NextToken"))
    return page({"AuthEvents": events}, "NextToken", token)


OPERATIONS: dict[str, Handler] = {"AdminListUserAuthEvents": admin_list_user_auth_events}

"""Classic hosted-UI branding: Set/GetUICustomization (a pool's default `ALL` or one app client's CSS and logo)."""

from __future__ import annotations

from cognate.cognito_api.ops import Handler, Params, Result
from cognate.cognito_api.shapes import opt_text, text
from cognate.domain.ui_customization import ALL, UiCustomization
from cognate.services import ui_customization as svc
from cognate.services.deps import Deps


def _shape(deps: Deps, custom: UiCustomization) -> Result:
    out: Result = {"UserPoolId": custom.pool_id, "ClientId": custom.client_id, "CSSVersion": custom.version,
                   "CreationDate": custom.created_at, "LastModifiedDate": custom.updated_at}
    if custom.css:
        out["CSS"] = custom.css
    if custom.image:
        out["ImageUrl"] = deps.public_url + custom.logo_path
    return out


async def set_ui_customization(deps: Deps, req: Params) -> Result:
    custom = await svc.set_customization(deps, svc.UiCustomizationRequest(
        pool_id=text(req, "UserPoolId"), client_id=opt_text(req, "ClientId") or ALL, css=opt_text(req, "CSS"),
        image_file=opt_text(req, "ImageFile")))
    return {"UICustomization": _shape(deps, custom)}


async def get_ui_customization(deps: Deps, req: Params) -> Result:
    """The client's own, else the pool's default; with neither, the shape holds only the ids (Cognito's "empty
    shape")."""
    pool_id, client_id = text(req, "UserPoolId"), opt_text(req, "ClientId") or ALL
    custom = await svc.get_customization(deps, pool_id, client_id)
    if custom is None:
        return {"UICustomization": {"UserPoolId": pool_id, "ClientId": client_id}}
    return {"UICustomization": _shape(deps, custom)}


OPERATIONS: dict[str, Handler] = {
    "SetUICustomization": set_ui_customization,
    "GetUICustomization": get_ui_customization,
}

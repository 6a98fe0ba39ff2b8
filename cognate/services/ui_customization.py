"""SetUICustomization / GetUICustomization, and the customization a hosted-UI page of an app client shows."""

from __future__ import annotations

from dataclasses import dataclass

from cognate.domain.errors import InvalidParameterException
from cognate.domain.ui_customization import ALL, UiCustomization, check_css, decode_image
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.lookups import require_client_record, require_pool
from cognate.services.memo import Cached, ui_key
from cognate.store.base import UnitOfWork

NO_DOMAIN = "There has to be an existing domain associated with this user pool"


@dataclass(frozen=True)
class UiCustomizationRequest:
    pool_id: str
    client_id: str  # ALL or an app client id
    css: str | None
    image_file: str | None  # base64, as the API carries the blob


async def set_customization(deps: Deps, req: UiCustomizationRequest) -> UiCustomization:
    """Replace the pool's default (ALL) or one client's CSS and logo; both at once, as Cognito sets them."""
    css = check_css(req.css) if req.css else None
    image, image_type = decode_image(req.image_file) if req.image_file else (None, None)
    now = deps.clock.now()
    async with deps.store.transaction() as tx:
        await require_pool(tx, req.pool_id)
        if req.client_id != ALL:
            await require_client_record(tx, req.pool_id, req.client_id)
        if not await tx.domains.for_pool(req.pool_id):
            raise InvalidParameterException(NO_DOMAIN)
        existing = await tx.ui_customizations.get(req.pool_id, req.client_id)
        custom = UiCustomization(pool_id=req.pool_id, client_id=req.client_id, css=css, image=image,
                                 image_type=image_type, created_at=existing.created_at if existing else now,
                                 updated_at=max(now, existing.updated_at + 0.001) if existing else now)
        await tx.ui_customizations.put(custom)
    await audit.admin_change(deps, "SetUICustomization", pool_id=req.pool_id)
    return custom


async def get_customization(deps: Deps, pool_id: str, client_id: str) -> UiCustomization | None:
    """The client's own customization, else the pool's default; None when neither exists."""
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        if client_id != ALL:
            await require_client_record(tx, pool_id, client_id)
        return await _own_or_default(tx, pool_id, client_id)


async def page_customization(deps: Deps, pool_id: str, client_id: str) -> UiCustomization | None:
    """What a hosted-UI page of this client shows (remembered for at most a second, like the client itself)."""
    async def load() -> tuple[UiCustomization | None]:
        async with deps.store.transaction(readonly=True) as tx:
            return (await _own_or_default(tx, pool_id, client_id),)

    return (await deps.memo.remember(Cached.UI, ui_key(pool_id, client_id), load))[0]


async def _own_or_default(tx: UnitOfWork, pool_id: str, client_id: str) -> UiCustomization | None:
    """A client with a customization of its own never falls back to the pool's `ALL`."""
    own = await tx.ui_customizations.get(pool_id, client_id) if client_id != ALL else None
    return own if own is not None else await tx.ui_customizations.get(pool_id, ALL)

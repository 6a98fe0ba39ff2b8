"""Classic hosted-UI customizations, one row per (pool, ALL or app client); a set replaces the whole row."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.domain.ui_customization import UiCustomization
from cognate.store.base import AlreadyExists
from cognate.store.sql.repos._common import add_unique
from cognate.store.sql.tables import UiCustomizationRow


class SqlUiCustomizationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, pool_id: str, client_id: str) -> UiCustomization | None:
        row = await self._s.get(UiCustomizationRow, (pool_id, client_id))
        if row is None:
            return None
        return UiCustomization(pool_id=row.pool_id, client_id=row.client_id, css=row.css, image=row.image,
                               image_type=row.image_type, created_at=row.created_at, updated_at=row.updated_at)

    async def put(self, custom: UiCustomization) -> None:
        """Insert or replace; of two transactions inserting the same new key at once, the later one replaces
        (its insert fails inside a savepoint and turns into an update), so neither caller sees an error."""
        values = {"css": custom.css, "image": custom.image, "image_type": custom.image_type,
                  "updated_at": custom.updated_at}
        if await self._s.get(UiCustomizationRow, (custom.pool_id, custom.client_id)) is None:
            try:
                await add_unique(self._s, UiCustomizationRow(pool_id=custom.pool_id, client_id=custom.client_id,
                                                             created_at=custom.created_at, **values), "ui")
                return
            except AlreadyExists:
                pass
        await self._s.execute(update(UiCustomizationRow).where(
            UiCustomizationRow.pool_id == custom.pool_id, UiCustomizationRow.client_id == custom.client_id,
        ).values(**values))

    async def delete(self, pool_id: str, client_id: str) -> None:
        await self._s.execute(delete(UiCustomizationRow).where(UiCustomizationRow.pool_id == pool_id,
                                                               UiCustomizationRow.client_id == client_id))

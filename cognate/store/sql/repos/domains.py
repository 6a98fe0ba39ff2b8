"""Pool domains; a prefix is unique across all pools (the primary key), one of each kind per pool."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.domain.domains import PoolDomain
from cognate.store.sql.repos._common import add_unique
from cognate.store.sql.tables import DomainRow


def _domain(row: DomainRow) -> PoolDomain:
    return PoolDomain(domain=row.domain, pool_id=row.pool_id, created_at=row.created_at,
                      certificate_arn=row.certificate_arn, managed_login_version=row.managed_login_version)


class SqlDomainRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, domain: PoolDomain) -> None:
        row = DomainRow(domain=domain.domain, pool_id=domain.pool_id, is_custom=domain.is_custom,
                        certificate_arn=domain.certificate_arn,
                        managed_login_version=domain.managed_login_version, created_at=domain.created_at)
        await add_unique(self._s, row, "domain")

    async def get(self, domain: str) -> PoolDomain | None:
        row = await self._s.get(DomainRow, domain)
        return _domain(row) if row else None

    async def for_pool(self, pool_id: str) -> Sequence[PoolDomain]:
        query = select(DomainRow).where(DomainRow.pool_id == pool_id).order_by(DomainRow.is_custom)
        return [_domain(r) for r in (await self._s.scalars(query)).all()]

    async def update(self, domain: PoolDomain) -> None:
        await self._s.execute(update(DomainRow).where(DomainRow.domain == domain.domain).values(
            certificate_arn=domain.certificate_arn, managed_login_version=domain.managed_login_version))

    async def delete(self, domain: str) -> None:
        await self._s.execute(delete(DomainRow).where(DomainRow.domain == domain))

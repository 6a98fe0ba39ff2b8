"""Developer tool: autogenerate the next Alembic migration from the models (against a scratch SQLite database).

Usage: .venv/bin/python scripts/new_migration.py "message" REV_ID
"""

from __future__ import annotations

import asyncio
import sys
import tempfile

from alembic import command

from cognate.store.sql.engine import SqlStore, _alembic_config


async def main(message: str, rev_id: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        store = SqlStore(f"sqlite+aiosqlite:///{scratch}/scratch.db")
        await store.migrate()
        async with store.engine.begin() as conn:
            await conn.run_sync(lambda c: command.revision(_alembic_config(c), message=message, autogenerate=True,
                                                           rev_id=rev_id))
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))

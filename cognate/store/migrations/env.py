"""Alembic environment: always handed a live connection by `cognate.store.sql.engine`."""

from alembic import context

from cognate.store.sql import auth_tables  # noqa: F401 - registers the sign-in tables on Base
from cognate.store.sql.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

"""Persistence of Cognate: SQLAlchemy tables, explicit repositories and Alembic migrations.

Owns every SQL statement. May import `cognate.domain` only; the services reach it through `base.Store`.
"""

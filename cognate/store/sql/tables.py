"""Typed SQLAlchemy tables. Uniqueness lives here, in the database, not in read-then-write checks."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class PoolRow(Base):
    __tablename__ = "user_pools"
    id: Mapped[str] = mapped_column(String(55), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    config: Mapped[dict[str, Any]]
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class SigningKeyRow(Base):
    __tablename__ = "signing_keys"
    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    public_jwk: Mapped[dict[str, Any]]
    sealed_private: Mapped[str] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    activates_at: Mapped[float | None] = mapped_column(Float)
    expires_at: Mapped[float | None] = mapped_column(Float)


class ClientRow(Base):
    __tablename__ = "app_clients"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    sealed_secret: Mapped[str | None] = mapped_column(Text)
    config: Mapped[dict[str, Any]]
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class ResourceServerRow(Base):
    __tablename__ = "resource_servers"
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(256), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    scopes: Mapped[list[Any]]


class DomainRow(Base):
    __tablename__ = "domains"
    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"))
    is_custom: Mapped[bool] = mapped_column(Boolean)
    certificate_arn: Mapped[str | None] = mapped_column(String(2048))
    managed_login_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("uq_domains_pool_kind", "pool_id", "is_custom", unique=True),)


class UserRow(Base):
    __tablename__ = "users"
    sub: Mapped[str] = mapped_column(String(36), primary_key=True)
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"))
    username: Mapped[str] = mapped_column(String(256))
    username_key: Mapped[str] = mapped_column(String(256))
    email: Mapped[str | None] = mapped_column(String(2048))
    attributes: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(32))
    enabled: Mapped[bool] = mapped_column(Boolean)
    password_hash: Mapped[str | None] = mapped_column(Text)
    srp_salt: Mapped[str | None] = mapped_column(String(70))
    srp_verifier: Mapped[str | None] = mapped_column(Text)
    totp_pending: Mapped[str | None] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    totp_preferred: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)
    __table_args__ = (
        Index("uq_users_pool_username", "pool_id", "username_key", unique=True),
        Index("ix_users_pool_email", "pool_id", "email"),
    )


class UserAliasRow(Base):
    __tablename__ = "user_aliases"
    pool_id: Mapped[str] = mapped_column(String(55), primary_key=True)
    attribute: Mapped[str] = mapped_column(String(32), primary_key=True)
    value_key: Mapped[str] = mapped_column(String(2048), primary_key=True)
    sub: Mapped[str] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"), index=True)


class GroupRow(Base):
    __tablename__ = "groups"
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    description: Mapped[str | None] = mapped_column(Text)
    precedence: Mapped[int | None] = mapped_column(Integer)
    role_arn: Mapped[str | None] = mapped_column(String(2048))
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class GroupMemberRow(Base):
    __tablename__ = "group_members"
    pool_id: Mapped[str] = mapped_column(String(55), primary_key=True)
    group_name: Mapped[str] = mapped_column(String(128), primary_key=True)
    sub: Mapped[str] = mapped_column(ForeignKey("users.sub", ondelete="CASCADE"), primary_key=True, index=True)
    __table_args__ = (
        ForeignKeyConstraint(["pool_id", "group_name"], ["groups.pool_id", "groups.name"], ondelete="CASCADE"),
    )


class UiCustomizationRow(Base):
    """SetUICustomization: the pool's default (`client_id` ALL) or one app client's CSS and logo."""

    __tablename__ = "ui_customizations"
    pool_id: Mapped[str] = mapped_column(ForeignKey("user_pools.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    css: Mapped[str | None] = mapped_column(Text)
    image: Mapped[bytes | None] = mapped_column(LargeBinary)
    image_type: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)

"""Accounts tables. Users and API tokens are ledger records; sessions and rate-limit counters
are short-lived authentication state, deliberately outside the ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gaio.store.tables.base import Base, new_ledger_ref
from gaio.store.types import JSONText, UTCDateTime


class UserRow(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    ledger_ref: Mapped[str] = mapped_column(String(32), unique=True, default=new_ledger_ref)
    """The pseudonym of the account in the public ledger (``user:~REF``)."""
    organisation: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ledger_ref: Mapped[str] = mapped_column(String(32), unique=True, default=new_ledger_ref)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[Any] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(default=False)


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RateLimitRow(Base):
    """One counter of the rate limits and login throttles (``limits``' storage contract): how
    many hits ``key`` has had in the window that ends at ``expires_at`` (seconds since the
    epoch). Shared by every process serving the database, unlike a dict in one worker."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[float] = mapped_column(Float, index=True)

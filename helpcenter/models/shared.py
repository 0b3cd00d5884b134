"""State every app process shares through the database: cache versions, rate-limit counts."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from helpcenter.extensions import Model


class CacheVersion(Model):
    """A counter bumped in the same transaction as a change to what a cache holds: a process
    compares it with the one its copy was made at, so another server's change is seen at once."""

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class RateLimitCounter(Model):
    """One fixed-window count for Flask-Limiter. The key is a keyed hash: the client address
    inside the limiter's key is never stored."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # Unix time

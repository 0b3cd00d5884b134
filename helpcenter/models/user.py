"""People who sign in: members, staff, admins; their API tokens; the audit log of staff actions."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from helpcenter.extensions import Model
from helpcenter.models.base import utcnow


class Role(StrEnum):
    """Each role may do everything the ones before it may."""

    MEMBER = "member"
    STAFF = "staff"
    ADMIN = "admin"


ROLE_MEMBER, ROLE_STAFF, ROLE_ADMIN = Role.MEMBER, Role.STAFF, Role.ADMIN
ROLES = tuple(role.value for role in Role)  # plain strings, for click and form choices
ROLE_RANK: dict[str, int] = {ROLE_MEMBER: 0, ROLE_STAFF: 1, ROLE_ADMIN: 2}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, Model):
    """A person with an account. `session_token` is rotated on sign-out and password change,
    which invalidates every session and remember-me cookie issued before."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(10), default=ROLE_MEMBER, index=True)
    lang: Mapped[str] = mapped_column(String(5), default="en")
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    email_confirmed_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    notify_email: Mapped[str] = mapped_column(String(10), default="each")  # each, digest or none
    timezone: Mapped[str | None] = mapped_column(String(64))  # None: the site's time zone
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_login_at: Mapped[datetime | None]

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.suspended_at is None and self.deleted_at is None

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def is_staff(self) -> bool:
        return self.has_role(ROLE_STAFF)

    @property
    def is_admin(self) -> bool:
        return self.has_role(ROLE_ADMIN)

    @property
    def profile_path(self) -> str:
        """The member's public page (like Thread.path: services link without a request)."""
        return f"/community/u/{self.id}"

    @property
    def initials(self) -> str:
        words = self.display_name.split()
        if len(words) >= 2 and words[0][:1].isascii():
            return (words[0][0] + words[1][0]).upper()
        return (
            self.display_name[:2].upper()
            if self.display_name[:1].isascii()
            else self.display_name[:1]
        )


class SignInThrottle(Model):
    """Failed sign-ins per email address, known or not, so throttling reveals no accounts.

    Keyed by a hash of the address: attempts on unknown addresses store no address."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ApiToken(Model):
    """A personal token for the JSON API; only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    # Scope names (services/api_tokens.Scope); read-only search when none were chosen.
    scopes: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["read"])
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AuditEntry(Model):
    """Who did what to whom, and when: every staff and admin action that changes something."""

    __table_args__ = (Index("ix_audit_entry_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(254), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

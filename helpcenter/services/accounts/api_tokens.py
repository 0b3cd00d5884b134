"""Personal API tokens: shown once at creation, stored as SHA-256, revocable, limited by scopes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import ApiToken, User
from helpcenter.models.base import utcnow
from helpcenter.models.user import ROLE_ADMIN, ROLE_MEMBER, ROLE_STAFF
from helpcenter.services import audit

TOKEN_PREFIX = "hc_"  # noqa: S105 - marks our tokens (and lets secret scanners find them)
MAX_TOKENS = 10


class Scope(StrEnum):
    """What a token may read; named after the API areas. None of them allows writing."""

    READ = "read"
    ANALYTICS_READ = "analytics:read"
    ADMIN_READ = "admin:read"


# The role a person needs to mint a token with each scope (the route's role is checked too).
SCOPE_ROLES = {
    Scope.READ: ROLE_MEMBER,
    Scope.ANALYTICS_READ: ROLE_STAFF,
    Scope.ADMIN_READ: ROLE_ADMIN,
}
DEFAULT_SCOPES = (Scope.READ,)


class ScopeNotAllowed(ValueError):
    """The person's role may not hold one of the scopes asked for."""

    def __init__(self) -> None:
        super().__init__(str(_l("Your role cannot create a token with that scope.")))


@dataclass(frozen=True)
class Grant:
    """Who a bearer token acts for and what it may do."""

    user: User
    scopes: frozenset[str]


def scopes_for(user: User) -> list[Scope]:
    """The scopes this person may put on a token, in a stable order."""
    return [scope for scope in Scope if user.has_role(SCOPE_ROLES[scope])]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    user: User, name: str, scopes: list[str] | tuple[str, ...] = DEFAULT_SCOPES
) -> str:
    """Make a token and return it; this is the only time its value is seen. Commits."""
    asked = set(scopes) or set(DEFAULT_SCOPES)
    if not asked <= set(scopes_for(user)):
        raise ScopeNotAllowed()
    active = [t for t in tokens_of(user) if t.revoked_at is None]
    if len(active) >= MAX_TOKENS:
        raise ValueError(f"You can have at most {MAX_TOKENS} tokens; revoke one first.")
    value = TOKEN_PREFIX + secrets.token_urlsafe(32)
    stored = [str(scope) for scope in Scope if scope in asked]
    db.session.add(
        ApiToken(
            user_id=user.id,
            name=name.strip()[:80] or "token",
            token_hash=_digest(value),
            prefix=value[:10],
            scopes=stored,
        )
    )
    audit.record(user, "api_token.create", f"user:{user.id}", name=name, scopes=stored)
    db.session.commit()
    return value


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        )
    )


def revoke_token(user: User, token_id: int) -> bool:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record(user, "api_token.revoke", f"user:{user.id}", name=token.name)
    db.session.commit()
    return True


def grant_for_token(value: str) -> Grant | None:
    """The active user a bearer token belongs to and its scopes, or None. Commits last use."""
    if not value.startswith(TOKEN_PREFIX) or len(value) > 100:
        return None
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _digest(value))
    ).first()
    if token is None or token.revoked_at is not None:
        return None
    user = db.session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    token.last_used_at = utcnow()
    scopes = frozenset(token.scopes)
    db.session.commit()
    return Grant(user, scopes)

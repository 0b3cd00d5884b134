"""Personal API tokens: shown once at creation, stored as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import ApiToken, User
from helpcenter.models.base import utcnow
from helpcenter.services import audit

TOKEN_PREFIX = "hc_"  # noqa: S105 - marks our tokens (and lets secret scanners find them)
MAX_TOKENS = 10


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> str:
    """Make a token and return it; this is the only time its value is seen. Commits."""
    active = [t for t in tokens_of(user) if t.revoked_at is None]
    if len(active) >= MAX_TOKENS:
        raise ValueError(f"You can have at most {MAX_TOKENS} tokens; revoke one first.")
    value = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name.strip()[:80] or "token",
                            token_hash=_digest(value), prefix=value[:10]))  # fmt: skip
    audit.record(user, "api_token.create", f"user:{user.id}", name=name)
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


def user_for_token(value: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
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
    db.session.commit()
    return user

"""Managing people: roles and suspension (admins), listings. Every change is audited."""

from __future__ import annotations

from sqlalchemy import or_, select

from helpcenter.extensions import db
from helpcenter.models import User
from helpcenter.models.base import utcnow
from helpcenter.models.user import ROLES, new_session_token
from helpcenter.services import audit


def search_users(text: str = "", page: int = 1, per_page: int = 50):
    query = (
        select(User)
        .where(User.deleted_at.is_(None))
        .order_by(User.created_at.desc(), User.id.desc())
    )
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        query = query.where(or_(User.email.like(pattern), User.display_name.ilike(pattern)))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def set_role(actor: User | None, user: User, role: str, actor_label: str | None = None) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if user.role == role:
        return
    audit.record(
        actor,
        "user.set_role",
        f"user:{user.id} {user.email}",
        actor_label=actor_label,
        before=user.role,
        after=role,
    )
    user.role = role
    db.session.commit()


def set_suspended(actor: User, user: User, suspended: bool) -> None:
    """Suspend (sign out everywhere, refuse sign-in) or restore an account. Commits."""
    if suspended == (user.suspended_at is not None):
        return
    user.suspended_at = utcnow() if suspended else None
    if suspended:
        user.session_token = new_session_token()
    audit.record(
        actor, "user.suspend" if suspended else "user.unsuspend", f"user:{user.id} {user.email}"
    )
    db.session.commit()

"""The audit log: who changed what, when. Entries join the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import AuditEntry, User


def record(
    actor: User | None,
    action: str,
    target: str = "",
    *,
    actor_label: str | None = None,
    **details: object,
) -> None:
    label = actor_label or (actor.email if actor else "system")
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            actor_label=label,
            action=action,
            target=target,
            details=details,
        )
    )


def recent(page: int = 1, per_page: int = 50):
    return db.paginate(
        select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )

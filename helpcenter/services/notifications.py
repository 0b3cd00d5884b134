"""Telling people what happened in threads they follow: in the app, and by email."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select, update

from helpcenter import mail
from helpcenter.extensions import db
from helpcenter.models import Follow, Notification, Post, Thread, User
from helpcenter.models.base import utcnow
from helpcenter.services import signed_links


def _notify(user: User, kind: str, thread: Thread, post: Post, actor: User) -> None:
    db.session.add(
        Notification(
            user_id=user.id, kind=kind, thread_id=thread.id, post_id=post.id, actor_id=actor.id
        )
    )
    if user.notify_email == "each" and user.is_active and user.is_confirmed:
        mail.send(
            f"notify_{kind}", user.email, user.lang, user=user, thread=thread, actor=actor,
            excerpt=post.body_text[:400],
            link=url_for("community.thread", thread_id=thread.id, _external=True, _anchor=f"p{post.id}"),
            unsubscribe=url_for("community.unsubscribe",
                                token=signed_links.make_token(signed_links.UNSUBSCRIBE, user), _external=True),
        )  # fmt: skip


def notify_followers(thread: Thread, post: Post, actor: User, kind: str) -> None:
    """Everyone following the thread except the person who acted. Joins the caller's commit."""
    followers = db.session.scalars(
        select(User)
        .join(Follow, Follow.user_id == User.id)
        .where(Follow.thread_id == thread.id, User.id != actor.id)
    )
    for user in followers:
        _notify(user, kind, thread, post, actor)


def notify_accepted(thread: Thread, post: Post, actor: User) -> None:
    """The answer's author; and the asker too, when staff accepted on their behalf."""
    for user_id in {post.author_id, thread.author_id} - {actor.id, None}:
        user = db.session.get(User, user_id)
        if user is not None and user.deleted_at is None:
            _notify(user, "accepted", thread, post, actor)


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def recent(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()


def unsubscribe(token: str) -> User | None:
    """Stop all notification email for the person the link was made for. No sign-in needed."""
    user = signed_links.read_token(signed_links.UNSUBSCRIBE, token)
    if user is not None:
        user.notify_email = "none"
        db.session.commit()
    return user

"""Telling people what happened in threads and topics they follow: in the app, and by email
(each one as it happens, a daily digest, or none, as each person chooses)."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update

from helpcenter import jobs, mail
from helpcenter.extensions import db
from helpcenter.links import public_url
from helpcenter.models import CategoryFollow, Follow, Notification, Post, Thread, User
from helpcenter.models.base import utcnow
from helpcenter.services.accounts import signed_links
from helpcenter.services.content import catalog

EMAIL_CHOICES = ("each", "digest", "none")
MAX_MENTIONS = 5
_MENTION = re.compile(r"(?<![\w@])@([^\s@,.!?;:()\[\]「」、。]{2,40})")


def unsubscribe_url(user: User) -> str:
    """The signed one-click link that stops every notification email to `user`."""
    token = signed_links.make_token(signed_links.UNSUBSCRIBE, user)
    return public_url("community.unsubscribe", token=token)


def _links(user: User, thread: Thread, post: Post | None) -> dict:
    anchor = f"p{post.id}" if post else None
    unsubscribe = unsubscribe_url(user)
    return {
        "link": public_url("community.thread", thread_id=thread.id, _anchor=anchor),
        "unsubscribe": unsubscribe,
        "list_unsubscribe": unsubscribe,
    }


def _notify(user: User, kind: str, thread: Thread, post: Post | None, actor: User) -> None:
    note = Notification(
        user_id=user.id,
        kind=kind,
        thread_id=thread.id,
        post_id=post.id if post else None,
        actor_id=actor.id,
    )
    db.session.add(note)
    if user.notify_email == "each" and user.is_active and user.is_confirmed:
        note.emailed_at = utcnow()
        mail.send(
            f"notify_{kind}",
            user.email,
            user.lang,
            user=user,
            thread=thread,
            actor=actor,
            excerpt=post.body_text[:400] if post else "",
            **_links(user, thread, post),
        )


def _active(user_ids, exclude: set[int]) -> list[User]:
    ids = set(user_ids) - exclude - {None}
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids), User.deleted_at.is_(None))))


def notify_followers(thread: Thread, post: Post, actor: User, kind: str) -> None:
    """Followers of the thread, and anyone @mentioned. Each person hears once. Joins the commit."""
    told = {actor.id}
    mentioned = _mentioned(post.body_md, told)
    for user in mentioned:
        _notify(user, "mention", thread, post, actor)
    told |= {u.id for u in mentioned}
    followers = db.session.scalars(select(Follow.user_id).where(Follow.thread_id == thread.id))
    for user in _active(followers, told):
        _notify(user, kind, thread, post, actor)


def notify_new_thread(thread: Thread, post: Post, actor: User) -> None:
    """People following the thread's topic, and anyone @mentioned in the question."""
    told = {actor.id}
    mentioned = _mentioned(post.body_md, told)
    for user in mentioned:
        _notify(user, "mention", thread, post, actor)
    if thread.category_id is None:
        return
    followers = db.session.scalars(
        select(CategoryFollow.user_id).where(CategoryFollow.category_id == thread.category_id)
    )
    for user in _active(followers, told | {u.id for u in mentioned}):
        _notify(user, "new_thread", thread, post, actor)


def _mentioned(text: str, exclude: set[int]) -> list[User]:
    """Members named as @DisplayName (spaces left out), at most five a post."""
    handles = {m.lower() for m in _MENTION.findall(text)}
    if not handles:
        return []
    squashed = func.lower(func.replace(User.display_name, " ", ""))
    users = db.session.scalars(
        select(User).where(squashed.in_(handles), User.deleted_at.is_(None))
    ).all()
    return [u for u in users if u.id not in exclude][:MAX_MENTIONS]


def notify_accepted(thread: Thread, post: Post, actor: User) -> None:
    """The answer's author; and the asker too, when staff accepted on their behalf."""
    for user in _active({post.author_id, thread.author_id}, {actor.id}):
        _notify(user, "accepted", thread, post, actor)


def notify_moderation(author_id: int | None, thread: Thread, post: Post, staff: User) -> None:
    for user in _active({author_id}, set()):
        _notify(user, "moderation", thread, post, staff)


def follow_category(user: User, category_id: int, follow: bool) -> None:
    existing = db.session.scalars(
        select(CategoryFollow).where(
            CategoryFollow.user_id == user.id, CategoryFollow.category_id == category_id
        )
    ).first()
    if follow and existing is None:
        db.session.add(CategoryFollow(user_id=user.id, category_id=category_id))
    elif not follow and existing is not None:
        db.session.delete(existing)
    db.session.commit()


def follows_category(user: User, category_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(CategoryFollow)
            .where(CategoryFollow.user_id == user.id, CategoryFollow.category_id == category_id)
        )
    )


def set_thread_follow(user: User, thread: Thread, follow: bool) -> None:
    """Follow or unfollow a thread; joins the caller's transaction."""
    existing = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id, Follow.thread_id == thread.id)
    ).first()
    if follow and existing is None:
        db.session.add(Follow(user_id=user.id, thread_id=thread.id))
    elif not follow and existing is not None:
        db.session.delete(existing)


def follow_thread(user: User, thread: Thread, follow: bool) -> None:
    set_thread_follow(user, thread, follow)
    db.session.commit()


def follows_thread(user: User, thread: Thread) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Follow)
            .where(Follow.user_id == user.id, Follow.thread_id == thread.id)
        )
    )


def set_email_preference(user: User, choice: str) -> None:
    if choice not in EMAIL_CHOICES:
        raise ValueError(choice)
    user.notify_email = choice
    db.session.commit()


def send_digests() -> int:
    """Queue one digest job per person who chose a digest and has notifications not yet
    emailed. The job marks them emailed once the mail server accepted the digest. Commits."""
    pending = db.session.execute(
        select(Notification.user_id, Notification.id)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.emailed_at.is_(None),
            Notification.read_at.is_(None),
            User.notify_email == "digest",
            User.deleted_at.is_(None),
            User.suspended_at.is_(None),
            User.email_confirmed_at.is_not(None),
        )
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user: dict[int, list[int]] = {}
    for user_id, note_id in pending:
        by_user.setdefault(user_id, []).append(note_id)
    for user_id, note_ids in by_user.items():
        jobs.enqueue("digest", {"user_id": user_id, "notification_ids": note_ids})
    db.session.commit()
    return len(by_user)


@jobs.handler("digest")
def _deliver_digest(payload: dict) -> None:
    """Compose and deliver one digest, then mark what it listed as emailed (the worker commits
    both with the job). Notifications emailed or read meanwhile are left out."""
    user = db.session.get(User, payload["user_id"])
    notes = db.session.scalars(
        select(Notification)
        .where(
            Notification.id.in_(payload["notification_ids"]),
            Notification.emailed_at.is_(None),
            Notification.read_at.is_(None),
        )
        .order_by(Notification.id)
    ).all()
    if user is None or not notes or user.notify_email != "digest" or not user.is_active:
        return
    unsubscribe = unsubscribe_url(user)
    message = mail.compose(
        "notify_digest",
        user.email,
        user.lang,
        user=user,
        items=[(n, _note_link(n)) for n in notes],
        unsubscribe=unsubscribe,
        list_unsubscribe=unsubscribe,
    )
    mail.deliver_now(message)
    now = utcnow()
    for note in notes:
        note.emailed_at = now


def _note_link(note: Notification) -> str:
    """Where a notification leads: its thread, the article (an answered search), or the list."""
    if note.thread_id is not None:
        return public_url("community.thread", thread_id=note.thread_id)
    if note.article is not None:
        return catalog.page_url(note.article)
    return public_url("community.notification_list")


def unread_count(user: User) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


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

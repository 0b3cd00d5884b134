"""Keeping the community healthy: member flags, the staff review queue, and thread actions.

Every staff decision is audited and the author is told (in the app, and by email if they want)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import Category, Flag, Post, Thread, ThreadEvent, User
from helpcenter.models.base import utcnow
from helpcenter.models.community import FLAG_REASONS
from helpcenter.services import audit
from helpcenter.services.accounts import users
from helpcenter.services.community import notifications
from helpcenter.services.community.posts import CommunityError, NotAllowed, can_post
from helpcenter.services.search import indexing

FLAG_THRESHOLD = 3  # distinct members before a post is hidden pending review
DECISIONS = ("approve", "hide", "delete", "warn", "suspend")


def _thread(post: Post) -> Thread:
    return db.session.get_one(Thread, post.thread_id)


def _set_hidden(post: Post, hidden: bool) -> None:
    post.hidden_at = utcnow() if hidden else None
    if post.is_opening:
        _thread(post).hidden_at = post.hidden_at


def _save(thread: Thread) -> None:
    db.session.add(indexing.outbox_row("thread", thread.id))
    db.session.commit()
    indexing.drain_outbox()


def flag(member: User, post: Post, reason: str, note: str = "") -> bool:
    """Report a post. Returns True when this report hid it (the threshold was reached)."""
    if not can_post(member) or post.author_id == member.id:
        raise NotAllowed()
    if reason not in FLAG_REASONS:
        raise CommunityError(_l("Choose a reason for the report."))
    already = db.session.scalar(
        select(func.count())
        .select_from(Flag)
        .where(Flag.post_id == post.id, Flag.user_id == member.id)
    )
    if already:
        return False
    db.session.add(
        Flag(
            post_id=post.id,
            user_id=member.id,
            reason=reason,
            note=(note or "").strip()[:500] or None,
        )
    )
    db.session.add(
        ThreadEvent(thread_id=post.thread_id, post_id=post.id, actor_id=member.id, event="flag")
    )
    db.session.flush()
    open_flags = db.session.execute(
        select(func.count(func.distinct(Flag.user_id))).where(
            Flag.post_id == post.id, Flag.resolved_at.is_(None)
        )
    ).scalar_one()
    hid = open_flags >= FLAG_THRESHOLD and post.hidden_at is None
    if hid:
        _set_hidden(post, True)
        db.session.add(ThreadEvent(thread_id=post.thread_id, post_id=post.id, event="hidden"))
    _save(_thread(post))
    return hid


def queue():
    """Posts with unresolved reports, most reported first: (post, thread, report count, reasons)."""
    rows = db.session.execute(
        select(Flag.post_id, func.count(Flag.id))
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.post_id)
        .order_by(func.count(Flag.id).desc(), Flag.post_id)
    ).all()
    items = []
    for post_id, count in rows:
        post = db.session.get_one(Post, post_id)  # reports go with their post
        reasons = db.session.scalars(
            select(Flag.reason).where(Flag.post_id == post_id, Flag.resolved_at.is_(None))
        ).all()
        items.append((post, _thread(post), count, sorted(set(reasons))))
    return items


def decide(staff: User, post: Post, decision: str) -> None:
    """Resolve every open report on a post with one decision; audited; the author is told."""
    if decision not in DECISIONS:
        raise CommunityError(_l("Choose one of the listed decisions."))
    thread = _thread(post)
    if decision == "approve":
        _set_hidden(post, False)
    elif decision == "hide":
        _set_hidden(post, True)
    elif decision == "delete":
        post.deleted_at = utcnow()
        if post.is_opening:
            thread.deleted_at = post.deleted_at
    author = db.session.get(User, post.author_id) if post.author_id else None
    if decision == "suspend" and author is not None:
        _set_hidden(post, True)
        users.set_suspended(staff, author, True)
    for open_flag in db.session.scalars(
        select(Flag).where(Flag.post_id == post.id, Flag.resolved_at.is_(None))
    ):
        open_flag.resolved_at, open_flag.resolution = utcnow(), decision
    audit.record(staff, f"moderation.{decision}", f"post:{post.id}", thread=thread.id)
    if decision in ("hide", "suspend"):
        db.session.add(
            ThreadEvent(thread_id=thread.id, post_id=post.id, actor_id=staff.id, event="hidden")
        )
    if decision != "approve":
        notifications.notify_moderation(post.author_id, thread, post, staff)
    _save(thread)


def thread_action(
    staff: User, thread: Thread, action: str, *, category_slug: str = "", target_id: int = 0
) -> Thread:
    """Lock, unlock, pin, unpin, hide, unhide, move or merge a thread. Returns where it now lives."""
    now = utcnow()
    simple = {
        "lock": ("locked_at", now),
        "unlock": ("locked_at", None),
        "pin": ("pinned_at", now),
        "unpin": ("pinned_at", None),
        "hide": ("hidden_at", now),
        "unhide": ("hidden_at", None),
    }
    result = thread
    if action in simple:
        field, value = simple[action]
        setattr(thread, field, value)
        if action == "hide":
            db.session.add(ThreadEvent(thread_id=thread.id, actor_id=staff.id, event="hidden"))
    elif action == "move":
        category = db.session.scalars(
            select(Category).where(Category.slug == category_slug)
        ).first()
        if category is None:
            raise CommunityError(_l("Choose a topic to move the thread to."))
        thread.category = category
    elif action == "merge":
        result = _merge(thread, target_id)
    else:
        raise CommunityError(_l("Choose one of the listed actions."))
    audit.record(
        staff,
        f"thread.{action}",
        f"thread:{thread.id}",
        category=category_slug or None,
        into=target_id or None,
    )
    db.session.add(indexing.outbox_row("thread", result.id))
    _save(thread)
    return result


def _merge(source: Thread, target_id: int) -> Thread:
    """Move every post of `source` into the target thread (as replies) and retire `source`."""
    target = db.session.get(Thread, target_id)
    if target is None or target.id == source.id or target.deleted_at is not None:
        raise CommunityError(_l("Give the number of another, existing thread to merge into."))
    moved = db.session.scalars(select(Post).where(Post.thread_id == source.id)).all()
    for post in moved:
        post.thread_id = target.id
        post.is_opening = False
    target.reply_count = Thread.reply_count + len([p for p in moved if p.deleted_at is None])
    target.last_activity_at = max(target.last_activity_at, source.last_activity_at)
    source.deleted_at = utcnow()
    if source.accepted_post_id and not target.accepted_post_id:
        target.accepted_post_id, target.solved_at = source.accepted_post_id, source.solved_at
        if source.solved_at is not None:  # set whenever an answer is accepted
            target.solution_seconds = int((source.solved_at - target.created_at).total_seconds())
    source.accepted_post_id = None
    return target

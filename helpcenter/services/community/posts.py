"""The community: ask, reply, edit, delete, accept, vote. Each change commits, records a
thread event, queues the thread for the search index and tells the people who follow it."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from helpcenter.extensions import db
from helpcenter.markup import render_user_markdown
from helpcenter.models import (
    Category,
    ComposerEvent,
    Post,
    PostRevision,
    PostVote,
    Thread,
    ThreadEvent,
    User,
)
from helpcenter.models.analytics import Escalation
from helpcenter.models.base import utcnow
from helpcenter.models.community import KIND_QUESTION, THREAD_KINDS
from helpcenter.search_index.text import distinct_spellings, has_japanese
from helpcenter.services.community import notifications, reputation
from helpcenter.services.errors import ServiceError
from helpcenter.services.insights import events
from helpcenter.services.insights.events import Actor
from helpcenter.services.search import answer_alerts, indexing
from helpcenter.services.webhooks import events as webhook_events

MAX_TAGS = 5


class CommunityError(ServiceError):
    """Bad input the author can fix; the message says what."""


class NotAllowed(PermissionError):
    """The person may not do this (a 403)."""


def can_post(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_confirmed or user.is_staff)


def can_edit(user: User, post: Post) -> bool:
    """Staff always; an author only their own post while it stands (not deleted, not hidden by
    moderation) in a thread that is open (a locked thread is frozen for members)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if post.author_id != user.id or post.deleted_at is not None or post.hidden_at is not None:
        return False
    thread = db.session.get(Thread, post.thread_id)
    return thread is not None and thread.is_visible and thread.locked_at is None


def can_accept(user: User, thread: Thread) -> bool:
    return (
        user.is_authenticated
        and thread.kind == KIND_QUESTION
        and (user.is_staff or thread.author_id == user.id)
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed()


def _event(
    thread: Thread,
    event: str,
    actor: User | None = None,
    post: Post | None = None,
    visitor_id: str | None = None,
) -> None:
    db.session.add(
        ThreadEvent(
            thread_id=thread.id,
            post_id=post.id if post else None,
            actor_id=actor.id if actor else None,
            visitor_id=visitor_id,
            event=event,
        )
    )


def parse_tags(text: str) -> list[str]:
    tags = [t.strip().lstrip("#") for t in re.split(r"[,、，\s]+", text or "") if t.strip()]
    return distinct_spellings(t[:30] for t in tags)[:MAX_TAGS]


def create_thread(
    *,
    author: User,
    title: str,
    body: str,
    category_slug: str | None,
    kind: str,
    tags: str = "",
    search_id: int | None = None,
    composer_id: str | None = None,
    actor: Actor | None = None,
) -> Thread:
    """Post a new thread. The author follows it; a search or composer it came from is kept."""
    _require(can_post(author))
    actor = actor or Actor(visitor_id="", user_id=author.id)
    if kind not in THREAD_KINDS:
        raise CommunityError(_l("Choose whether this is a question or a discussion."))
    category = None
    if category_slug:
        category = db.session.scalars(
            select(Category).where(Category.slug == category_slug)
        ).first()
        if category is None:
            raise CommunityError(_l("Choose one of the listed topics."))
    search_id = events.record_escalation(Escalation.THREAD, actor, search_id)
    now = utcnow()
    thread = Thread(
        kind=kind,
        lang="ja" if has_japanese(title + body) else "en",
        title=title.strip(),
        tags=parse_tags(tags),
        category=category,
        author_id=author.id,
        search_id=search_id,
        created_at=now,
        last_activity_at=now,
    )
    db.session.add(thread)
    db.session.flush()
    post = _new_post(thread, author, body, opening=True)
    _event(thread, "created", author, post)
    notifications.set_thread_follow(author, thread, True)
    notifications.notify_new_thread(thread, post, author)
    if composer_id:
        db.session.add(
            ComposerEvent(
                composer_id=composer_id[:32],
                event="posted",
                visitor_id=actor.visitor_id,
                search_id=search_id,
                details={"thread_id": thread.id},
            )
        )
    _queue_and_commit(thread)
    return thread


def _new_post(thread: Thread, author: User, body: str, opening: bool = False) -> Post:
    rendered = render_user_markdown(body)
    links = len(re.findall(r"https?://", body))  # links and bare URLs alike
    if (
        links > reputation.NEW_MEMBER_MAX_LINKS
        and not author.is_staff
        and reputation.points(author) < reputation.TRUSTED_POINTS
    ):
        raise CommunityError(
            _l(
                "New members can include at most %(count)s links in a post. "
                "The limit lifts once others find your answers helpful.",
                count=reputation.NEW_MEMBER_MAX_LINKS,
            )
        )
    post = Post(
        thread_id=thread.id,
        author_id=author.id,
        is_opening=opening,
        body_md=body,
        body_html=rendered.html,
        body_text=rendered.text,
    )
    db.session.add(post)
    db.session.flush()
    return post


def _queue_and_commit(thread: Thread) -> None:
    db.session.add(indexing.outbox_row("thread", thread.id))
    db.session.commit()
    indexing.drain_outbox()


def reply(author: User, thread: Thread, body: str) -> Post:
    """Add a reply; the replier follows the thread and its followers are told."""
    _require(
        can_post(author) and thread.is_visible and (thread.locked_at is None or author.is_staff)
    )
    post = _new_post(thread, author, body)
    now = utcnow()
    thread.reply_count = Thread.reply_count + 1  # in SQL: concurrent replies all count
    thread.last_activity_at = now
    if thread.first_reply_at is None and author.id != thread.author_id:
        thread.first_reply_at = now
        thread.first_reply_seconds = int((now - thread.created_at).total_seconds())
    _event(thread, "reply", author, post)
    notifications.set_thread_follow(author, thread, True)
    notifications.notify_followers(thread, post, author, "reply")
    _queue_and_commit(thread)
    return post


def edit_post(editor: User, post: Post, body: str, title: str | None = None) -> None:
    """Change a post, keeping the old text as a revision staff can read."""
    _require(can_edit(editor, post))
    thread = db.session.get_one(Thread, post.thread_id)
    db.session.add(
        PostRevision(
            post_id=post.id,
            editor_id=editor.id,
            body_md=post.body_md,
            title=thread.title if post.is_opening else None,
        )
    )
    rendered = render_user_markdown(body)
    post.body_md, post.body_html, post.body_text = body, rendered.html, rendered.text
    post.edited_at = utcnow()
    if post.is_opening and title:
        thread.title = title.strip()
    _queue_and_commit(thread)


def delete_post(actor: User, post: Post) -> None:
    """Soft delete: a placeholder keeps the thread readable. A question with no replies goes."""
    _require(can_edit(actor, post))
    thread = db.session.get_one(Thread, post.thread_id)
    post.deleted_at = utcnow()
    if post.is_opening and thread.reply_count == 0:
        thread.deleted_at = post.deleted_at
    if thread.accepted_post_id == post.id:
        thread.accepted_post_id, thread.solved_at, thread.solution_seconds = None, None, None
    if not post.is_opening:
        thread.reply_count = case((Thread.reply_count > 0, Thread.reply_count - 1), else_=0)
    _queue_and_commit(thread)


def accept(actor: User, thread: Thread, post: Post) -> None:
    """Mark a reply as the answer (replacing any earlier one); its author is told."""
    _require(can_accept(actor, thread))
    if post.thread_id != thread.id or post.is_opening or post.deleted_at is not None:
        raise CommunityError(_l("Only a reply in this thread can be the answer."))
    newly_solved = thread.accepted_post_id is None
    thread.accepted_post_id = post.id
    thread.solved_at = utcnow()
    thread.solution_seconds = int((thread.solved_at - thread.created_at).total_seconds())
    _event(thread, "accepted", actor, post)
    notifications.notify_accepted(thread, post, actor)
    if newly_solved:
        webhook_events.thread_solved(thread)
    _queue_and_commit(thread)
    answer_alerts.thread_solved(thread)


def unaccept(actor: User, thread: Thread) -> None:
    _require(can_accept(actor, thread))
    if thread.accepted_post_id is None:
        return
    _event(thread, "unaccepted", actor, db.session.get(Post, thread.accepted_post_id))
    thread.accepted_post_id, thread.solved_at, thread.solution_seconds = None, None, None
    _queue_and_commit(thread)


def toggle_vote(voter: User, post: Post) -> bool:
    """Upvote a reply, or take the vote back. Not one's own, not the question. True if voted."""
    _require(can_post(voter) and post.author_id != voter.id and not post.is_opening)
    vote = db.session.scalars(
        select(PostVote).where(PostVote.post_id == post.id, PostVote.user_id == voter.id)
    ).first()
    if vote is None:
        db.session.add(PostVote(post_id=post.id, user_id=voter.id))
        post.vote_count = Post.vote_count + 1  # in SQL: concurrent votes all count
        _event(db.session.get_one(Thread, post.thread_id), "vote", voter, post)
    else:
        db.session.delete(vote)
        post.vote_count = Post.vote_count - 1
    db.session.commit()
    return vote is None


def record_view(thread: Thread, visitor_id: str, user: User | None) -> None:
    _event(
        thread,
        "viewed",
        user if user is not None and user.is_authenticated else None,
        visitor_id=visitor_id,
    )
    db.session.commit()

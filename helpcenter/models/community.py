"""The community: threads, posts (the question is the first post), votes, revisions,
follows, notifications, and the events that let staff see each thread's fate."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpcenter.extensions import Model
from helpcenter.models.base import utcnow
from helpcenter.models.content import Article, Category
from helpcenter.models.user import User


class ThreadKind(StrEnum):
    QUESTION = "question"  # can be solved by an accepted answer
    DISCUSSION = "discussion"


KIND_QUESTION, KIND_DISCUSSION = ThreadKind.QUESTION, ThreadKind.DISCUSSION
THREAD_KINDS = tuple(kind.value for kind in ThreadKind)


class Thread(Model):
    __table_args__ = (
        Index("ix_thread_listing", "lang", "hidden_at", "deleted_at", "last_activity_at"),
        # Covers the community-health report's pass over a period's threads.
        Index(
            "ix_thread_report",
            "created_at",
            "deleted_at",
            "lang",
            "category_id",
            "kind",
            "hidden_at",
            "first_reply_at",
            "first_reply_seconds",
            "solution_seconds",
            "accepted_post_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default=KIND_QUESTION)
    lang: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    accepted_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", use_alter=True, ondelete="SET NULL")
    )
    search_id: Mapped[int | None] = mapped_column(
        ForeignKey("search_event.id", ondelete="SET NULL")
    )
    reply_count: Mapped[int] = mapped_column(default=0)
    first_reply_at: Mapped[datetime | None]
    solved_at: Mapped[datetime | None] = mapped_column(index=True)
    # Seconds from asking to the first reply and to the accepted answer, kept with the events
    # so reports take medians in SQL.
    first_reply_seconds: Mapped[int | None]
    solution_seconds: Mapped[int | None]
    locked_at: Mapped[datetime | None]
    pinned_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    category: Mapped[Category | None] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")

    @property
    def is_solved(self) -> bool:
        return self.accepted_post_id is not None

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None

    @property
    def path(self) -> str:
        return f"/community/t/{self.id}"


class Post(Model):
    """The opening question (`is_opening`) or a reply. Markdown is rendered and cleaned on save."""

    __table_args__ = (Index("ix_post_thread_created", "thread_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    is_opening: Mapped[bool] = mapped_column(default=False)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text, default="")
    vote_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]  # by flags or staff, until reviewed

    author: Mapped[User | None] = relationship(lazy="joined")


class PostRevision(Model):
    """The text of a post before an edit: the history staff can read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostVote(Model):
    __table_args__ = (UniqueConstraint("post_id", "user_id", name="uq_post_vote_post_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ThreadEvent(Model):
    """Append-only: created, reply, accepted, unaccepted, vote, viewed (DESIGN.md §4)."""

    __table_args__ = (Index("ix_thread_event_kind_created", "event", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    visitor_id: Mapped[str | None] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Follow(Model):
    __table_args__ = (UniqueConstraint("user_id", "thread_id", name="uq_follow_user_thread"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CategoryFollow(Model):
    """A member who wants to hear about every new thread in a topic."""

    __table_args__ = (
        UniqueConstraint("user_id", "category_id", name="uq_category_follow_user_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Model):
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # reply, accepted, mention, new_thread, moderation, answered (a failed search now has an answer)
    kind: Mapped[str] = mapped_column(String(20))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]  # sent on its own, or in a digest

    thread: Mapped[Thread | None] = relationship(lazy="joined")
    article: Mapped[Article | None] = relationship(lazy="joined")
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")


class ComposerEvent(Model):
    """Suggestions beside the new-question form: shown, clicked, and whether the form was posted.

    One `composer_id` per opened form, so DESIGN.md §4's "deflection by suggestion" is countable."""

    __table_args__ = (Index("ix_composer_event_composer", "composer_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    composer_id: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(10))  # shown, clicked, posted
    search_id: Mapped[int | None] = mapped_column(
        ForeignKey("search_event.id", ondelete="SET NULL")
    )
    target_url: Mapped[str | None] = mapped_column(String(500))
    visitor_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


FLAG_REASONS = ("spam", "abusive", "off_topic", "personal_data", "other")


class Flag(Model):
    """A member's report of a post; several distinct reports hide the post until staff review."""

    __table_args__ = (UniqueConstraint("post_id", "user_id", name="uq_flag_post_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    resolution: Mapped[str | None] = mapped_column(String(20))


class SupportRequest(Model):
    """A customer who asked staff directly: the last step when self-service and the community
    did not help. Keeps the search it came from, so it counts as an escalation (DESIGN.md §4)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(5))
    search_id: Mapped[int | None] = mapped_column(
        ForeignKey("search_event.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    visitor_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

"""Append-only analytics events (DESIGN.md §4): searches, clicks, views, helpful votes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpcenter.extensions import Model
from helpcenter.models.base import utcnow


class SearchSource(StrEnum):
    """Where a search was typed: the results page, the instant box, the new-thread composer or
    the JSON API."""

    PAGE = "page"
    INSTANT = "instant"
    COMPOSER = "composer"
    API = "api"


class Escalation(StrEnum):
    """How a searcher went on to ask a person: a community thread or a support request."""

    THREAD = "thread"
    SUPPORT = "support"


class FeedbackStatus(StrEnum):
    NEW = "new"
    PLANNED = "planned"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class GapStatus(StrEnum):
    OPEN = "open"
    PLANNED = "planned"
    ADDRESSED = "addressed"
    DISMISSED = "dismissed"


# Plain values, for form validators, choices and click (which would offer an enum's names).
SEARCH_SOURCES = tuple(s.value for s in SearchSource)
FEEDBACK_STATUSES = tuple(s.value for s in FeedbackStatus)
GAP_STATUSES = tuple(s.value for s in GapStatus)
# Why an article did not help: the fixed choices readers pick from, and their labels.
REASON_LABELS = {
    "not_answered": _l("It didn't answer my question"),
    "hard_to_follow": _l("It was hard to follow"),
    "incorrect": _l("It's wrong or out of date"),
    "missing_steps": _l("Steps or screenshots are missing"),
    "other": _l("Something else"),
}
HELPFUL_REASONS = tuple(REASON_LABELS)


class SearchEvent(Model):
    """One submitted search; instant searches that extend the last one update it in place."""

    __table_args__ = (
        Index("ix_search_event_created", "created_at"),
        Index("ix_search_event_normalized", "normalized", "created_at"),
        Index("ix_search_event_visitor", "visitor_id", "created_at"),
        Index("ix_search_event_gap", "gap_key", "created_at"),
        # Covers the dashboard's one pass over a period: no table lookups needed.
        Index(
            "ix_search_event_report",
            "created_at",
            "is_staff",
            "is_crawler",
            "lang",
            "result_count",
            "clicked_at",
            "reformulated",
            "escalated",
            "read_article_id",
            "rated_helpful",
            "gap_key",
            "visitor_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(500))
    normalized: Mapped[str] = mapped_column(String(500))
    lang: Mapped[str] = mapped_column(String(5))
    result_count: Mapped[int]
    source: Mapped[str] = mapped_column(String(10))
    visitor_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None]
    is_staff: Mapped[bool] = mapped_column(default=False)
    is_crawler: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What became of the search (DESIGN.md §4), written when the later event happens so reports
    # only count rows: first click, the article read, its rating, and how the visitor went on.
    gap_key: Mapped[str] = mapped_column(String(500), default="")
    clicked_at: Mapped[datetime | None]
    read_article_id: Mapped[int | None]
    rated_helpful: Mapped[bool | None]
    reformulated: Mapped[bool] = mapped_column(default=False)
    escalated: Mapped[str | None] = mapped_column(String(10))  # an Escalation


class SearchClick(Model):
    __table_args__ = (Index("ix_search_click_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    search_id: Mapped[int] = mapped_column(
        ForeignKey("search_event.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int]
    target_url: Mapped[str] = mapped_column(String(500))
    visitor_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleView(Model):
    __table_args__ = (Index("ix_article_view_article_created", "article_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    visitor_id: Mapped[str] = mapped_column(String(64))
    is_crawler: Mapped[bool] = mapped_column(default=False)
    is_staff: Mapped[bool] = mapped_column(default=False)  # left out of the self-service score
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class HelpfulVote(Model):
    """A reader's verdict on an article; one per visitor and article, the latest answer kept."""

    __table_args__ = (
        UniqueConstraint("article_id", "visitor_id", name="uq_helpful_vote_article_visitor"),
        Index("ix_helpful_vote_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    visitor_id: Mapped[str] = mapped_column(String(64))
    helpful: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    # The feedback queue: a "no" with text is work for the article's owner (a FeedbackStatus).
    feedback_status: Mapped[str | None] = mapped_column(String(12), index=True)
    feedback_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    feedback_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Gap(Model):
    """A group of failed searches asking the same thing (same gap key), and what staff did about it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=GapStatus.OPEN, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="SET NULL"))
    dismissed_reason: Mapped[str | None] = mapped_column(String(300))
    addressed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AnswerAlert(Model):
    """Someone whose search failed asked to be told when it is answered (DESIGN.md §1): a member
    by the app and their mail settings, anyone else by the email address they gave."""

    __table_args__ = (Index("ix_answer_alert_pending", "gap_key", "notified_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gap_key: Mapped[str] = mapped_column(String(500))
    query: Mapped[str] = mapped_column(String(500))
    lang: Mapped[str] = mapped_column(String(5))
    search_id: Mapped[int | None] = mapped_column(
        ForeignKey("search_event.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None]
    answer_url: Mapped[str | None] = mapped_column(String(500))


class SearchDay(Model):
    """One closed day's funnel counts per language (customers only), so reports over long
    periods add up a few rows instead of scanning every search. Rebuilt when events change
    after the fact (simulate, purge)."""

    __table_args__ = (UniqueConstraint("day", "lang", name="uq_search_day_day_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD (UTC)
    lang: Mapped[str] = mapped_column(String(5))
    searches: Mapped[int] = mapped_column(default=0)
    with_results: Mapped[int] = mapped_column(default=0)
    clicked: Mapped[int] = mapped_column(default=0)
    read: Mapped[int] = mapped_column(default=0)
    helpful: Mapped[int] = mapped_column(default=0)
    zero_result: Mapped[int] = mapped_column(default=0)
    no_click: Mapped[int] = mapped_column(default=0)
    reformulated: Mapped[int] = mapped_column(default=0)
    escalated_thread: Mapped[int] = mapped_column(default=0)
    escalated_support: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)

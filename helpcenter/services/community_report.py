"""How the community is doing over a period: unanswered threads, reply times, solved rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import Post, Thread, User
from helpcenter.models.base import utcnow
from helpcenter.models.forum import KIND_QUESTION
from helpcenter.services import reputation
from helpcenter.services.insights import Filters, count_where

UNANSWERED_AFTER = timedelta(hours=24)
SOLVED_RATE_AGE = timedelta(days=7)


@dataclass
class CommunityReport:
    threads: int = 0
    unanswered: list = field(default_factory=list)
    first_reply_median_h: float | None = None
    first_reply_p90_h: float | None = None
    solved_rate: float | None = None
    solution_median_h: float | None = None
    community_share: float | None = None
    top_helpers: list = field(default_factory=list)


def _thread_scope(filters: Filters):
    conditions = [
        Thread.created_at >= filters.start,
        Thread.created_at < filters.end,
        Thread.deleted_at.is_(None),
    ]
    if filters.lang:
        conditions.append(Thread.lang == filters.lang)
    if filters.category is not None:
        conditions.append(Thread.category_id == filters.category.id)
    return conditions


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def _hours_at(values: list[int], fraction: float) -> float | None:
    """A percentile of durations in seconds, as hours (the median averages the middle pair)."""
    if not values:
        return None
    values = sorted(values)
    n = len(values)
    if fraction == 0.5:
        middle = values[(n - 1) // 2 : n // 2 + 1]
        return sum(middle) / len(middle) / 3600
    return values[min(n - 1, int(fraction * n))] / 3600


def _seconds(column, scope) -> list[int]:
    return list(db.session.scalars(select(column).where(*scope, column.is_not(None))))


def community(filters: Filters) -> CommunityReport:
    report = CommunityReport()
    scope = _thread_scope(filters)
    now = utcnow()
    report.threads = db.session.scalar(select(func.count()).select_from(Thread).where(*scope))
    report.unanswered = db.session.scalars(
        select(Thread)
        .where(
            *scope,
            Thread.kind == KIND_QUESTION,
            Thread.first_reply_at.is_(None),
            Thread.created_at <= now - UNANSWERED_AFTER,
            Thread.hidden_at.is_(None),
        )  # fmt: skip
        .order_by(Thread.created_at)
        .limit(20)
    ).all()
    waits = _seconds(Thread.first_reply_seconds, scope)
    report.first_reply_median_h, report.first_reply_p90_h = (
        _hours_at(waits, 0.5),
        _hours_at(waits, 0.9),
    )
    old_questions = (
        *scope,
        Thread.kind == KIND_QUESTION,
        Thread.created_at <= now - SOLVED_RATE_AGE,
    )
    asked, solved = db.session.execute(
        select(func.count(), count_where(Thread.accepted_post_id.is_not(None))).where(
            *old_questions
        )
    ).one()
    report.solved_rate = int(solved) / asked if asked else None
    report.solution_median_h = _hours_at(_seconds(Thread.solution_seconds, scope), 0.5)
    solved_in_period = [
        Thread.solved_at >= filters.start, Thread.solved_at < filters.end,
        *([Thread.lang == filters.lang] if filters.lang else []),
        *([Thread.category_id == filters.category.id] if filters.category is not None else []),
    ]  # fmt: skip
    accepted, by_community = db.session.execute(
        select(func.count(), count_where(User.role == "member"))
        .select_from(Thread)
        .join(Post, Post.id == Thread.accepted_post_id)
        .join(User, User.id == Post.author_id, isouter=True)
        .where(*solved_in_period)
    ).one()
    report.community_share = int(by_community) / accepted if accepted else None
    report.top_helpers = reputation.leaderboard(since=filters.start, limit=5)
    return report

"""Where self-service and peer help fail, computed exactly as DESIGN.md §4 defines it.

Every figure is a grouped SQL query over one period's rows (indexed on time); outcomes of each
search (click, read, rating, reformulation, escalation) were written when they happened.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, or_, select

from helpcenter.extensions import db
from helpcenter.models import (
    Article,
    ArticleView,
    Category,
    ComposerEvent,
    HelpfulVote,
    Post,
    SearchClick,
    SearchEvent,
    Thread,
    ThreadEvent,
    User,
)
from helpcenter.models.base import utcnow
from helpcenter.models.forum import KIND_QUESTION
from helpcenter.services import reputation

PERIODS = (7, 30, 90)
FAILURE_ALERT = 0.35  # a failure rate above this is "content gaps"
CLIMB_ALERT = 0.05  # five points worse than the period before is "climbing"
MIN_VOTES = 3
STALE_DAYS = 180
UNANSWERED_AFTER = timedelta(hours=24)
SOLVED_RATE_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Filters:
    start: datetime
    end: datetime
    lang: str | None = None
    category: Category | None = None

    @property
    def days(self) -> int:
        return max(1, round((self.end - self.start).total_seconds() / 86400))

    def previous(self) -> Filters:
        return replace(self, start=self.start - (self.end - self.start), end=self.start)


def filters_for(days: int = 30, lang: str | None = None, category: Category | None = None,
                start: datetime | None = None, end: datetime | None = None) -> Filters:  # fmt: skip
    end = end or utcnow()
    return Filters(start=start or end - timedelta(days=days), end=end, lang=lang, category=category)


@dataclass
class Funnel:
    searches: int = 0
    with_results: int = 0
    clicked: int = 0
    read: int = 0
    helpful: int = 0
    zero_result: int = 0
    no_click: int = 0
    reformulated: int = 0
    escalated_thread: int = 0
    escalated_support: int = 0
    failed: int = 0

    def rate(self, name: str) -> float:
        return getattr(self, name) / self.searches if self.searches else 0.0

    @property
    def failure_rate(self) -> float:
        return self.rate("failed")

    @property
    def success_rate(self) -> float:
        return 1 - self.failure_rate if self.searches else 0.0


def customer_searches(filters: Filters):
    conditions = [
        SearchEvent.created_at >= filters.start,
        SearchEvent.created_at < filters.end,
        SearchEvent.is_staff.is_(False),
        SearchEvent.is_crawler.is_(False),
    ]
    if filters.lang:
        conditions.append(SearchEvent.lang == filters.lang)
    return conditions


def count_where(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


ZERO = SearchEvent.result_count == 0
NO_CLICK = and_(SearchEvent.result_count > 0, SearchEvent.clicked_at.is_(None))
FAILED = or_(ZERO, NO_CLICK, SearchEvent.escalated.is_not(None))


def funnel(filters: Filters) -> Funnel:
    """The self-service funnel and its leaks, in one pass over the period's searches."""
    row = db.session.execute(
        select(
            func.count(),
            count_where(SearchEvent.result_count > 0),
            count_where(SearchEvent.clicked_at.is_not(None)),
            count_where(SearchEvent.read_article_id.is_not(None)),
            count_where(SearchEvent.rated_helpful.is_(True)),
            count_where(ZERO),
            count_where(NO_CLICK),
            count_where(SearchEvent.reformulated.is_(True)),
            count_where(SearchEvent.escalated == "thread"),
            count_where(SearchEvent.escalated == "support"),
            count_where(FAILED),
        ).where(*customer_searches(filters))
    ).one()
    return Funnel(*(int(value) for value in row))


def daily(filters: Filters) -> list[tuple[str, int, float]]:
    """(day, searches, failure rate) for each day of the period that had searches."""
    day = func.date(SearchEvent.created_at)
    rows = db.session.execute(
        select(day, func.count(), count_where(FAILED))
        .where(*customer_searches(filters))
        .group_by(day)
        .order_by(day)
    ).all()
    return [(str(d)[:10], int(n), int(f) / int(n) if n else 0.0) for d, n, f in rows]


def headline(current: Funnel, previous: Funnel) -> tuple[str, float | None]:
    """One sentence's key and the figure behind it."""
    if current.searches == 0:
        return "no_traffic", None
    if previous.searches and current.failure_rate - previous.failure_rate >= CLIMB_ALERT:
        return "climbing", current.failure_rate - previous.failure_rate
    if current.failure_rate > FAILURE_ALERT:
        return "gaps", current.failure_rate
    return "healthy", current.success_rate


# -- articles -----------------------------------------------------------------------------------


def _article_scope(filters: Filters):
    conditions = []
    if filters.lang:
        conditions.append(Article.lang == filters.lang)
    if filters.category is not None:
        conditions.append(Article.category_id == filters.category.id)
    return conditions


@dataclass
class ArticleReport:
    least_helpful: list = field(default_factory=list)  # (article, yes, total)
    no_reasons: list = field(default_factory=list)  # (reason, count)
    escalating: list = field(default_factory=list)  # (article, reads, escalated)
    stale: list = field(default_factory=list)  # (article, views)


def articles(filters: Filters, limit: int = 10) -> ArticleReport:
    report = ArticleReport()
    in_period = (HelpfulVote.updated_at >= filters.start, HelpfulVote.updated_at < filters.end)
    yes = count_where(HelpfulVote.helpful.is_(True))
    total = func.count(HelpfulVote.id)
    report.least_helpful = db.session.execute(
        select(Article, yes, total)
        .join(HelpfulVote, HelpfulVote.article_id == Article.id)
        .where(*in_period, *_article_scope(filters))
        .group_by(Article.id)
        .having(total >= MIN_VOTES)
        .order_by((yes * 1.0 / total).asc(), total.desc())
        .limit(limit)
    ).all()
    report.no_reasons = db.session.execute(
        select(HelpfulVote.reason, func.count())
        .join(Article, Article.id == HelpfulVote.article_id)
        .where(
            *in_period,
            HelpfulVote.helpful.is_(False),
            HelpfulVote.reason.is_not(None),
            *_article_scope(filters),
        )
        .group_by(HelpfulVote.reason)
        .order_by(func.count().desc())
    ).all()
    reads = func.count(SearchEvent.id)
    escalated = count_where(SearchEvent.escalated.is_not(None))
    report.escalating = db.session.execute(
        select(Article, reads, escalated)
        .join(SearchEvent, SearchEvent.read_article_id == Article.id)
        .where(*customer_searches(filters), *_article_scope(filters))
        .group_by(Article.id)
        .having(escalated > 0)
        .order_by((escalated * 1.0 / reads).desc(), reads.desc())
        .limit(limit)
    ).all()
    stale_before = utcnow() - timedelta(days=STALE_DAYS)
    views = func.count(ArticleView.id)
    report.stale = db.session.execute(
        select(Article, views)
        .join(ArticleView, ArticleView.article_id == Article.id)
        .where(
            ArticleView.created_at >= filters.start,
            ArticleView.created_at < filters.end,
            ArticleView.is_crawler.is_(False),
            func.coalesce(Article.updated, Article.created_at) < stale_before,
            *_article_scope(filters),
        )  # fmt: skip
        .group_by(Article.id)
        .order_by(views.desc())
        .limit(limit)
    ).all()
    return report


def transcript_passages(filters: Filters, limit: int = 10) -> list[tuple[str, int]]:
    """The transcript moments people open most from search: (video path with ?t=, clicks)."""
    return db.session.execute(
        select(SearchClick.target_url, func.count())
        .where(
            SearchClick.created_at >= filters.start,
            SearchClick.created_at < filters.end,
            SearchClick.target_url.like("/videos/%?t=%"),
        )  # fmt: skip
        .group_by(SearchClick.target_url)
        .order_by(func.count().desc())
        .limit(limit)
    ).all()


# -- community ----------------------------------------------------------------------------------


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
    pairs = db.session.execute(
        select(Thread.created_at, Thread.first_reply_at).where(
            *scope, Thread.first_reply_at.is_not(None)
        )
    ).all()
    waits = [_hours(reply - created) for created, reply in pairs]
    if waits:
        report.first_reply_median_h, report.first_reply_p90_h = (
            statistics.median(waits),
            _p90(waits),
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
    solutions = db.session.execute(
        select(Thread.created_at, Thread.solved_at).where(*scope, Thread.solved_at.is_not(None))
    ).all()
    if solutions:
        report.solution_median_h = statistics.median(_hours(s - c) for c, s in solutions)
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


def purge(days: int) -> dict[str, int]:
    """Delete events older than `days` days (searches with their clicks, views, votes,
    suggestion events, thread views). Forum content itself is kept. Commits."""
    before = utcnow() - timedelta(days=days)
    counts = {}
    for table, column, extra in (
        (SearchClick, SearchClick.created_at, ()),
        (SearchEvent, SearchEvent.created_at, ()),
        (ArticleView, ArticleView.created_at, ()),
        (HelpfulVote, HelpfulVote.updated_at, ()),
        (ComposerEvent, ComposerEvent.created_at, ()),
        (ThreadEvent, ThreadEvent.created_at, (ThreadEvent.event == "viewed",)),
    ):
        result = db.session.execute(delete(table).where(column < before, *extra))
        counts[table.__tablename__] = result.rowcount
    db.session.commit()
    return counts

"""Where self-service and peer help fail, computed exactly as DESIGN.md §4 defines it.

Every figure is a grouped SQL query over one period's rows (indexed on time); outcomes of each
search (click, read, rating, reformulation, escalation) were written when they happened.
"""

from __future__ import annotations

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
    SearchDay,
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


STEPS = ("searches", "with_results", "clicked", "read", "helpful", "zero_result", "no_click", "reformulated",
         "escalated_thread", "escalated_support", "failed")  # fmt: skip
SETTLED_AFTER = timedelta(days=2)  # by then every outcome window (30 minutes) has closed


def _step_counts():
    return (
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
    )


def _day_start(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _settled_days(filters: Filters) -> tuple[datetime, datetime]:
    """The whole days inside the period that can no longer change: [first, last)."""
    first = _day_start(filters.start) + (
        timedelta(days=1) if filters.start != _day_start(filters.start) else timedelta(0)
    )
    last = min(_day_start(filters.end), _day_start(utcnow() - SETTLED_AFTER))
    return first, max(first, last)


def ensure_rollups(first: datetime, last: datetime) -> None:
    """Write the missing settled days' counts into search_day (once per day). Commits."""
    if first >= last:
        return
    have = set(db.session.scalars(select(SearchDay.day).where(SearchDay.day >= first.date().isoformat(),
                                                               SearchDay.day < last.date().isoformat())))  # fmt: skip
    wanted = {(first + timedelta(days=n)).date().isoformat() for n in range((last - first).days)}
    if wanted <= have:
        return
    day = func.date(SearchEvent.created_at)
    rows = db.session.execute(
        select(day, SearchEvent.lang, *_step_counts())
        .where(*customer_searches(Filters(start=first, end=last)))
        .group_by(day, SearchEvent.lang)
    ).all()
    for row in rows:
        key = str(row[0])[:10]
        if key not in have:
            db.session.add(
                SearchDay(
                    day=key, lang=row[1], **dict(zip(STEPS, (int(v) for v in row[2:]), strict=True))
                )
            )
    for key in wanted - have - {str(r[0])[:10] for r in rows}:
        db.session.add(
            SearchDay(day=key, lang="", searches=0)
        )  # a day with no searches is settled too
    db.session.commit()


def forget_rollups() -> None:
    """Events were added or removed after the fact: the settled counts must be recomputed."""
    db.session.execute(delete(SearchDay))
    db.session.commit()


def _by_day(filters: Filters) -> dict[str, list[int]]:
    """Counts per day: settled days from search_day, the rest counted live."""
    first, last = _settled_days(filters)
    ensure_rollups(first, last)
    days: dict[str, list[int]] = {}

    def add(key: str, counts) -> None:
        total = days.setdefault(key, [0] * len(STEPS))
        for i, value in enumerate(counts):
            total[i] += int(value)

    rollups = select(SearchDay).where(
        SearchDay.day >= first.date().isoformat(), SearchDay.day < last.date().isoformat()
    )
    if filters.lang:
        rollups = rollups.where(SearchDay.lang == filters.lang)
    for rollup in db.session.scalars(rollups):
        if rollup.searches:
            add(rollup.day, [getattr(rollup, step) for step in STEPS])
    day = func.date(SearchEvent.created_at)
    for start, end in ((filters.start, first), (last, filters.end)):
        if start < end:
            live = replace(filters, start=start, end=min(end, filters.end))
            for row in db.session.execute(
                select(day, *_step_counts()).where(*customer_searches(live)).group_by(day)
            ):
                add(str(row[0])[:10], row[1:])
    return days


def funnel(filters: Filters) -> Funnel:
    """The self-service funnel and its leaks over the period."""
    totals = [0] * len(STEPS)
    for counts in _by_day(filters).values():
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    return Funnel(*totals)


def daily(filters: Filters) -> list[tuple[str, int, float]]:
    """(day, searches, failure rate) for each day of the period that had searches."""
    failed = STEPS.index("failed")
    return [
        (d, c[0], c[failed] / c[0] if c[0] else 0.0)
        for d, c in sorted(_by_day(filters).items())
        if c[0]
    ]


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
    # Aggregate the period's searches per article first (one index range scan), then join.
    per_article = (
        select(
            SearchEvent.read_article_id.label("article_id"),
            func.count().label("reads"),
            count_where(SearchEvent.escalated.is_not(None)).label("escalated"),
        )
        .where(*customer_searches(filters), SearchEvent.read_article_id.is_not(None))
        .group_by(SearchEvent.read_article_id)
        .subquery()
    )
    report.escalating = db.session.execute(
        select(Article, per_article.c.reads, per_article.c.escalated)
        .join(per_article, per_article.c.article_id == Article.id)
        .where(per_article.c.escalated > 0, *_article_scope(filters))
        .order_by(
            (per_article.c.escalated * 1.0 / per_article.c.reads).desc(), per_article.c.reads.desc()
        )
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
    forget_rollups()
    return counts

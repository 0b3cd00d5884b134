"""Where self-service and peer help fail, computed exactly as DESIGN.md §4 defines it.

Every figure is a grouped SQL query over one period's rows (indexed on time); outcomes of each
search (click, read, rating, reformulation, escalation) were written when they happened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, or_, select

from helpcenter.database import changed_rows, insert_missing
from helpcenter.extensions import db
from helpcenter.models import (
    AnswerAlert,
    ArticleView,
    Category,
    ComposerEvent,
    HelpfulVote,
    SearchClick,
    SearchDay,
    SearchEvent,
    ThreadEvent,
)
from helpcenter.models.analytics import Escalation
from helpcenter.models.base import utcnow

PERIODS = (7, 30, 90)
DEFAULT_DAYS = 30  # the period staff pages show when none is chosen
FAILURE_ALERT = 0.35  # a failure rate above this is "content gaps"
CLIMB_ALERT = 0.05  # five points worse than the period before is "climbing"


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


def filters_for(
    days: int = DEFAULT_DAYS,
    *,
    lang: str | None = None,
    category: Category | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Filters:
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


STEPS = (
    "searches",
    "with_results",
    "clicked",
    "read",
    "helpful",
    "zero_result",
    "no_click",
    "reformulated",
    "escalated_thread",
    "escalated_support",
    "failed",
)
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
        count_where(SearchEvent.escalated == Escalation.THREAD),
        count_where(SearchEvent.escalated == Escalation.SUPPORT),
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
    """Write the missing settled days' counts into search_day (once per day). Commits. Safe
    to run from two requests at once."""
    if first >= last:
        return
    have = set(
        db.session.scalars(
            select(SearchDay.day).where(
                SearchDay.day >= first.date().isoformat(), SearchDay.day < last.date().isoformat()
            )
        )
    )
    wanted = {(first + timedelta(days=n)).date().isoformat() for n in range((last - first).days)}
    if wanted <= have:
        return
    day = func.date(SearchEvent.created_at)
    rows = db.session.execute(
        select(day, SearchEvent.lang, *_step_counts())
        .where(*customer_searches(Filters(start=first, end=last)))
        .group_by(day, SearchEvent.lang)
    ).all()
    filled = [
        {
            "day": str(row[0])[:10],
            "lang": row[1],
            **dict(zip(STEPS, (int(v) for v in row[2:]), strict=True)),
        }
        for row in rows
        if str(row[0])[:10] not in have
    ]
    # a day with no searches is settled too
    filled += [
        {"day": key, "lang": "", **dict.fromkeys(STEPS, 0)}
        for key in wanted - have - {str(r[0])[:10] for r in rows}
    ]
    insert_missing(SearchDay, filled)  # another request may be filling the same days right now
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


def purge(days: int) -> dict[str, int]:
    """Delete events older than `days` days (searches with their clicks, views, votes,
    suggestion events, thread views). Community content itself is kept. Commits."""
    before = utcnow() - timedelta(days=days)
    counts = {}
    for table, column, extra in (
        (SearchClick, SearchClick.created_at, ()),
        (AnswerAlert, AnswerAlert.created_at, ()),  # "tell me when answered", waiting or told
        (SearchEvent, SearchEvent.created_at, ()),
        (ArticleView, ArticleView.created_at, ()),
        (HelpfulVote, HelpfulVote.updated_at, ()),
        (ComposerEvent, ComposerEvent.created_at, ()),
        (ThreadEvent, ThreadEvent.created_at, (ThreadEvent.event == "viewed",)),
    ):
        counts[table.__tablename__] = changed_rows(delete(table).where(column < before, *extra))
    db.session.commit()
    forget_rollups()
    return counts

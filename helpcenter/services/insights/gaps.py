"""The gap inbox: failed searches grouped by what they asked, ranked by how many people they
failed, and the loop from a gap to a published article that is verified to close it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select

from helpcenter.extensions import db
from helpcenter.markup import render_markdown
from helpcenter.models import Article, Gap, SearchEvent, Thread, User
from helpcenter.models.analytics import GAP_STATUSES, GapStatus
from helpcenter.models.base import utcnow
from helpcenter.models.content import KIND_ARTICLE, STATUS_DRAFT
from helpcenter.search_index.text import distinct_spellings
from helpcenter.services import audit
from helpcenter.services.content import catalog
from helpcenter.services.content.markdown_files import slug_from_title
from helpcenter.services.insights.measures import (
    FAILED,
    Filters,
    count_where,
    customer_searches,
    filters_for,
)
from helpcenter.services.search import answer_alerts, synonym_suggestions
from helpcenter.services.webhooks import events as webhook_events

# Grouping by this expression (not the bare column) keeps planners from walking the whole
# (gap_key, created_at) index to skip a sort; the period's range scan is far cheaper.
GROUP_KEY = SearchEvent.gap_key.concat("")
WEEKLY_AFTER_DAYS = 30  # longer periods are drawn per week, so a sparkline stays readable
MIN_AFTER = 5  # searches after publishing before a gap can be called fixed (or back)
COMPARE_DAYS = 30
PAGE_SIZE = 20  # gap cards per inbox page


@dataclass
class GapRow:
    key: str
    searches: int
    failed: int
    visitors: int
    langs: list[str] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)
    gap: Gap | None = None
    before: float | None = None  # failure rate in the 30 days before the article
    after: float | None = None
    after_searches: int = 0
    trend: list[tuple[str, int]] = field(default_factory=list)  # (first day of bucket, failed)
    suggestions: list = field(default_factory=list)  # SynonymSuggestion, on the inbox page
    waiting: int | None = None  # people waiting to be told it is answered (inbox page only)
    latest: datetime | None = None  # the gap's newest search in the period
    rise: int = 0  # failed searches in the period's second half minus its first
    reopened: bool = False  # addressed, but its searches fail as often as before the article

    @property
    def status(self) -> str:
        if self.reopened:
            return GapStatus.OPEN
        return self.gap.status if self.gap else GapStatus.OPEN

    @property
    def verified(self) -> bool:
        return (
            self.status == GapStatus.ADDRESSED
            and self.after_searches >= MIN_AFTER
            and self.after is not None
            and self.before is not None
            and self.after <= self.before / 2
        )


def most_common_misses(filters: Filters, limit: int = 5) -> list[tuple[str, int]]:
    """(sample query, searches) of the commonest searches that found nothing: the dashboard's
    quick view. The gap inbox ranks every kind of failure by distinct people, at more cost."""
    n = func.count()
    top = db.session.execute(
        select(GROUP_KEY, n)
        .where(
            *customer_searches(filters), SearchEvent.result_count == 0, SearchEvent.gap_key != ""
        )
        .group_by(GROUP_KEY)
        .order_by(n.desc())
        .limit(limit)
    ).all()
    sample = select(SearchEvent.query).where(*customer_searches(filters)).limit(1)
    return [
        (db.session.scalar(sample.where(SearchEvent.gap_key == key)) or key, count)
        for key, count in top
    ]


SORTS = ("people", "newest", "trend")


def inbox(
    filters: Filters,
    status: str | None = GapStatus.OPEN,
    limit: int = 50,
    *,
    offset: int = 0,
    sort: str = "people",
) -> list[GapRow]:
    """Gaps with failed searches in the period: each with all its searches and the failed ones,
    ranked by the people it failed (or newest, or rising). A fixed number of queries, whatever
    the number of gaps; nothing is written (a gap that fails again shows as reopened)."""
    return inbox_window(filters, status, limit=limit, offset=offset, sort=sort)[0]


def inbox_window(
    filters: Filters,
    status: str | None = GapStatus.OPEN,
    *,
    limit: int = 50,
    offset: int = 0,
    sort: str = "people",
) -> tuple[list[GapRow], int]:
    """One page of the inbox, and how many gaps match in all."""
    matching = listed(filters, status)
    if sort == "newest":
        matching.sort(key=lambda row: row.latest or datetime.min, reverse=True)
    elif sort == "trend":
        _fill_rise(matching, filters)
        matching.sort(key=lambda row: row.rise, reverse=True)
    page = matching[offset : offset + limit]
    _fill_details(page, filters)
    return page, len(matching)


def listed(filters: Filters, status: str | None = GapStatus.OPEN) -> list[GapRow]:
    """Every gap the inbox lists under `status` (None: all) for the period, ranked by people,
    with its figures but no details: a key with at least one failed search in the period,
    whose status (an addressed gap failing as often as before counts as open) matches. What
    the inbox shows and the `gap.opened` webhook announces, from one definition."""
    failed_people = func.count(func.distinct(case((FAILED, SearchEvent.visitor_id))))
    failed = count_where(FAILED)
    rows = db.session.execute(
        select(GROUP_KEY, func.count(), failed, failed_people, func.max(SearchEvent.created_at))
        .where(*customer_searches(filters), SearchEvent.gap_key != "")
        .group_by(GROUP_KEY)
        .having(failed > 0)
        .order_by(failed_people.desc(), func.count().desc(), GROUP_KEY)
    ).all()
    known = {
        g.key: g for g in db.session.scalars(select(Gap).where(Gap.key.in_([r[0] for r in rows])))
    }
    candidates = [
        GapRow(
            key=key,
            searches=int(total),
            failed=int(missed),
            visitors=int(people),
            gap=known.get(key),
            latest=latest,
        )
        for key, total, missed, people, latest in rows
    ]
    _compare_all([row for row in candidates if row.gap and row.gap.status == GapStatus.ADDRESSED])
    return [row for row in candidates if status is None or row.status == status]


def inbox_page(
    filters: Filters, status: str | None = GapStatus.OPEN, *, page: int = 1, sort: str = "people"
) -> tuple[list[GapRow], int]:
    """The inbox as staff see it, one page at a time: each gap with its trend, synonym
    suggestions and the number of people waiting for an answer; and the number of gaps."""
    rows, total = inbox_window(
        filters, status, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, sort=sort
    )
    fill_trends(rows, filters)
    synonym_suggestions.fill_suggestions(rows)
    _fill_waiting(rows)
    return rows, total


def is_weekly(filters: Filters) -> bool:
    return filters.days > WEEKLY_AFTER_DAYS


def trend_buckets(filters: Filters) -> tuple[list[date], int]:
    """The first day of each bucket of the period, and the bucket length in days (1 or 7)."""
    first, last = filters.start.date(), (filters.end - timedelta(microseconds=1)).date()
    step = 7 if is_weekly(filters) else 1
    return [first + timedelta(days=n) for n in range(0, (last - first).days + 1, step)], step


def fill_trends(rows: list[GapRow], filters: Filters) -> None:
    """Failed searches per day (per week over long periods) of each row: one grouped query for
    all rows, days folded into weeks afterwards (at most rows × days small tuples)."""
    if not rows:
        return
    buckets, step = trend_buckets(filters)
    per_gap = {row.key: [0] * len(buckets) for row in rows}
    day = func.date(SearchEvent.created_at)
    for key, on, failed in db.session.execute(
        select(SearchEvent.gap_key, day, func.count())
        .where(*customer_searches(filters), FAILED, SearchEvent.gap_key.in_(list(per_gap)))
        .group_by(SearchEvent.gap_key, day)
    ):
        on = on if isinstance(on, date) else date.fromisoformat(str(on)[:10])
        index = (on - buckets[0]).days // step
        if 0 <= index < len(buckets):
            per_gap[key][index] += int(failed)
    for row in rows:
        row.trend = [(b.isoformat(), n) for b, n in zip(buckets, per_gap[row.key], strict=True)]


def _fill_waiting(rows: list[GapRow]) -> None:
    """How many people wait to be told each gap is answered (one grouped query)."""
    waiting = answer_alerts.waiting_counts([row.key for row in rows])
    for row in rows:
        row.waiting = waiting[row.key]


def _compare_all(rows: list[GapRow]) -> None:
    """Failure rate in the 30 days before each addressed gap's article and since (one grouped
    query). A gap that fails as often as before shows as reopened; nothing is written here."""
    if not rows:
        return
    addressed: dict[str, datetime] = {}
    for row in rows:
        assert row.gap is not None and row.gap.addressed_at is not None  # addressed gaps only
        addressed[row.key] = row.gap.addressed_at
    earliest = min(addressed.values()) - timedelta(days=COMPARE_DAYS)
    since = case(
        *(
            (SearchEvent.gap_key == key, SearchEvent.created_at >= at)
            for key, at in addressed.items()
        ),
        else_=False,
    )
    window_start = case(
        *(
            (SearchEvent.gap_key == key, at - timedelta(days=COMPARE_DAYS))
            for key, at in addressed.items()
        )
    )
    counts = {
        (key, bool(after)): (int(total), int(missed))
        for key, after, total, missed in db.session.execute(
            select(SearchEvent.gap_key, since, func.count(), count_where(FAILED))
            .where(
                *customer_searches(Filters(start=earliest, end=utcnow())),
                SearchEvent.gap_key.in_(list(addressed)),
                SearchEvent.created_at >= window_start,
            )
            .group_by(SearchEvent.gap_key, since)
        )
    }
    for row in rows:
        before_total, before_failed = counts.get((row.key, False), (0, 0))
        after_total, after_failed = counts.get((row.key, True), (0, 0))
        row.before = before_failed / before_total if before_total else None
        row.after = after_failed / after_total if after_total else None
        row.after_searches = after_total
        row.reopened = (
            row.after_searches >= MIN_AFTER  # so row.after is a rate
            and row.before is not None
            and row.after is not None
            and row.after >= row.before
        )


def _fill_rise(rows: list[GapRow], filters: Filters) -> None:
    """Failed searches in the second half of the period minus the first (one grouped query)."""
    middle = filters.start + (filters.end - filters.start) / 2
    late = SearchEvent.created_at >= middle
    rises: dict[str, int] = dict(
        db.session.execute(
            select(SearchEvent.gap_key, count_where(late) - count_where(~late))
            .where(
                *customer_searches(filters), FAILED, SearchEvent.gap_key.in_([r.key for r in rows])
            )
            .group_by(SearchEvent.gap_key)
        ).all()
    )
    for row in rows:
        row.rise = int(rises.get(row.key, 0))


def _fill_details(rows: list[GapRow], filters: Filters) -> None:
    """Sample queries, languages and the threads people posted afterwards, for every row at
    once: the latest 200 searches of each gap (a window function), then one query for threads."""
    if not rows:
        return
    recent = (
        select(
            SearchEvent.gap_key,
            SearchEvent.query,
            SearchEvent.lang,
            SearchEvent.id,
            func.row_number()
            .over(partition_by=SearchEvent.gap_key, order_by=SearchEvent.id.desc())
            .label("n"),
        )
        .where(*customer_searches(filters), SearchEvent.gap_key.in_([row.key for row in rows]))
        .subquery()
    )
    searches: dict[str, list[tuple[str, str, int]]] = {row.key: [] for row in rows}
    for key, query, lang, search_id in db.session.execute(
        select(recent.c.gap_key, recent.c.query, recent.c.lang, recent.c.id).where(
            recent.c.n <= 200
        )
    ):
        searches[key].append((query, lang, search_id))
    owner: dict[int | None, str] = {
        search_id: key for key, found in searches.items() for _q, _l, search_id in found
    }
    threads: dict[str, list[Thread]] = {row.key: [] for row in rows}
    for thread in db.session.scalars(
        select(Thread)
        .where(Thread.search_id.in_(list(owner)), Thread.deleted_at.is_(None))
        .order_by(Thread.id)
    ):
        threads[owner[thread.search_id]].append(thread)
    for row in rows:
        found = searches[row.key]
        row.samples = [q for q, _n in Counter(q for q, _l, _i in found).most_common(3)]
        row.langs = sorted({lang for _q, lang, _i in found})
        row.threads = threads[row.key]


def get_or_create(key: str) -> Gap:
    gap = db.session.scalars(select(Gap).where(Gap.key == key)).first()
    if gap is None:
        gap = Gap(key=key)
        db.session.add(gap)
        db.session.flush()
    return gap


def set_status(
    staff: User, key: str, status: str, *, reason: str | None = None, assignee: User | None = None
) -> Gap:
    if status not in GAP_STATUSES:
        raise ValueError(status)
    gap = get_or_create(key)
    reopened = status == GapStatus.OPEN and gap.status != GapStatus.OPEN
    gap.status = status
    gap.dismissed_reason = (
        (reason or "").strip()[:300] or None if status == GapStatus.DISMISSED else None
    )
    if assignee is not None:
        gap.assignee_id = assignee.id
    if status == GapStatus.ADDRESSED and gap.addressed_at is None:
        gap.addressed_at = utcnow()
    audit.record(staff, f"gap.{status}", f"gap:{key}", reason=gap.dismissed_reason)
    if reopened:
        webhook_events.gap_reopened(gap)
    db.session.commit()
    return gap


def draft_article(staff: User, key: str, filters: Filters | None = None) -> Article:
    """Start an article from a gap: title, keywords and related threads filled in (from the
    last 90 days unless `filters` says otherwise); gap planned."""
    filters = filters or filters_for(90)
    row = GapRow(key=key, searches=0, failed=0, visitors=0)
    _fill_details([row], filters)  # samples, languages and threads of this one gap
    lang = "ja" if "ja" in row.langs and "en" not in row.langs else "en"
    title = (row.samples[0] if row.samples else key).strip()
    title = title[0].upper() + title[1:] if title else key
    questions = "\n".join(f"- {q}" for q in row.samples) or f"- {key}"
    threads = "\n".join(f"- [{t.title}]({t.path})" for t in row.threads)
    body = f"<!-- People searched for:\n{questions}\n-->\n\n## \n\n" + (
        f"Related community threads:\n\n{threads}\n" if threads else ""
    )
    slug = catalog.free_slug(KIND_ARTICLE, lang, slug_from_title(key, "new-article"))
    rendered = render_markdown(body)
    article = Article(
        kind="article",
        lang=lang,
        slug=slug,
        title=title,
        tags=distinct_spellings(row.samples)[:5],
        status=STATUS_DRAFT,
        owner_id=staff.id,
        body_md=body,
        body_html=rendered.html,
        body_text=rendered.text,
        toc=rendered.toc,
    )
    db.session.add(article)
    db.session.flush()
    gap = get_or_create(key)
    gap.status, gap.article_id, gap.assignee_id = GapStatus.PLANNED, article.id, staff.id
    audit.record(staff, "gap.draft_article", f"gap:{key}", article=article.id)
    db.session.commit()
    return article


def article_published(article: Article) -> list[Gap]:
    """Gaps planned with this article become addressed; their before/after clock starts. Commits."""
    gaps = list(
        db.session.scalars(
            select(Gap).where(Gap.article_id == article.id, Gap.status != GapStatus.ADDRESSED)
        )
    )
    for gap in gaps:
        gap.status, gap.addressed_at = GapStatus.ADDRESSED, utcnow()
    db.session.commit()
    return gaps


def addressed_between(start: datetime, end: datetime) -> list[GapRow]:
    """Gaps whose article was published in [start, end), with the failure rate of their
    searches in the 30 days before and since (the inbox's own comparison)."""
    found = db.session.scalars(
        select(Gap)
        .where(Gap.addressed_at >= start, Gap.addressed_at < end, Gap.article_id.is_not(None))
        .order_by(Gap.addressed_at)
    ).all()
    rows = [GapRow(key=gap.key, searches=0, failed=0, visitors=0, gap=gap) for gap in found]
    _compare_all(rows)
    return rows


def reopened_by_searches(addressed: list[Gap]) -> list[Gap]:
    """The addressed gaps whose searches since the article fail as often as before it (what
    the inbox shows as reopened). One grouped query; nothing is written."""
    rows = [GapRow(key=gap.key, searches=0, failed=0, visitors=0, gap=gap) for gap in addressed]
    _compare_all(rows)
    return [gap for gap, row in zip(addressed, rows, strict=True) if row.reopened]

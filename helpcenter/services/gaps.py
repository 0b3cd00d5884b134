"""The gap inbox: failed searches grouped by what they asked, ranked by how many people they
failed, and the loop from a gap to a published article that is verified to close it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from helpcenter.content_files import slug_from_title
from helpcenter.extensions import db
from helpcenter.markup import render_markdown
from helpcenter.models import Article, Gap, SearchEvent, Thread, User
from helpcenter.models.analytics import GAP_STATUSES
from helpcenter.models.base import utcnow
from helpcenter.models.content import KIND_ARTICLE, STATUS_DRAFT
from helpcenter.services import answer_alerts, audit, catalog, gap_synonyms
from helpcenter.services.insights import FAILED, Filters, count_where, customer_searches

# Grouping by this expression (not the bare column) keeps planners from walking the whole
# (gap_key, created_at) index to skip a sort; the period's range scan is far cheaper.
GROUP_KEY = SearchEvent.gap_key.concat("")
WEEKLY_AFTER_DAYS = 30  # longer periods are drawn per week, so a sparkline stays readable
MIN_AFTER = 5  # searches after publishing before a gap can be called fixed (or back)
COMPARE_DAYS = 30


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

    @property
    def status(self) -> str:
        return self.gap.status if self.gap else "open"

    @property
    def verified(self) -> bool:
        return (
            self.status == "addressed" and self.after_searches >= MIN_AFTER
            and self.after is not None and self.before is not None and self.after <= self.before / 2
        )  # fmt: skip


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


def inbox(filters: Filters, status: str | None = "open", limit: int = 50) -> list[GapRow]:
    """Gaps with failed searches in the period, most people failed first."""
    visitors = func.count(func.distinct(SearchEvent.visitor_id))
    rows = db.session.execute(
        select(GROUP_KEY, func.count(), count_where(FAILED), visitors)
        .where(*customer_searches(filters), FAILED, SearchEvent.gap_key != "")
        .group_by(GROUP_KEY)
        .order_by(visitors.desc(), func.count().desc(), GROUP_KEY)
    ).all()
    known = {
        g.key: g for g in db.session.scalars(select(Gap).where(Gap.key.in_([r[0] for r in rows])))
    }
    result = []
    for key, searches, failed, people in rows:
        row = GapRow(
            key=key,
            searches=int(searches),
            failed=int(failed),
            visitors=int(people),
            gap=known.get(key),
        )
        if row.status == "addressed":
            _compare(row)  # may reopen it, so it is checked before filtering by status
        if status is None or row.status == status:
            result.append(row)
        if len(result) >= limit:
            break
    for row in result:
        _fill_details(row, filters)
    return result


def inbox_page(filters: Filters, status: str | None = "open") -> list[GapRow]:
    """The inbox as staff see it: each gap with its trend, synonym suggestions and the number of
    people waiting for an answer."""
    rows = inbox(filters, status)
    fill_trends(rows, filters)
    gap_synonyms.fill_suggestions(rows)
    _fill_waiting(rows)
    return rows


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


def _compare(row: GapRow) -> None:
    """Failure rate before and since the article; a gap that fails as often as before reopens."""
    addressed = row.gap.addressed_at
    row.before, _n = _failure_rate(row.key, addressed - timedelta(days=COMPARE_DAYS), addressed)
    row.after, row.after_searches = _failure_rate(row.key, addressed, utcnow())
    if row.after_searches >= MIN_AFTER and row.before is not None and row.after >= row.before:
        row.gap.status, row.gap.addressed_at = "open", None
        db.session.commit()


def _fill_details(row: GapRow, filters: Filters) -> None:
    searches = db.session.execute(
        select(SearchEvent.query, SearchEvent.lang, SearchEvent.id)
        .where(*customer_searches(filters), SearchEvent.gap_key == row.key)
        .order_by(SearchEvent.id.desc())
        .limit(200)
    ).all()
    row.samples = [q for q, _n in Counter(q for q, _l, _i in searches).most_common(3)]
    row.langs = sorted({lang for _q, lang, _i in searches})
    row.threads = list(
        db.session.scalars(
            select(Thread).where(
                Thread.search_id.in_([i for _q, _l, i in searches]), Thread.deleted_at.is_(None)
            )
        )
    )


def _failure_rate(key: str, start, end) -> tuple[float | None, int]:
    total, failed = db.session.execute(
        select(func.count(), count_where(FAILED)).where(
            *customer_searches(Filters(start=start, end=end)), SearchEvent.gap_key == key
        )
    ).one()
    return (int(failed) / total if total else None), int(total)


def get_or_create(key: str) -> Gap:
    gap = db.session.scalars(select(Gap).where(Gap.key == key)).first()
    if gap is None:
        gap = Gap(key=key)
        db.session.add(gap)
        db.session.flush()
    return gap


def set_status(
    staff: User, key: str, status: str, reason: str | None = None, assignee: User | None = None
) -> Gap:
    if status not in GAP_STATUSES:
        raise ValueError(status)
    gap = get_or_create(key)
    gap.status = status
    gap.dismissed_reason = (reason or "").strip()[:300] or None if status == "dismissed" else None
    if assignee is not None:
        gap.assignee_id = assignee.id
    if status == "addressed" and gap.addressed_at is None:
        gap.addressed_at = utcnow()
    audit.record(staff, f"gap.{status}", f"gap:{key}", reason=gap.dismissed_reason)
    db.session.commit()
    return gap


def draft_article(staff: User, key: str, filters: Filters) -> Article:
    """Start an article from a gap: title, keywords and related threads filled in; gap planned."""
    row = GapRow(key=key, searches=0, failed=0, visitors=0)
    _fill_details(row, filters)  # samples, languages and threads of this one gap
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
    article = Article(kind="article", lang=lang, slug=slug, title=title, tags=row.samples[:5], status=STATUS_DRAFT, owner_id=staff.id,
                      body_md=body, body_html=rendered.html, body_text=rendered.text, toc=rendered.toc)  # fmt: skip
    db.session.add(article)
    db.session.flush()
    gap = get_or_create(key)
    gap.status, gap.article_id, gap.assignee_id = "planned", article.id, staff.id
    audit.record(staff, "gap.draft_article", f"gap:{key}", article=article.id)
    db.session.commit()
    return article


def article_published(article: Article) -> list[Gap]:
    """Gaps planned with this article become addressed; their before/after clock starts. Commits."""
    gaps = list(
        db.session.scalars(
            select(Gap).where(Gap.article_id == article.id, Gap.status != "addressed")
        )
    )
    for gap in gaps:
        gap.status, gap.addressed_at = "addressed", utcnow()
    db.session.commit()
    return gaps

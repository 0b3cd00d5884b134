"""Articles and videos that need staff attention, over a period (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Row, func, select

from helpcenter.extensions import db
from helpcenter.models import Article, ArticleView, HelpfulVote, SearchClick, SearchEvent
from helpcenter.models.base import utcnow
from helpcenter.models.content import KIND_VIDEO
from helpcenter.services.insights.measures import Filters, count_where, customer_searches

MIN_VOTES = 3
MIN_VIDEO_VIEWS = 3  # like MIN_VOTES: a rate over fewer views says nothing
STALE_DAYS = 180


def article_scope(filters: Filters):
    conditions = []
    if filters.lang:
        conditions.append(Article.lang == filters.lang)
    if filters.category is not None:
        conditions.append(Article.category_id == filters.category.id)
    return conditions


@dataclass
class ArticleReport:
    least_helpful: Sequence[Row[Article, int, int]] = field(default_factory=list)  # yes, total
    no_reasons: Sequence[Row[str | None, int]] = field(default_factory=list)  # (reason, count)
    escalating: list[tuple[Article, int, int]] = field(default_factory=list)  # reads, escalated
    videos_escalating: list[tuple[Article, int, int]] = field(default_factory=list)  # views, esc.
    stale: Sequence[Row[Article, int]] = field(default_factory=list)  # (article, views)


VOTES_YES = count_where(HelpfulVote.helpful.is_(True))
VOTES = func.count(HelpfulVote.id)


def article_votes(filters: Filters):
    """(article, yes, votes) per article of the scope for the votes cast or changed in the
    period: the query behind the least-helpful table and a goal's most-voted articles."""
    return (
        select(Article, VOTES_YES, VOTES)
        .join(HelpfulVote, HelpfulVote.article_id == Article.id)
        .where(
            HelpfulVote.updated_at >= filters.start,
            HelpfulVote.updated_at < filters.end,
            *article_scope(filters),
        )
        .group_by(Article.id)
    )


def articles(filters: Filters, limit: int = 10) -> ArticleReport:
    report = ArticleReport()
    in_period = (HelpfulVote.updated_at >= filters.start, HelpfulVote.updated_at < filters.end)
    yes, total = VOTES_YES, VOTES
    report.least_helpful = db.session.execute(
        article_votes(filters)
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
            *article_scope(filters),
        )
        .group_by(HelpfulVote.reason)
        .order_by(func.count().desc())
    ).all()
    report.escalating, report.videos_escalating = _escalating(filters, limit)
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
            *article_scope(filters),
        )
        .group_by(Article.id)
        .order_by(views.desc())
        .limit(limit)
    ).all()
    return report


def _escalating(
    filters: Filters, limit: int
) -> tuple[list[tuple[Article, int, int]], list[tuple[Article, int, int]]]:
    """Pages read from search whose readers still escalated: all pages, and videos with at least
    MIN_VIDEO_VIEWS views. A view of a video is a search whose click opened it (or one of its
    transcript passages), the same "read" the articles' figure counts."""
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
    # One row per page that saw an escalation (at most the number of pages), split below.
    ranked = db.session.execute(
        select(Article.id, Article.kind, per_article.c.reads, per_article.c.escalated)
        .join(per_article, per_article.c.article_id == Article.id)
        .where(per_article.c.escalated > 0, *article_scope(filters))
        .order_by(
            (per_article.c.escalated * 1.0 / per_article.c.reads).desc(),
            per_article.c.reads.desc(),
            Article.id,
        )
    ).all()
    pages = ranked[:limit]
    videos = [r for r in ranked if r.kind == KIND_VIDEO and r.reads >= MIN_VIDEO_VIEWS][:limit]
    loaded = {
        a.id: a
        for a in db.session.scalars(
            select(Article).where(Article.id.in_(list({r.id for r in (*pages, *videos)})))
        )
    }
    return (
        [(loaded[r.id], int(r.reads), int(r.escalated)) for r in pages],
        [(loaded[r.id], int(r.reads), int(r.escalated)) for r in videos],
    )


def transcript_passages(filters: Filters, limit: int = 10) -> Sequence[Row[str, int]]:
    """The transcript moments people open most from search: (video path with ?t=, clicks)."""
    return db.session.execute(
        select(SearchClick.target_url, func.count())
        .where(
            SearchClick.created_at >= filters.start,
            SearchClick.created_at < filters.end,
            SearchClick.target_url.like("/videos/%?t=%"),
        )
        .group_by(SearchClick.target_url)
        .order_by(func.count().desc())
        .limit(limit)
    ).all()

"""The self-service score: how many people helped themselves for each one who still
contacted support, and whether those who contacted support had searched first.

Definitions (also on the "how these numbers are computed" page), for a period, a language and
a topic. Staff and crawlers are left out everywhere.
- Help-center users: distinct visitors who searched, or read an article or watched a video.
  A search has no topic: with a topic, only reads and views of that topic's pages count.
- Contacts: distinct visitors who sent a support request. With a topic: only visitors who read
  a page of that topic earlier in the period.
- Score = users ÷ contacts; None (shown "—") when nobody contacted support.
- Preceded by a search: support requests whose visitor searched earlier in the period ÷ all
  requests; with results: of those, the requests whose latest earlier search had results.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select, union

from helpcenter.extensions import db
from helpcenter.models import Article, ArticleView, SearchEvent, SupportRequest
from helpcenter.services.insights.measures import Filters, count_where, customer_searches


@dataclass(frozen=True)
class SelfService:
    users: int = 0
    contacts: int = 0
    requests: int = 0
    after_search: int = 0
    with_results: int = 0

    @property
    def score(self) -> float | None:
        return self.users / self.contacts if self.contacts else None

    @property
    def searched_share(self) -> float | None:
        return self.after_search / self.requests if self.requests else None

    @property
    def results_share(self) -> float | None:
        return self.with_results / self.after_search if self.after_search else None


def _page_views(filters: Filters):
    conditions = [
        ArticleView.created_at >= filters.start,
        ArticleView.created_at < filters.end,
        ArticleView.is_crawler.is_(False),
        ArticleView.is_staff.is_(False),
    ]
    if filters.lang:
        conditions.append(Article.lang == filters.lang)
    if filters.category is not None:
        conditions.append(Article.category_id == filters.category.id)
    return conditions


def _requests(filters: Filters):
    conditions = [
        SupportRequest.created_at >= filters.start,
        SupportRequest.created_at < filters.end,
    ]
    if filters.lang:
        conditions.append(SupportRequest.lang == filters.lang)
    if filters.category is not None:
        read_before = (
            select(ArticleView.id)
            .join(Article, Article.id == ArticleView.article_id)
            .where(
                *_page_views(filters),
                ArticleView.visitor_id == SupportRequest.visitor_id,
                ArticleView.created_at <= SupportRequest.created_at,
            )
        )
        conditions.append(exists(read_before))
    return conditions


def _users(filters: Filters) -> int:
    viewers = (
        select(ArticleView.visitor_id)
        .join(Article, Article.id == ArticleView.article_id)
        .where(*_page_views(filters))
    )
    if filters.category is None:
        searchers = select(SearchEvent.visitor_id).where(*customer_searches(filters))
        people = union(searchers, viewers).subquery()  # union drops duplicates
    else:
        people = viewers.distinct().subquery()
    return db.session.execute(select(func.count()).select_from(people)).scalar_one()


def measure(filters: Filters) -> SelfService:
    """Four queries over the period's rows, whatever their number."""
    contacts = db.session.execute(
        select(func.count(func.distinct(SupportRequest.visitor_id))).where(*_requests(filters))
    ).scalar_one()
    earlier = and_(
        SearchEvent.visitor_id == SupportRequest.visitor_id,
        SearchEvent.created_at < SupportRequest.created_at,
        SearchEvent.created_at >= filters.start,
        SearchEvent.is_staff.is_(False),
        SearchEvent.is_crawler.is_(False),
    )
    latest_results = (
        select(SearchEvent.result_count)
        .where(earlier)
        .order_by(SearchEvent.created_at.desc(), SearchEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    requests, after_search, with_results = db.session.execute(
        select(
            func.count(),
            count_where(exists(select(SearchEvent.id).where(earlier))),
            count_where(latest_results > 0),
        ).where(*_requests(filters))
    ).one()
    return SelfService(
        users=_users(filters),
        contacts=int(contacts),
        requests=int(requests),
        after_search=int(after_search),
        with_results=int(with_results),
    )

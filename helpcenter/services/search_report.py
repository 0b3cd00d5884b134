"""A first look at how search is doing: counts and the commonest queries that found nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import SearchEvent
from helpcenter.models.base import utcnow


@dataclass(frozen=True)
class SearchSummary:
    days: int
    searches: int
    zero_result: int
    top_zero_result: list[tuple[str, int]]

    @property
    def zero_result_rate(self) -> float:
        return self.zero_result / self.searches if self.searches else 0.0


def summarize(days: int = 7, limit: int = 10) -> SearchSummary:
    """Searches by customers (staff and crawlers excluded) over the last `days` days."""
    since = utcnow() - timedelta(days=days)
    customers = (
        SearchEvent.created_at >= since,
        SearchEvent.is_staff.is_(False),
        SearchEvent.is_crawler.is_(False),
    )
    total = db.session.scalar(select(func.count()).select_from(SearchEvent).where(*customers)) or 0
    zero = (
        db.session.scalar(
            select(func.count())
            .select_from(SearchEvent)
            .where(*customers, SearchEvent.result_count == 0)
        )
        or 0
    )
    rows = db.session.execute(
        select(SearchEvent.normalized, func.count().label("n"))
        .where(*customers, SearchEvent.result_count == 0)
        .group_by(SearchEvent.normalized)
        .order_by(func.count().desc(), SearchEvent.normalized)
        .limit(limit)
    ).all()
    return SearchSummary(
        days=days, searches=total, zero_result=zero, top_zero_result=[(q, n) for q, n in rows]
    )

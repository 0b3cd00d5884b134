"""Everything the staff dashboard shows for one period, gathered in one call, so the HTML page,
its CSV downloads and the JSON API read the same figures from the same functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import Row

from helpcenter.models import Category
from helpcenter.services.community import performance
from helpcenter.services.content import attention, catalog
from helpcenter.services.insights import gaps, goal_metrics, goals, measures, self_service
from helpcenter.services.insights.measures import Filters, Funnel
from helpcenter.services.insights.self_service import SelfService


@dataclass(frozen=True)
class Summary:
    """The funnel against the period before, its headline, the self-service score, per day."""

    current: Funnel
    previous: Funnel
    headline: str
    figure: float | None
    self_service: SelfService
    self_service_previous: SelfService
    daily: list[tuple[str, int, float]]


@dataclass(frozen=True)
class Dashboard:
    summary: Summary
    categories: list[Category]
    articles: attention.ArticleReport
    community: performance.CommunityReport
    passages: Sequence[Row[str, int]]
    top_gaps: list[tuple[str, int]]
    figures: dict[str, float | None]  # every metric a goal can target, for this period
    goal_reports: list[goals.Progress]
    self_service_weeks: list[tuple[str, SelfService]]
    min_video_views: int = attention.MIN_VIDEO_VIEWS


def summary(filters: Filters) -> Summary:
    current, previous = measures.funnel(filters), measures.funnel(filters.previous())
    key, figure = measures.headline(current, previous)
    return Summary(
        current=current,
        previous=previous,
        headline=key,
        figure=figure,
        self_service=self_service.measure(filters),
        self_service_previous=self_service.measure(filters.previous()),
        daily=measures.daily(filters),
    )


def dashboard(filters: Filters) -> Dashboard:
    return Dashboard(
        summary=summary(filters),
        categories=catalog.categories(),
        articles=attention.articles(filters),
        community=performance.community(filters),
        passages=attention.transcript_passages(filters),
        top_gaps=gaps.most_common_misses(filters),
        figures={key: goal_metrics.measure(key, filters) for key in goal_metrics.METRICS},
        goal_reports=[goals.progress(goal) for goal in goals.active()],
        self_service_weeks=self_service_trend(filters),
    )


@dataclass(frozen=True)
class SearchHealth:
    """The searches of the last days, for monitoring: how many, how many failed, and the gaps
    that failed the most people."""

    funnel: Funnel
    top_gaps: list[gaps.GapRow]


def search_health(days: int) -> SearchHealth:
    filters = measures.filters_for(days)
    return SearchHealth(
        funnel=measures.funnel(filters), top_gaps=gaps.inbox(filters, None, limit=10)
    )


def self_service_trend(filters: Filters) -> list[tuple[str, SelfService]]:
    """The score per week of the period, weeks counted back from its end (the first may be short)."""
    weeks, end = [], filters.end
    while end > filters.start:
        start = max(filters.start, end - timedelta(days=7))
        weeks.append(
            (start.date().isoformat(), self_service.measure(replace(filters, start=start, end=end)))
        )
        end = start
    return weeks[::-1]

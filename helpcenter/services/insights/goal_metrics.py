"""The headline metrics a goal can target, each computed by the same service the dashboard
uses, so a goal's value is exactly the dashboard's figure for the same period and scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import Article, HelpfulVote
from helpcenter.services.community import performance
from helpcenter.services.content.attention import article_scope
from helpcenter.services.insights import measures, self_service
from helpcenter.services.insights.measures import Filters, count_where


class Unit(StrEnum):
    PERCENT = "percent"  # stored as a fraction 0..1, entered and shown as 0..100 %
    HOURS = "hours"
    COUNT = "count"
    RATIO = "ratio"  # people per person, e.g. 4.2


@dataclass(frozen=True)
class Metric:
    key: str
    label: object  # a lazy string
    unit: Unit
    by_topic: bool  # searches carry no topic: search rates cannot be split by one
    measure: Callable[[Filters], float | None]
    search: bool = False  # moved by closing gaps


def _funnel_rate(*steps: str) -> Callable[[Filters], float | None]:
    def measure(filters: Filters) -> float | None:
        funnel = measures.funnel(filters)
        return sum(funnel.rate(step) for step in steps) if funnel.searches else None

    return measure


def _search_success(filters: Filters) -> float | None:
    funnel = measures.funnel(filters)
    return funnel.success_rate if funnel.searches else None


def helpfulness_counts(filters: Filters) -> tuple[int, int]:
    """(yes, all) helpful votes cast or changed in the period on the scope's articles: the
    same votes the dashboard's article tables count."""
    yes, total = db.session.execute(
        select(count_where(HelpfulVote.helpful.is_(True)), func.count(HelpfulVote.id))
        .join(Article, Article.id == HelpfulVote.article_id)
        .where(
            HelpfulVote.updated_at >= filters.start,
            HelpfulVote.updated_at < filters.end,
            *article_scope(filters),
        )
    ).one()
    return int(yes), int(total)


def _helpfulness(filters: Filters) -> float | None:
    yes, total = helpfulness_counts(filters)
    return yes / total if total else None


def _community(name: str) -> Callable[[Filters], float | None]:
    def measure(filters: Filters) -> float | None:
        return getattr(performance.community(filters), name)

    return measure


def unanswered_count(filters: Filters) -> int:
    """Questions asked in the period and unanswered after 24 hours: the sum of the dashboard's
    per-topic column."""
    return sum(row.unanswered for row in performance.by_category(filters))


def _metric(
    key: str, label, unit: Unit, measure, *, by_topic: bool, search: bool = False
) -> Metric:
    return Metric(
        key=key, label=label, unit=unit, by_topic=by_topic, measure=measure, search=search
    )


def _self_service_score(filters: Filters) -> float | None:
    return self_service.measure(filters).score


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        _metric(
            "search_success",
            _l("Search success rate"),
            Unit.PERCENT,
            _search_success,
            by_topic=False,
            search=True,
        ),
        _metric(
            "zero_result",
            _l("Zero-result rate"),
            Unit.PERCENT,
            _funnel_rate("zero_result"),
            by_topic=False,
            search=True,
        ),
        _metric("helpfulness", _l("Helpfulness"), Unit.PERCENT, _helpfulness, by_topic=True),
        _metric(
            "escalation",
            _l("Escalation rate"),
            Unit.PERCENT,
            _funnel_rate("escalated_thread", "escalated_support"),
            by_topic=False,
            search=True,
        ),
        _metric(
            "solved_rate", _l("Solved rate"), Unit.PERCENT, _community("solved_rate"), by_topic=True
        ),
        _metric(
            "first_reply_hours",
            _l("Time to first reply, median"),
            Unit.HOURS,
            _community("first_reply_median_h"),
            by_topic=True,
        ),
        _metric(
            "community_share",
            _l("Answers by the community"),
            Unit.PERCENT,
            _community("community_share"),
            by_topic=True,
        ),
        _metric(
            "unanswered", _l("Unanswered threads"), Unit.COUNT, unanswered_count, by_topic=True
        ),
        _metric(
            "self_service", _l("Self-service score"), Unit.RATIO, _self_service_score, by_topic=True
        ),
    )
}

# The largest value a target may take, in the unit staff type (percent as 0..100).
UPPER_BOUND = {
    Unit.PERCENT: 100.0,
    Unit.HOURS: 24.0 * 365,
    Unit.COUNT: 1_000_000.0,
    Unit.RATIO: 10_000.0,
}


def to_stored(unit: Unit, typed: float) -> float:
    return typed / 100 if unit is Unit.PERCENT else typed


def to_typed(unit: Unit, stored: float) -> float:
    return stored * 100 if unit is Unit.PERCENT else stored


def measure(key: str, filters: Filters) -> float | None:
    """The metric's value over `filters`; None when there is nothing to measure."""
    return METRICS[key].measure(filters)

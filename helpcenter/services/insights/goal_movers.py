"""What moved a goal's metric, beside its figure: for helpfulness, the articles with the most
votes in the goal's period and their helpful share then and in the period before; for the
community metrics, the topics whose value changed most between the period's first and last
four weeks. Search goals show the gaps addressed instead (goals.addressed_gaps)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from helpcenter.extensions import db
from helpcenter.models import Article, Category
from helpcenter.services.community import performance
from helpcenter.services.content.attention import VOTES, article_votes
from helpcenter.services.insights.measures import Filters

LIMIT = 5
SPAN = timedelta(weeks=4)
# The dashboard's per-topic column behind each community metric.
TOPIC_FIELDS = {
    "solved_rate": "solved_rate",
    "first_reply_hours": "first_reply_median_h",
    "community_share": "community_share",
    "unanswered": "unanswered",
}


@dataclass(frozen=True)
class ArticleVotes:
    article: Article
    votes: int
    share: float  # helpful votes ÷ votes in the period
    before_votes: int  # in the period of the same length just before
    before: float | None


@dataclass(frozen=True)
class TopicChange:
    category: Category | None  # None: threads under no topic
    first: float | None  # the metric over the period's first four weeks
    last: float | None  # and its last four weeks

    @property
    def change(self) -> float:
        return (self.last or 0) - (self.first or 0)


def helpful_articles(filters: Filters, limit: int = LIMIT) -> list[ArticleVotes]:
    """The articles with the most votes in the period (the votes helpfulness counts), with
    their helpful share then and in the period before. Two grouped queries."""
    top = db.session.execute(
        article_votes(filters).order_by(VOTES.desc(), Article.id).limit(limit)
    ).all()
    ids = [article.id for article, _yes, _votes in top]
    before = {
        article.id: (int(yes), int(votes))
        for article, yes, votes in db.session.execute(
            article_votes(filters.previous()).where(Article.id.in_(ids))
        )
    }
    rows = []
    for article, yes, votes in top:
        before_yes, before_votes = before.get(article.id, (0, 0))
        rows.append(
            ArticleVotes(
                article=article,
                votes=int(votes),
                share=int(yes) / int(votes),
                before_votes=before_votes,
                before=before_yes / before_votes if before_votes else None,
            )
        )
    return rows


def edges(filters: Filters) -> tuple[Filters, Filters]:
    """The period's first and last four weeks (halves, when it is shorter than eight)."""
    span = min(SPAN, (filters.end - filters.start) / 2)
    return replace(filters, end=filters.start + span), replace(filters, start=filters.end - span)


def topic_changes(filters: Filters, metric: str, limit: int = LIMIT) -> list[TopicChange]:
    """The topics whose community metric changed most between the period's first and last four
    weeks, largest change first: the dashboard's per-topic figures of both windows."""
    if filters.end <= filters.start:
        return []
    field = TOPIC_FIELDS[metric]
    first, last = (performance.by_category(window) for window in edges(filters))
    before = {row.slug: getattr(row, field) for row in first}
    changes = [
        TopicChange(row.category, before.get(row.slug), getattr(row, field))
        for row in last
        if before.get(row.slug) is not None and getattr(row, field) is not None
    ]
    changes = [c for c in changes if c.change]  # a topic that did not move moved nothing
    changes.sort(key=lambda c: (-abs(c.change), c.category.slug if c.category else ""))
    return changes[:limit]

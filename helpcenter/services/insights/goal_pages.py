"""What the goal pages show, gathered in one call per page: the list of goals, and one goal with
what moved its metric, so the HTML pages, the CSV and the JSON API read the same reports."""

from __future__ import annotations

from dataclasses import dataclass

from helpcenter.models import Article, Goal
from helpcenter.services.insights import gaps, goal_movers, goals
from helpcenter.services.insights.goals import Progress


@dataclass(frozen=True)
class GoalList:
    reports: list[Progress]  # the active goals, judged now
    archived: list[Goal]


@dataclass(frozen=True)
class GoalPage:
    goal: Goal
    report: Progress
    gaps: list[tuple[gaps.GapRow, Article | None]]  # gaps addressed in the goal's period
    helpful: list[goal_movers.ArticleVotes] | None  # for a helpfulness goal
    topics: list[goal_movers.TopicChange] | None  # for a community goal


def goal_list() -> GoalList:
    return GoalList(
        reports=[goals.progress(goal) for goal in goals.active()], archived=goals.archived()
    )


def every_report() -> list[Progress]:
    """Every goal judged now, the active ones first (the archived ones are marked)."""
    return [goals.progress(goal) for goal in goals.active() + goals.archived()]


def goal_page(goal: Goal) -> GoalPage:
    report = goals.progress(goal)
    period = goals.period(goal, report.as_of)
    helpful = goal_movers.helpful_articles(period) if goal.metric == "helpfulness" else None
    topics = None
    if goal.metric in goal_movers.TOPIC_FIELDS:
        topics = goal_movers.topic_changes(period, goal.metric)
    return GoalPage(
        goal=goal,
        report=report,
        gaps=goals.addressed_gaps(goal, report.as_of),
        helpful=helpful,
        topics=topics,
    )

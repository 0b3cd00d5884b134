"""How the community is doing over a period: unanswered threads, reply times, solved rate,
overall and per category (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, func, or_, select

from helpcenter.extensions import db
from helpcenter.models import Category, Post, Thread, User
from helpcenter.models.base import utcnow
from helpcenter.models.community import KIND_QUESTION
from helpcenter.services.community import reputation
from helpcenter.services.content import catalog
from helpcenter.services.insights.measures import Filters, count_where

UNANSWERED_AFTER = timedelta(hours=24)
SOLVED_RATE_AGE = timedelta(days=7)
# Grouping by this expression (not the bare column) keeps SQLite from walking the whole
# category index to skip a sort: the period's range scan is three times cheaper.
CATEGORY = Thread.category_id + 0
ALL = "all"  # the key of overall figures beside category ids (int or None)


@dataclass
class CategoryHealth:
    """Community health of one category (None: threads filed under no topic)."""

    category: Category | None
    threads: int = 0
    questions: int = 0
    unanswered: int = 0
    first_reply_median_h: float | None = None
    first_reply_p90_h: float | None = None
    old_questions: int = 0  # asked more than 7 days ago: the solved rate's denominator
    solved: int = 0
    solved_rate: float | None = None
    solution_median_h: float | None = None
    accepted: int = 0
    by_community: int = 0
    community_share: float | None = None

    @property
    def slug(self) -> str | None:
        return self.category.slug if self.category else None


@dataclass
class CommunityReport:
    threads: int = 0
    unanswered: Sequence[Thread] = field(default_factory=list)
    first_reply_median_h: float | None = None
    first_reply_p90_h: float | None = None
    solved_rate: float | None = None
    solution_median_h: float | None = None
    community_share: float | None = None
    top_helpers: list = field(default_factory=list)
    by_category: list[CategoryHealth] = field(default_factory=list)


def _thread_scope(filters: Filters):
    conditions = [
        Thread.created_at >= filters.start,
        Thread.created_at < filters.end,
        Thread.deleted_at.is_(None),
    ]
    if filters.lang:
        conditions.append(Thread.lang == filters.lang)
    if filters.category is not None:
        conditions.append(Thread.category_id == filters.category.id)
    return conditions


def _solved_in(filters: Filters):
    """Threads solved in the period: the accepted answers the community share counts."""
    return [
        Thread.solved_at >= filters.start,
        Thread.solved_at < filters.end,
        Thread.deleted_at.is_(None),
        *([Thread.lang == filters.lang] if filters.lang else []),
        *([Thread.category_id == filters.category.id] if filters.category is not None else []),
    ]


def _hours(seconds) -> float | None:
    return float(seconds) / 3600 if seconds is not None else None


def _ranks(n: int) -> tuple[set[int], int]:
    """The ranks (1..n) holding the median (two when n is even: averaged) and the p90 (nearest
    rank: index int(0.9 n) counted from 0) of n ranked values."""
    return {(n - 1) // 2 + 1, n // 2 + 1}, (9 * n) // 10 + 1


def _durations(column, scope, counts: dict) -> tuple[dict, tuple]:
    """Median and p90 of a duration column in seconds, per category {id: (median, p90)} and
    overall. SQL ranks every value within its category and among all (window functions) and
    returns only the values at the wanted ranks (from `counts`, {category id: values}): a few
    rows per category, whatever the number of threads."""
    ranked = (
        select(
            CATEGORY.label("category_id"),
            column.label("seconds"),
            func.row_number().over(partition_by=CATEGORY, order_by=column).label("rank"),
            func.row_number().over(order_by=column).label("rank_all"),
        )
        .where(*scope, column.is_not(None))
        .subquery()
    )
    r = ranked.c
    total = sum(counts.values())
    if not total:
        return {}, (None, None)

    def at_ranks(rank, n: int):
        middle, p90 = _ranks(n)
        return rank.in_(sorted(middle | {p90}))

    wanted = [r.category_id.is_(None) if cat is None else r.category_id == cat for cat in counts]
    picks = [
        and_(w, at_ranks(r.rank, n)) for w, n in zip(wanted, counts.values(), strict=True) if n
    ]
    picked: dict = {}
    for cat, seconds, rank, rank_all in db.session.execute(
        select(*r).where(or_(*picks, at_ranks(r.rank_all, total)))
    ):
        picked[(cat, rank)] = picked[(ALL, rank_all)] = seconds

    def figures(key, n: int) -> tuple[float | None, float | None]:
        middle, p90 = _ranks(n)
        values = [picked.get((key, k)) for k in middle]  # all there unless a thread just changed
        known = [v for v in values if v is not None]
        median = sum(known) / len(values) if len(known) == len(values) else None
        return median, picked.get((key, p90))

    return {cat: figures(cat, n) for cat, n in counts.items() if n}, figures(ALL, total)


def _accepted_answers(*group):
    """(group..., accepted answers, of them written by members) over solved threads."""
    return (
        select(*group, func.count(), count_where(User.role == "member"))
        .select_from(Thread)
        .join(Post, Post.id == Thread.accepted_post_id)
        .join(User, User.id == Post.author_id, isouter=True)
    )


def _unanswered(now):
    """A visible question nobody but its author has replied to after 24 hours (DESIGN.md §4)."""
    return and_(
        Thread.kind == KIND_QUESTION,
        Thread.first_reply_at.is_(None),
        Thread.hidden_at.is_(None),
        Thread.created_at <= now - UNANSWERED_AFTER,
    )


def _by_category(filters: Filters) -> tuple[list[CategoryHealth], tuple, tuple]:
    """Per-category rows (every category, plus "no topic" when such threads exist), and the
    overall first-reply and solution percentiles: four queries, whatever the volume."""
    scope = _thread_scope(filters)
    now = utcnow()
    question = Thread.kind == KIND_QUESTION
    old = and_(question, Thread.created_at <= now - SOLVED_RATE_AGE)
    unanswered = _unanswered(now)
    counts = {
        cat: [int(v) for v in values]
        for cat, *values in db.session.execute(
            select(
                CATEGORY,
                func.count(),
                count_where(question),
                count_where(unanswered),
                count_where(old),
                count_where(and_(old, Thread.accepted_post_id.is_not(None))),
                func.count(Thread.first_reply_seconds),
                func.count(Thread.solution_seconds),
            )
            .where(*scope)
            .group_by(CATEGORY)
        )
    }
    shares = {
        cat: (int(accepted), int(members))
        for cat, accepted, members in db.session.execute(
            _accepted_answers(CATEGORY).where(*_solved_in(filters)).group_by(CATEGORY)
        )
    }
    waits, all_waits = _durations(
        Thread.first_reply_seconds, scope, {k: c[5] for k, c in counts.items()}
    )
    solutions, all_solutions = _durations(
        Thread.solution_seconds, scope, {k: c[6] for k, c in counts.items()}
    )
    wanted: list[Category | None] = (
        [filters.category] if filters.category is not None else list(catalog.categories())
    )
    if filters.category is None and None in {*counts, *shares}:
        wanted.append(None)
    rows = []
    for category in wanted:
        key = category.id if category is not None else None
        threads, questions, unanswered_n, old_n, solved, _waits, _solutions = counts.get(
            key, (0,) * 7
        )
        accepted, members = shares.get(key, (0, 0))
        wait, wait_p90 = waits.get(key, (None, None))
        rows.append(
            CategoryHealth(
                category=category,
                threads=threads,
                questions=questions,
                unanswered=unanswered_n,
                first_reply_median_h=_hours(wait),
                first_reply_p90_h=_hours(wait_p90),
                old_questions=old_n,
                solved=solved,
                solved_rate=solved / old_n if old_n else None,
                solution_median_h=_hours(solutions.get(key, (None, None))[0]),
                accepted=accepted,
                by_community=members,
                community_share=members / accepted if accepted else None,
            )
        )
    return rows, all_waits, all_solutions


def community(filters: Filters) -> CommunityReport:
    """The period's community health, overall and per category. The overall counts are the
    categories' sums (every thread has one category or none), so both come from one pass."""
    rows, (wait, wait_p90), (solution, _p90) = _by_category(filters)
    report = CommunityReport(by_category=rows)
    report.threads = sum(r.threads for r in rows)
    report.unanswered = db.session.scalars(
        select(Thread)
        .where(*_thread_scope(filters), _unanswered(utcnow()))
        .order_by(Thread.created_at)
        .limit(20)
    ).all()
    report.first_reply_median_h, report.first_reply_p90_h = _hours(wait), _hours(wait_p90)
    old, solved = sum(r.old_questions for r in rows), sum(r.solved for r in rows)
    report.solved_rate = solved / old if old else None
    report.solution_median_h = _hours(solution)
    accepted, by_community = sum(r.accepted for r in rows), sum(r.by_community for r in rows)
    report.community_share = by_community / accepted if accepted else None
    report.top_helpers = reputation.leaderboard(since=filters.start, limit=5)
    return report


def by_category(filters: Filters) -> list[CategoryHealth]:
    """Community health per category, for the CSV export."""
    return _by_category(filters)[0]

"""KPI targets: create, edit and archive goals (audited), and judge how each is doing.

A goal's figures are its metric over 7-day windows, computed by goal_metrics (the dashboard's
own services): "now" is the last 7 days (the dashboard's "Last 7 days"), "at start" the 7 days
before the start date, and the chart one point per week from the start date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, Category, Goal, User
from helpcenter.models.base import utcnow
from helpcenter.models.goals import Direction, GoalStatus
from helpcenter.services import audit
from helpcenter.services.insights import gaps
from helpcenter.services.insights.goal_metrics import METRICS, measure
from helpcenter.services.insights.measures import Filters
from helpcenter.services.webhooks import events

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class GoalFields:
    """What staff set on a goal; `target` in the metric's stored unit."""

    metric: str
    direction: Direction
    target: float
    start_date: date
    deadline: date
    owner: User
    note: str = ""
    lang: str | None = None
    category: Category | None = None


@dataclass
class WeekPoint:
    start: datetime
    value: float | None
    expected: float | None  # the start-to-target line at the window's end


@dataclass
class Progress:
    goal: Goal
    start_value: float | None
    current: float | None
    previous: float | None  # the 7 days before "now": the weekly mail's change
    expected: float | None  # where the start-to-target line is today
    projected: float | None  # a straight-line fit of the weekly values, at the deadline
    status: GoalStatus
    as_of: datetime  # the end of the "now" window: today, or the deadline once passed
    weeks: list[WeekPoint] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _window(goal: Goal, start: datetime, end: datetime) -> Filters:
    return Filters(start=start, end=end, lang=goal.lang, category=goal.category)


def period(goal: Goal, as_of: datetime) -> Filters:
    """The goal's scope from its start to `as_of`: what its "what moved it" tables cover."""
    return _window(goal, _midnight(goal.start_date), as_of)


def value_between(goal: Goal, start: datetime, end: datetime) -> float | None:
    return measure(goal.metric, _window(goal, start, end))


def meets(goal: Goal, value: float | None) -> bool:
    if value is None:
        return False
    return value >= goal.target if goal.direction == Direction.AT_LEAST else value <= goal.target


def judge(
    goal: Goal,
    *,
    current: float | None,
    expected: float | None,
    projected: float | None,
    deadline_passed: bool,
) -> GoalStatus:
    """Achieved when the current value meets the target; missed when the deadline passed
    without; on track when the value is at or beyond the start-to-target line for today, or
    the weekly trend reaches the target by the deadline; otherwise at risk."""
    if meets(goal, current):
        return GoalStatus.ACHIEVED
    if deadline_passed:
        return GoalStatus.MISSED
    on_line = (
        current is not None
        and expected is not None
        and (current >= expected if goal.direction == Direction.AT_LEAST else current <= expected)
    )
    return GoalStatus.ON_TRACK if on_line or meets(goal, projected) else GoalStatus.AT_RISK


def _line(goal: Goal, start_value: float | None, at: datetime) -> float | None:
    """The straight line from the value at the start to the target at the deadline."""
    if start_value is None:
        return None
    begin, finish = _midnight(goal.start_date), _midnight(goal.deadline) + timedelta(days=1)
    share = min(1.0, max(0.0, (at - begin) / (finish - begin)))
    return start_value + (goal.target - start_value) * share


def _fit(points: list[tuple[float, float]], at: float) -> float | None:
    """Least-squares straight line through (x, y) points, evaluated at x = `at`."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _y in points) / n
    mean_y = sum(y for _x, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _y in points)
    if not spread:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return mean_y + slope * (at - mean_x)


def _days(begin: datetime, moment: datetime) -> float:
    return (moment - begin).total_seconds() / 86400


def progress(goal: Goal, now: datetime | None = None) -> Progress:
    """The goal's figures and status (nothing is written)."""
    now = now or utcnow()
    begin = _midnight(goal.start_date)
    finish = _midnight(goal.deadline) + timedelta(days=1)  # the deadline day counts
    as_of = min(now, finish)
    start_value = value_between(goal, begin - WEEK, begin)
    current = value_between(goal, as_of - WEEK, as_of)
    previous = value_between(goal, as_of - 2 * WEEK, as_of - WEEK)
    weeks = []
    week = begin
    while week + WEEK <= as_of:
        weeks.append(
            WeekPoint(
                week, value_between(goal, week, week + WEEK), _line(goal, start_value, week + WEEK)
            )
        )
        week += WEEK
    known = [(_days(begin, w.start + WEEK), w.value) for w in weeks if w.value is not None]
    if current is not None and (not weeks or weeks[-1].start + WEEK < as_of):
        known.append((_days(begin, as_of), current))
    expected = _line(goal, start_value, as_of)
    projected = _fit(known, _days(begin, finish))
    status = judge(
        goal, current=current, expected=expected, projected=projected, deadline_passed=now >= finish
    )
    return Progress(
        goal=goal,
        start_value=start_value,
        current=current,
        previous=previous,
        expected=expected,
        projected=projected,
        status=status,
        as_of=as_of,
        weeks=weeks,
    )


def record_status(goal: Goal, status: GoalStatus, actor: User | None = None) -> bool:
    """The one place a goal's status changes: stored, audited and sent to the webhooks that
    subscribed when it differs from the last one computed. Joins the caller's transaction;
    True when it changed."""
    if goal.status == status:
        return False
    old = goal.status
    audit.record(actor, "goal.status_changed", f"goal:{goal.id}", old=old or "", new=str(status))
    goal.status = str(status)
    db.session.flush()  # a new goal needs its id for the event
    events.goal_status_changed(goal, old, metric_label=METRICS[goal.metric].label)
    return True


def refresh_statuses(now: datetime | None = None) -> list[Progress]:
    """Judge every active goal and store status changes. Commits."""
    reports = [progress(goal, now) for goal in active()]
    for report in reports:
        record_status(report.goal, report.status)
    db.session.commit()
    return reports


def active() -> list[Goal]:
    return list(
        db.session.scalars(
            select(Goal).where(Goal.archived_at.is_(None)).order_by(Goal.deadline, Goal.id)
        )
    )


def archived() -> list[Goal]:
    return list(
        db.session.scalars(
            select(Goal).where(Goal.archived_at.is_not(None)).order_by(Goal.id.desc())
        )
    )


def _apply(goal: Goal, fields: GoalFields) -> dict:
    """Copy the fields; return what changed, for the audit log."""
    values = {
        "metric": fields.metric,
        "direction": str(fields.direction),
        "target": fields.target,
        "start_date": fields.start_date,
        "deadline": fields.deadline,
        "owner_id": fields.owner.id,
        "note": fields.note,
        "lang": fields.lang,
        "category_id": fields.category.id if fields.category else None,
    }
    changed = {}
    for name, value in values.items():
        if getattr(goal, name) != value:
            changed[name] = value.isoformat() if isinstance(value, date) else value
            setattr(goal, name, value)
    goal.category = fields.category
    return changed


def create(actor: User, fields: GoalFields) -> Goal:
    """Save a new goal and judge it. Audited; commits."""
    goal = Goal()
    changed = _apply(goal, fields)
    db.session.add(goal)
    db.session.flush()
    audit.record(actor, "goal.create", f"goal:{goal.id}", changes=changed)
    record_status(goal, progress(goal).status, actor)
    db.session.commit()
    return goal


def update(actor: User, goal: Goal, fields: GoalFields) -> Goal:
    """Change a goal and judge it again. Audited (what changed); commits."""
    changed = _apply(goal, fields)
    if changed:
        audit.record(actor, "goal.update", f"goal:{goal.id}", changes=changed)
        record_status(goal, progress(goal).status, actor)
    db.session.commit()
    return goal


def archive(actor: User, goal: Goal, *, restore: bool = False) -> None:
    """Take a goal off the dashboard and the weekly mail (or bring it back). Audited; commits."""
    goal.archived_at = None if restore else utcnow()
    audit.record(actor, "goal.restore" if restore else "goal.archive", f"goal:{goal.id}")
    db.session.commit()


def addressed_gaps(goal: Goal, as_of: datetime) -> list[tuple[gaps.GapRow, Article | None]]:
    """For search goals: gaps whose article was published between the start and `as_of`, with
    their failure rate before and since."""
    if not METRICS[goal.metric].search:
        return []
    rows = gaps.addressed_between(_midnight(goal.start_date), as_of)
    ids = [row.gap.article_id if row.gap else None for row in rows]
    found = db.session.scalars(select(Article).where(Article.id.in_(ids)))
    articles: dict[int | None, Article] = {a.id: a for a in found}
    return [(row, articles.get(article_id)) for row, article_id in zip(rows, ids, strict=True)]


def add_sample_goals(owner: User, today: date | None = None) -> int:
    """Two believable goals for the sample site, once (nothing if any goal exists). Commits."""
    if db.session.scalar(select(Goal.id).limit(1)) is not None:
        return 0
    today = today or utcnow().date()
    after_next = (today.month - 1) // 3 * 3 + 6  # months from this January: the quarter after next
    quarter_end = date(today.year + after_next // 12, after_next % 12 + 1, 1) - timedelta(days=1)
    samples = (
        GoalFields(
            metric="search_success",
            direction=Direction.AT_LEAST,
            target=0.8,
            start_date=today - timedelta(days=28),
            deadline=quarter_end,
            owner=owner,
            note="Customers should find answers themselves: fewer tickets per customer as we grow.",
        ),
        GoalFields(
            metric="first_reply_hours",
            direction=Direction.AT_MOST,
            target=4.0,
            start_date=today - timedelta(days=28),
            deadline=quarter_end,
            owner=owner,
            note="Questions in the community should get a first answer within half a working day.",
        ),
    )
    for fields in samples:
        create(owner, fields)
    return len(samples)

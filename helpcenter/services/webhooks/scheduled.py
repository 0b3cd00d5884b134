"""Events nobody's action causes, found by a periodic job (scheduling.py): a question that
has waited 24 hours for a reply, a gap that appears in the inbox's Open list, and an addressed
gap whose searches fail again as often as before its article. Each is announced once (a
WebhookMark)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from helpcenter import jobs
from helpcenter.extensions import db
from helpcenter.models import Gap, Thread, WebhookMark
from helpcenter.models.analytics import GapStatus
from helpcenter.models.base import utcnow
from helpcenter.models.community import KIND_QUESTION
from helpcenter.services.community.performance import UNANSWERED_AFTER
from helpcenter.services.insights import gaps, measures
from helpcenter.services.webhooks import events
from helpcenter.services.webhooks.events import EventType

KIND = "webhook_scan"
# Only threads that crossed the 24 hours this recently: a new endpoint is not flooded with
# every old unanswered question, and a scan that did not run for a day still catches up.
LOOKBACK = timedelta(hours=48)
BATCH = 200
REOPEN_WINDOW = timedelta(days=90)  # gaps addressed longer ago are not watched any more


def emit_unanswered(now: datetime | None = None) -> int:
    """Queue `thread.unanswered` for each visible question with no reply from anyone but its
    author 24 hours after it was asked, once per thread. Joins the caller's transaction."""
    if not events.subscribers(EventType.THREAD_UNANSWERED):
        return 0  # nothing is marked, so an endpoint added later still hears of recent ones
    due = (now or utcnow()) - UNANSWERED_AFTER
    threads = db.session.scalars(
        select(Thread)
        .where(
            Thread.kind == KIND_QUESTION,
            Thread.first_reply_at.is_(None),
            Thread.hidden_at.is_(None),
            Thread.deleted_at.is_(None),
            Thread.created_at <= due,
            Thread.created_at > due - LOOKBACK,
        )
        .order_by(Thread.created_at)
        .limit(BATCH)
    ).all()
    fresh = _unmarked(EventType.THREAD_UNANSWERED, {f"thread:{t.id}": t for t in threads})
    for thread in fresh:
        events.thread_unanswered(thread)
    return len(fresh)


def emit_reopened_gaps(now: datetime | None = None) -> int:
    """Queue `gap.opened` for each gap addressed in the last REOPEN_WINDOW whose searches since
    fail as often as before, once per time it was addressed. Joins the caller's transaction."""
    if not events.subscribers(EventType.GAP_OPENED):
        return 0
    addressed = db.session.scalars(
        select(Gap).where(
            Gap.status == GapStatus.ADDRESSED, Gap.addressed_at >= (now or utcnow()) - REOPEN_WINDOW
        )
    ).all()
    reopened = gaps.reopened_by_searches(list(addressed))
    subjects = {
        f"gap:{gap.key}@{gap.addressed_at.isoformat()}": gap
        for gap in reopened
        if gap.addressed_at is not None  # all of them: the query asked for it
    }
    fresh = _unmarked(EventType.GAP_OPENED, subjects)
    for gap in fresh:
        events.gap_reopened(gap, by_searches=True)
    return len(fresh)


def emit_new_gaps(now: datetime | None = None) -> int:
    """Queue `gap.opened` (not reopened) for each gap the inbox lists as open by default
    (`gaps.listed`, the last DEFAULT_DAYS days) that was never announced, once per gap key.
    Reopened ones are announced by emit_reopened_gaps. Joins the caller's transaction."""
    if not events.subscribers(EventType.GAP_OPENED):
        return 0  # nothing is marked, so an endpoint added later still hears of recent ones
    end = now or utcnow()
    listed = gaps.listed(measures.filters_for(measures.DEFAULT_DAYS, end=end), GapStatus.OPEN)
    # A key enters the list with a failed search, so a new gap was searched recently: an
    # endpoint added later is not flooded with every gap of the month.
    recent = [r for r in listed if not r.reopened and r.latest and r.latest > end - LOOKBACK]
    subjects = {events.new_gap_subject(row.key): row for row in recent[:BATCH]}
    fresh = _unmarked(EventType.GAP_OPENED, subjects)
    for row in fresh:
        events.gap_opened(row, days=measures.DEFAULT_DAYS)
    return len(fresh)


def _unmarked(event_type: str, subjects: dict) -> list:
    """The objects not announced yet for `event_type`, marked now (they will be, in this
    transaction)."""
    if not subjects:
        return []
    done = set(
        db.session.scalars(
            select(WebhookMark.subject).where(
                WebhookMark.event_type == event_type, WebhookMark.subject.in_(list(subjects))
            )
        )
    )
    fresh = {subject: item for subject, item in subjects.items() if subject not in done}
    for subject in fresh:
        db.session.add(WebhookMark(event_type=event_type, subject=subject))
    return list(fresh.values())


@jobs.handler(KIND)
def _scan(_payload: dict) -> None:
    emit_unanswered()
    emit_reopened_gaps()
    emit_new_gaps()

"""Events nobody's action causes, found by a periodic job (scheduling.py): a question that
has waited 24 hours for a reply. Each thread is announced once (a WebhookMark)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from helpcenter import jobs
from helpcenter.extensions import db
from helpcenter.models import Thread, WebhookMark
from helpcenter.models.base import utcnow
from helpcenter.models.forum import KIND_QUESTION
from helpcenter.services.community_report import UNANSWERED_AFTER
from helpcenter.services.webhooks import events
from helpcenter.services.webhooks.events import EventType

KIND = "webhook_scan"
# Only threads that crossed the 24 hours this recently: a new endpoint is not flooded with
# every old unanswered question, and a scan that did not run for a day still catches up.
LOOKBACK = timedelta(hours=48)
BATCH = 200


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
    subjects = {f"thread:{thread.id}": thread for thread in threads}
    done = set(
        db.session.scalars(
            select(WebhookMark.subject).where(
                WebhookMark.event_type == EventType.THREAD_UNANSWERED,
                WebhookMark.subject.in_(list(subjects)),
            )
        )
    )
    fresh = [thread for subject, thread in subjects.items() if subject not in done]
    for thread in fresh:
        db.session.add(
            WebhookMark(event_type=EventType.THREAD_UNANSWERED, subject=f"thread:{thread.id}")
        )
        events.thread_unanswered(thread)
    return len(fresh)


@jobs.handler(KIND)
def _scan(_payload: dict) -> None:
    emit_unanswered()
